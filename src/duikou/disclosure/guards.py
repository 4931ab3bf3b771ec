"""The lifecycle waits for its notices: a step whose ``Transition.disclosure_kind`` is set needs a
published notice of that kind that has run its period (rule ``disclosure.min_days``, 10 days by
default) with no upheld or undecided objection (domain guide §5: 「公示期满无异议」).

Registered with :func:`duikou.projects.workflow.register_guard` in ``DisclosureConfig.ready()``.

Which notice counts:

- ``library``, ``pre_implementation``, ``completion``: a published notice of the project.
- ``annual_plan``: a published announcement of the project's annual plan, or of the pairing's (or
  a parent pairing's) year, that lists the project (the 2021 plan of 北京市 → 巴东县 lists the
  房山区 projects too).

When the period has run: the notice must have been up ``min_days`` full days (from its first day
to the day before the step) and its declared period must be over. From ``start + min_days`` and
the day after ``end``, whichever is later, the project may proceed.
"""

import datetime as dt

from django.utils.translation import gettext as _

from duikou.projects.workflow import TRANSITIONS
from duikou.rules.selectors import rule_value

from .choices import DisclosureKind, DisclosureStatus, ObjectionDecision
from .models import Disclosure

__all__ = ["disclosure_guard", "proceed_from", "qualifying_disclosures"]


def _ancestor_ids(pairing) -> list[int]:
    ids, current = [], pairing
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.parent
    return ids


def qualifying_disclosures(project, kind: str):
    """The published notices of ``kind`` that may open the step for ``project``, newest first.
    (A rule check, not a user's read: it looks past ``restrict()`` as the workflow does.)"""
    published = Disclosure.objects.filter(kind=kind, status=DisclosureStatus.PUBLISHED)
    if kind != DisclosureKind.ANNUAL_PLAN:
        candidates = published.filter(project_id=project.pk)
    else:  # whether it lists the project is read from its content (see _problems)
        year = project.annual_plan.start_year if project.annual_plan_id else project.start_year
        candidates = published.filter(pairing_id__in=_ancestor_ids(project.pairing), year=year)
    return candidates.prefetch_related("objections").order_by("-start_date", "-id")


def proceed_from(disclosure, min_days: int) -> dt.date | None:
    """The first day a step may follow this notice (``None`` without a period)."""
    if disclosure.start_date is None:
        return None
    day = disclosure.start_date + dt.timedelta(days=min_days)
    if disclosure.end_date is not None:
        day = max(day, disclosure.end_date + dt.timedelta(days=1))
    return day


def _problems(disclosure, project, min_days: int, on: dt.date) -> list[str]:
    kind = disclosure.get_kind_display()
    problems = []
    if disclosure.kind == DisclosureKind.ANNUAL_PLAN and project.pk not in (
        disclosure.content_snapshot.get("project_ids") or []
    ):
        problems.append(_("The {kind} “{title}” does not list this project: publish an announcement that does.").format(
            kind=kind, title=disclosure.title))
        return problems
    ready = proceed_from(disclosure, min_days)
    if ready is not None and on < ready:
        run = max(0, (on - disclosure.start_date).days)
        problems.append(_(
            "The {kind} “{title}” has run {run} of at least {days} days (period {start} to {end}): "
            "the project can proceed on {date}, if no objection is upheld."
        ).format(kind=kind, title=disclosure.title, run=run, days=min_days, start=disclosure.start_date,
                 end=disclosure.end_date, date=ready))
    for objection in disclosure.objections.all():
        if objection.received_on > on:
            continue
        if objection.decision == ObjectionDecision.UPHELD:
            problems.append(_(
                "An objection to the {kind} “{title}” was upheld on {date} ({summary}): correct the project, "
                "withdraw the notice and publish a new one, then wait its period."
            ).format(kind=kind, title=disclosure.title, date=objection.decided_on, summary=objection.summary[:60]))
        elif objection.decision == ObjectionDecision.PENDING:
            problems.append(_(
                "An objection to the {kind} “{title}” received on {date} has not been decided: record the "
                "decision on the objection first."
            ).format(kind=kind, title=disclosure.title, date=objection.received_on))
    return problems


def disclosure_guard(*, project, transition, actor, on: dt.date) -> list[str]:
    """Block ``transition`` until its notice has run its period without an upheld objection."""
    if isinstance(transition, str):
        transition = TRANSITIONS.get(transition)
    kind = getattr(transition, "disclosure_kind", None)
    if not kind:
        return []
    min_days = int(rule_value("disclosure.min_days", pairing=project.pairing, year=on.year))
    candidates = list(qualifying_disclosures(project, kind))
    if not candidates:
        label = dict(DisclosureKind.choices).get(kind, kind)
        return [_(
            "This step needs a published {kind} for the project, and there is none: publish it from the project "
            "page (Disclosures → Add) and wait {days} days without an upheld objection."
        ).format(kind=label, days=min_days)]
    first_problems = None
    for disclosure in candidates:
        problems = _problems(disclosure, project, min_days, on)
        if not problems:
            return []
        first_problems = first_problems or problems
    return first_problems
