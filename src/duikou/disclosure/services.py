"""Writes for this app: audited, permission-checked, validated with full_clean().

A disclosure is created as a draft, edited while it is one, then published with
:func:`disclosure_publish` (which freezes its content after the privacy check and the period
rule) and, if need be, withdrawn with :func:`disclosure_withdraw`. A published notice is never
edited or deleted: what was posted stays on record.
"""

import copy
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duikou.audit.services import crud_services, object_create, object_delete, object_update
from duikou.core.permissions import SystemActor, require
from duikou.rules.selectors import rule_value

from .choices import DisclosureStatus
from .content import build_content
from .models import Disclosure, Objection

__all__ = [
    "disclosure_create",
    "disclosure_delete",
    "disclosure_publish",
    "disclosure_update",
    "disclosure_withdraw",
    "objection_create",
    "objection_delete",
    "objection_update",
]

STATUS_BY_ACTION = _("The status changes only by publishing or withdrawing the notice.")


def disclosure_create(*, actor, m2m: dict | None = None, **fields) -> Disclosure:
    """Create a draft notice (audited). It is published with :func:`disclosure_publish`."""
    if fields.get("status", DisclosureStatus.DRAFT) != DisclosureStatus.DRAFT:
        raise ValidationError({"status": _("A notice is created as a draft and then published.")})
    return object_create(Disclosure, actor=actor, data=fields, m2m=m2m)


def disclosure_update(*, actor, instance: Disclosure, m2m: dict | None = None, **fields) -> Disclosure:
    """Change a notice (audited). A published one keeps what it shows (the model refuses changes
    to those fields); the status changes only by publishing or withdrawing."""
    for name in ("status", "content_snapshot", "published_on", "published_by"):
        if name in fields and fields[name] != getattr(instance, name):
            raise ValidationError({name: STATUS_BY_ACTION if name == "status" else _(
                "This is set when the notice is published.")})
    return object_update(instance, actor=actor, data=fields, m2m=m2m)


def disclosure_delete(*, actor, instance: Disclosure) -> None:
    """Delete a draft. A published notice is withdrawn instead (it stays on record)."""
    require(actor, "delete", instance)
    if not instance.is_draft:
        raise ValidationError({"status": _("A published notice is not deleted: withdraw it.")})
    object_delete(instance, actor=actor)


def disclosure_publish(*, actor, disclosure: Disclosure, on: dt.date | None = None,
                       start_date: dt.date | None = None, end_date: dt.date | None = None) -> Disclosure:
    """Publish a draft on ``on`` (default today): fix its period, build its content from the
    records and freeze it.

    The period starts on ``start_date`` (default: the draft's, else ``on``) and ends on
    ``end_date`` (default: the draft's, else the last of ``disclosure.min_days`` days); it must
    last at least ``disclosure.min_days`` days. The content must pass the privacy check. Raises
    ``ValidationError`` naming the field (``status``, ``end_date``, ``channels``,
    ``content_snapshot`` with the place and kind of any personal data found); nothing is saved then.
    """
    require(actor, "change", disclosure)
    if not disclosure.is_draft:
        raise ValidationError({"status": _("Only a draft is published; this notice is {status}.").format(
            status=disclosure.get_status_display())})
    on = on or timezone.localdate()
    start = start_date or disclosure.start_date or on
    min_days = int(rule_value("disclosure.min_days", pairing=disclosure.pairing, year=start.year))
    end = end_date or disclosure.end_date or start + dt.timedelta(days=min_days - 1)
    if end < start:
        raise ValidationError({"end_date": _("The period must not end before it starts.")})
    if (end - start).days + 1 < min_days:
        raise ValidationError({"end_date": _(
            "The period must last at least {days} days (rule disclosure.min_days): until {date} at the earliest."
        ).format(days=min_days, date=start + dt.timedelta(days=min_days - 1))})
    if not disclosure.channels:
        raise ValidationError({"channels": _("Say where the notice is posted before publishing it.")})
    preview = copy.copy(disclosure)  # the draft as it will be: its content is built from this
    preview.start_date, preview.end_date, preview.published_on = start, end, on
    preview.year = preview.year if preview.year is not None else preview.default_year()
    if preview.year is None:
        raise ValidationError({"year": _("Give the year the announcement is for (or choose the annual plan).")})
    preview.title = preview.title or preview.default_title()
    content = build_content(preview, actor=actor, on=on)
    user = actor if getattr(actor, "pk", None) and not isinstance(actor, SystemActor) else None
    return object_update(disclosure, actor=actor, message="publish", data={
        "status": DisclosureStatus.PUBLISHED, "start_date": start, "end_date": end, "published_on": on,
        "published_by": user, "year": preview.year, "title": preview.title, "content_snapshot": content,
    })


def disclosure_withdraw(*, actor, disclosure: Disclosure, reason: str, on: dt.date | None = None) -> Disclosure:
    """Withdraw a published notice (e.g. after an upheld objection); it stays on record as
    withdrawn and no longer opens a lifecycle step."""
    require(actor, "change", disclosure)
    if disclosure.status != DisclosureStatus.PUBLISHED:
        raise ValidationError({"status": _("Only a published notice is withdrawn; this one is {status}.").format(
            status=disclosure.get_status_display())})
    return object_update(disclosure, actor=actor, message="withdraw", data={
        "status": DisclosureStatus.WITHDRAWN, "withdrawn_on": on or timezone.localdate(),
        "withdrawal_reason": reason.strip(),
    })


objection_create, objection_update, objection_delete = crud_services(Objection)
