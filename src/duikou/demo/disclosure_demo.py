"""The demo's notices (公示/公告) for the Badong projects of the 14th five-year plan (2021 on).

Each project gets the notices its status has passed (domain guide §5, 「三公示一公告」), published
with the content built from its records at load time and frozen:

=====================  ===============================  ===================================
notice                 for                              period (10 days, ``disclosure.min_days``)
=====================  ===============================  ===================================
项目库公示             every project                     11-01 to 11-10 of the year before it starts
年度资金项目计划公告   each annual plan 2021–2024        03-01 to 03-10 of the plan's year
实施前公示             projects under way or further     04-10 to 04-19 of the first year
竣工公告               closed projects                   03-01 to 03-10 of the year after the last
=====================  ===============================  ===================================

So a lifecycle history may take 审定入库 from 11-11 of the year before, 年度计划下达 from 03-11,
开工 from 04-20 and 关闭 from 03-11 of the year after the works (the disclosure guard's dates).
The annual plan announcement is the plan's (北京市 → 巴东县) and lists the 房山区 projects of the
year too. One 2024 notice has a dismissed objection, to show the record.

Every row is illustrative (dates and channels are invented; the content comes from the demo's
records). :func:`load_disclosure_demo` is idempotent: a notice that exists is left as published
(its content is frozen), so a second run writes nothing.
"""

from __future__ import annotations

from datetime import date

from duikou.core.permissions import SYSTEM
from duikou.disclosure.choices import DisclosureChannel as C
from duikou.disclosure.choices import DisclosureKind as K
from duikou.disclosure.choices import DisclosureLevel, DisclosureStatus, ObjectionDecision
from duikou.disclosure.content import build_content
from duikou.disclosure.models import Disclosure, Objection
from duikou.organisations.models import Organisation
from duikou.plans.choices import PlanKind
from duikou.plans.models import Plan
from duikou.projects.choices import ProjectStatus
from duikou.projects.models import Project

from .upsert import Upserter

__all__ = ["FIRST_YEAR", "load_disclosure_demo", "notice_periods"]

FIRST_YEAR = 2021
GEN = "duikou demo generator (illustrative)"
S = ProjectStatus

UNDER_WAY = {S.IN_PROGRESS, S.COMPLETED, S.ACCEPTED, S.HANDED_OVER, S.EVALUATED, S.AUDITED, S.CLOSED}
CHANNELS = {
    K.LIBRARY: [C.COUNTY_WEBSITE, C.TOWNSHIP_BOARD],
    K.ANNUAL_PLAN: [C.COUNTY_WEBSITE],
    K.PRE_IMPLEMENTATION: [C.VILLAGE_BOARD, C.SITE_SIGNBOARD],
    K.COMPLETION: [C.COUNTY_WEBSITE, C.SITE_SIGNBOARD],
}
OBJECTION_PROJECT = "BJBD-2024-03"  # a generated 2024 project under way


def notice_periods(project) -> dict[str, tuple[date, date]]:
    """The notices the project's status has passed, with their periods (see the module's table)."""
    periods = {K.LIBRARY: (date(project.start_year - 1, 11, 1), date(project.start_year - 1, 11, 10))}
    if project.status in UNDER_WAY:
        periods[K.PRE_IMPLEMENTATION] = (date(project.start_year, 4, 10), date(project.start_year, 4, 19))
    if project.status == S.CLOSED:
        periods[K.COMPLETION] = (date(project.end_year + 1, 3, 1), date(project.end_year + 1, 3, 10))
    return periods


def _publish(up: Upserter, lookup: dict, fields: dict) -> Disclosure:
    """Create the published notice unless it exists (a published notice is never rewritten)."""
    existing = Disclosure.objects.filter(**lookup, status=DisclosureStatus.PUBLISHED).first()
    if existing is not None:
        return existing
    draft = Disclosure(**lookup, **fields)
    draft.year = draft.default_year() if draft.year is None else draft.year
    draft.title = draft.default_title()
    content = build_content(draft, actor=SYSTEM, on=fields["start_date"])
    return up(Disclosure, lookup, {
        **fields, "year": draft.year, "title": draft.title, "status": DisclosureStatus.PUBLISHED,
        "published_on": fields["start_date"], "content_snapshot": content, "is_illustrative": True, "source": GEN,
    })


def load_disclosure_demo(up_or_actor) -> Upserter:
    """Publish the demo's notices for Badong (see the module's docstring). ``up_or_actor``: the
    demo loader's :class:`~duikou.demo.upsert.Upserter` or an actor for a new one. Run it after
    the projects, funds and plans, before lifecycle histories that pass the guarded steps."""
    up = up_or_actor if isinstance(up_or_actor, Upserter) else Upserter(up_or_actor)
    issuer = Organisation.objects.filter(name="巴东县区域合作中心").first()
    common = {"level": DisclosureLevel.COUNTY, "issuer": issuer}
    plans = (Plan.objects.filter(kind=PlanKind.ANNUAL, start_year__gte=FIRST_YEAR,
                                 pairing__recipient_division__code="422823", pairing__parent__isnull=True)
             .select_related("pairing").order_by("start_year"))
    for plan in plans:
        year = plan.start_year
        _publish(up, {"kind": K.ANNUAL_PLAN, "plan": plan},
                 {**common, "pairing": plan.pairing, "channels": CHANNELS[K.ANNUAL_PLAN],
                  "start_date": date(year, 3, 1), "end_date": date(year, 3, 10)})
    projects = (Project.objects.filter(location_division__code="422823", start_year__gte=FIRST_YEAR)
                .exclude(status__in=[S.DRAFT, S.PROPOSED, S.TOWNSHIP_REVIEWED, S.CANCELLED])
                .select_related("pairing").order_by("code"))
    for project in projects:
        for kind, (start, end) in notice_periods(project).items():
            notice = _publish(up, {"kind": kind, "project": project},
                              {**common, "pairing": project.pairing, "channels": CHANNELS[kind],
                               "start_date": start, "end_date": end})
            if kind == K.PRE_IMPLEMENTATION and project.code == OBJECTION_PROJECT:
                up(Objection, {"disclosure": notice, "received_on": date(start.year, 4, 13)},
                   {"summary": "村民反映施工期间可能影响村道通行。", "decision": ObjectionDecision.DISMISSED,
                    "decided_on": date(start.year, 4, 16),
                    "resolution": "经核实，施工单位已制定交通疏导方案，不影响项目实施；已向反映人答复。",
                    "is_illustrative": True, "source": GEN})
    return up
