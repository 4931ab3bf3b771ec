"""Rules that span rows: a rule's key and value, and no two rows of one key and scope for one year."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .defaults import DEFAULT_RULES
from .values import format_value, parse_value

__all__ = ["overlapping_rules", "validate_rule"]


def overlapping_rules(rule):
    """The other rows of ``rule``'s key and scope whose years meet ``rule``'s years."""
    from .models import Rule

    qs = Rule.objects.filter(
        key=rule.key, programme_id=rule.programme_id, supporter_id=rule.supporter_id, recipient_id=rule.recipient_id,
    ).exclude(pk=rule.pk)
    if rule.valid_to_year is not None:
        qs = qs.filter(valid_from_year__lte=rule.valid_to_year)
    return qs.filter(Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=rule.valid_from_year))


def validate_rule(rule) -> None:
    """Raise ``ValidationError`` naming the field: unknown key, a value of the wrong kind, or a
    period that overlaps another row of the same key and scope. Puts the value in its canonical
    text form."""
    errors = {}
    default = DEFAULT_RULES.get(rule.key)
    if default is None:
        errors["key"] = _("Unknown rule {key}. Known rules: {keys}.").format(
            key=rule.key, keys=", ".join(sorted(DEFAULT_RULES)))
    else:
        try:
            rule.value = format_value(default.kind, parse_value(default.kind, rule.value))
        except (ValueError, TypeError) as exc:
            errors["value"] = str(exc)
    if not errors and rule.valid_from_year and (rule.valid_to_year is None or rule.valid_to_year >= rule.valid_from_year):
        clash = overlapping_rules(rule).first()
        if clash is not None:
            errors["valid_from_year"] = _(
                "{key} already has a rule for this scope from {start} to {end}: close that rule before this "
                "one starts, or start this one later."
            ).format(key=rule.key, start=clash.valid_from_year, end=clash.valid_to_year or "…")
    if errors:
        raise ValidationError(errors)
