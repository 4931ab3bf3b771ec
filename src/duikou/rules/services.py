"""Writes for the rules: audited, permission-checked, validated with full_clean().

A rule changes from a year on with a new row (:func:`rule_set_from_year`), which closes the row in
force at the year before; earlier years keep the value they had.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.audit.services import crud_services, object_create, object_update

from .defaults import rule_default
from .models import Rule

__all__ = ["rule_create", "rule_delete", "rule_set_from_year", "rule_update"]

_create, _update, rule_delete = crud_services(Rule)


def _scope(fields: dict) -> dict:
    """``pairing=p`` stands for the pairing's programme, supporter and recipient."""
    pairing = fields.pop("pairing", None)
    if pairing is not None:
        fields.update(programme=pairing.programme, supporter=pairing.supporter, recipient=pairing.recipient)
    return fields


def rule_create(*, actor, m2m: dict | None = None, **fields) -> Rule:
    """Create a rule row (audited, checked with full_clean). ``pairing=p`` sets the scope to the
    pairing's programme, supporter and recipient."""
    return _create(actor=actor, m2m=m2m, **_scope(fields))


def rule_update(*, actor, instance, m2m: dict | None = None, **fields) -> Rule:
    """Change a rule row (audited; the right is checked on the row as it was and as it will be).
    ``pairing=p`` as for :func:`rule_create`. To change a rule from a year on, use
    :func:`rule_set_from_year` instead, so that earlier years keep theirs."""
    return _update(actor=actor, instance=instance, m2m=m2m, **_scope(fields))


def rule_set_from_year(*, actor, key: str, value, year: int, programme=None, supporter=None, recipient=None,
                       pairing=None, is_blocking: bool | None = None, source: str = "", note: str = "") -> Rule:
    """Set ``key`` for the scope from ``year`` on: the scope's row in force in ``year`` ends the
    year before (or is refused if it starts in ``year`` or later: correct that row instead), and a
    new open-ended row starts. One transaction: both rows or neither, two audit records. ``pairing=p``
    stands for the pairing's programme, supporter and recipient."""
    try:
        rule_default(key)
    except KeyError as exc:
        raise ValidationError({"key": str(exc.args[0])}) from None
    if pairing is not None:
        programme, supporter, recipient = pairing.programme, pairing.supporter, pairing.recipient
    scope = {"key": key, "programme": programme, "supporter": supporter, "recipient": recipient}
    with transaction.atomic():
        current = list(Rule.objects.select_for_update().filter(**scope).filter(
            Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year)
        ).order_by("valid_from_year"))
        for row in current:
            if row.valid_from_year >= year:
                raise ValidationError({"valid_from_year": _(
                    "{key} already has a rule for this scope from {start}: correct that rule instead of adding "
                    "one from {year}."
                ).format(key=key, start=row.valid_from_year, year=year)})
        for row in current:
            object_update(row, actor=actor, data={"valid_to_year": year - 1},
                          message=f"superseded from {year}")
        return object_create(Rule, actor=actor, data={
            **scope, "value": value, "valid_from_year": year, "is_blocking": is_blocking, "source": source,
            "note": note,
        })
