"""Figures of pairings, computed from records (SQL aggregates; nothing is stored).

Every figure of a pairing covers the pairing and all its sub-pairings over the budget years
Y1..Y2, and every query goes through ``restrict(actor, "view")``, so an actor sees the figures of
the records they may read. The definitions are in ``docs/user/stats.md``.

- :func:`pairing_figures` → :class:`PairingFigures`: the headline figures ``duikou stats`` prints
  (its ``as_json()`` is a public contract).
- The pairing dashboard: :func:`period_years` (``?period=``), :func:`funds_by_year`,
  :func:`funds_progress`, :func:`projects_by_task`, :func:`project_locations`,
  :func:`recent_changes`.
- The national overview: :func:`overview_years`, :func:`national_overview`.

Money is Decimal yuan; the ``grant`` and ``econ`` streams are never added together (all funds
figures here are of the grant stream, 无偿援助).
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from duikou.accounts.scopes import descendant_ids
from duikou.audit.models import ObjectChange, ObjectChangeScope
from duikou.core.choices import FundLevel, FundStream
from duikou.core.money import as_yuan_str
from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundTotal, FundTransaction
from duikou.organisations.models import Pairing, Programme
from duikou.organisations.selectors import pairing_tree_ids
from duikou.plans.choices import PlanKind
from duikou.plans.models import KeyTask, PlanEnvelope
from duikou.projects.choices import COUNTED_STATUSES
from duikou.projects.models import Project, ProjectTotal
from duikou.projects.selectors import project_counted

from . import figures

__all__ = [
    "COUNTED_PROJECT_STATUSES",
    "FOURTEENTH_PLAN",
    "PERIOD_CHOICES",
    "FundsProgress",
    "NationalOverview",
    "OverviewRow",
    "OverviewTotal",
    "PairingFigures",
    "ProjectLocations",
    "TaskFigures",
    "TaskRow",
    "TownshipRow",
    "YearFunds",
    "funds_by_year",
    "funds_progress",
    "national_overview",
    "overview_years",
    "pairing_figures",
    "pairing_years",
    "period_years",
    "project_locations",
    "projects_by_task",
    "recent_changes",
    "township_of",
]

# The statuses the figures count (in an annual plan, not cancelled): one constant for the
# dashboard cards and the register's "counted" filter. The old name stays for existing callers.
COUNTED_PROJECT_STATUSES = COUNTED_STATUSES
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
FOURTEENTH_PLAN = figures.FOURTEENTH_PLAN  # 十四五: 2021–2025

PERIOD_ALL, PERIOD_14TH = "all", "14th"
# The periods every pairing offers; single years come from pairing_years().
PERIOD_CHOICES = [
    (PERIOD_ALL, _("Cumulative")),
    (PERIOD_14TH, _("14th Five-Year Plan")),
]


@dataclass(frozen=True)
class TaskFigures:
    projects: int
    funds_yuan: Decimal


@dataclass(frozen=True)
class PairingFigures:
    pairing_id: int
    supporter: str
    recipient: str
    year_from: int
    year_to: int
    aid_funds_yuan: Decimal
    aid_funds_illustrative_yuan: Decimal
    projects: int
    projects_by_task: dict[str, TaskFigures]
    planned_funds_yuan: Decimal | None
    cadres_seconded: int
    cadre_batches: int
    training_person_times: int
    consumption_products: int
    contract_sales_yuan: Decimal
    enterprises_introduced: int

    @property
    def illustrative_share(self) -> float:
        if not self.aid_funds_yuan:
            return 0.0
        return round(float(self.aid_funds_illustrative_yuan / self.aid_funds_yuan), 4)

    def as_json(self) -> dict:
        """The ``duikou stats --json`` object: money as strings with 2 decimals, counts as ints."""
        return {
            "supporter": self.supporter,
            "recipient": self.recipient,
            "from": self.year_from,
            "to": self.year_to,
            "aid_funds_yuan": as_yuan_str(self.aid_funds_yuan),
            "projects": self.projects,
            "projects_by_task": {
                code: {"projects": t.projects, "funds_yuan": as_yuan_str(t.funds_yuan)}
                for code, t in self.projects_by_task.items()
            },
            "planned_funds_yuan": None if self.planned_funds_yuan is None else as_yuan_str(self.planned_funds_yuan),
            "cadres_seconded": self.cadres_seconded,
            "cadre_batches": self.cadre_batches,
            "training_person_times": self.training_person_times,
            "consumption_products": self.consumption_products,
            "contract_sales_yuan": as_yuan_str(self.contract_sales_yuan),
            "enterprises_introduced": self.enterprises_introduced,
            "illustrative_share": self.illustrative_share,
        }


def _yuan(value: Decimal | None) -> Decimal:
    """An amount with its two decimals (SQLite's sums drop them; PostgreSQL's keep them)."""
    return (value or ZERO).quantize(CENT)


def _check_years(year_from: int, year_to: int) -> None:
    if year_to < year_from:
        raise ValidationError({"to": "The last year must not be before the first year."})


# The queries the figures share: one definition each, so that every page counts alike. ------------


def _grant_transactions(actor, ids, year_from: int, year_to: int):
    """Grant-stream (无偿援助) transactions of the pairings ``ids`` (``None``: every pairing) in
    budget years Y1..Y2."""
    qs = FundTransaction.objects.restrict(actor, "view").filter(
        stream=FundStream.GRANT, year__gte=year_from, year__lte=year_to
    )
    return qs if ids is None else qs.filter(pairing_id__in=ids)


def _grant_allocations(actor, ids, year_from: int, year_to: int):
    """The free aid funds (无偿援助资金) of the figures: grant-stream allocations (计划下达)."""
    return _grant_transactions(actor, ids, year_from, year_to).filter(kind=FundTransaction.Kind.ALLOCATION)


def _counted_projects(actor, ids, year_from: int, year_to: int):
    """The projects of the pairings ``ids`` (``None``: every pairing) the figures count: first year
    in Y1..Y2, in a counted status."""
    qs = project_counted(Project.objects.restrict(actor, "view")).filter(
        start_year__gte=year_from, start_year__lte=year_to
    )
    return qs if ids is None else qs.filter(pairing_id__in=ids)


def _task_name(name: str, name_en: str) -> str:
    """A key task's name in the active language (the table holds Chinese and English)."""
    english = (get_language() or "").startswith("en")
    return name_en if english and name_en else name


def _task_figures(projects, grants) -> list[tuple[str, str, TaskFigures]]:
    """(code, name in the active language, figures) for every key task in order: counted projects
    (``projects``) and the allocations to them (``grants`` with a project), by the project's task."""
    count_by_task = dict(projects.values_list("key_task__code").annotate(n=Count("id")).order_by())
    funds_by_task = dict(
        grants.filter(project__isnull=False).values_list("project__key_task__code").annotate(s=Sum("amount")).order_by()
    )
    # Key tasks are reference data every user reads (restrict_public_view); not restricted, so
    # that every code is listed whoever asks.
    return [
        (code, _task_name(name, name_en),
         TaskFigures(projects=count_by_task.get(code, 0), funds_yuan=funds_by_task.get(code) or ZERO))
        for code, name, name_en in KeyTask.objects.order_by("order").values_list("code", "name", "name_en")
    ]


def _envelopes(actor, ids, year_from: int, year_to: int) -> tuple[Decimal | None, Decimal | None]:
    """(five-year, annual) planned grant funds of the pairings ``ids`` for Y1..Y2, in one query.

    Five-year: the grant envelopes of the pairing five-year plans covering exactly Y1..Y2. Annual:
    the grant envelopes of the annual plans whose year lies in Y1..Y2. ``None`` where no such
    envelope exists (a plan without an envelope plans nothing we can show)."""
    five_year = Q(plan__kind=PlanKind.PAIRING_FIVE_YEAR, plan__start_year=year_from, plan__end_year=year_to)
    annual = Q(plan__kind=PlanKind.ANNUAL, plan__start_year__gte=year_from, plan__start_year__lte=year_to)
    found = PlanEnvelope.objects.restrict(actor, "view").filter(
        five_year | annual, plan__pairing_id__in=ids, stream=FundStream.GRANT
    ).aggregate(
        five_year=Sum("amount", filter=five_year), five_year_n=Count("id", filter=five_year),
        annual=Sum("amount", filter=annual), annual_n=Count("id", filter=annual),
    )
    return (found["five_year"] if found["five_year_n"] else None, found["annual"] if found["annual_n"] else None)


def pairing_figures(*, actor, pairing: Pairing, year_from: int, year_to: int) -> PairingFigures:
    """The headline figures of ``pairing`` (and its sub-pairings) for the years ``year_from..year_to``,
    each computed from its definition in the registry (:mod:`duikou.reports.figures`)."""
    ctx = figures.figure_context(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to)
    # Key tasks are reference data every user reads (restrict_public_view); not restricted, so
    # that every code is listed whoever asks.
    codes = list(KeyTask.objects.order_by("order").values_list("code", flat=True))
    wanted = [figures.get_figure(key) for key in figures.STATS_FIGURES.values()]
    wanted += [figures.get_figure(f"task_{kind}.{code}") for code in codes for kind in ("projects", "funds")]
    values = figures.evaluate(ctx, wanted)
    by_name = {name: values[key] for name, key in figures.STATS_FIGURES.items()}
    by_task = {code: TaskFigures(projects=values[f"task_projects.{code}"], funds_yuan=values[f"task_funds.{code}"])
               for code in codes}
    return PairingFigures(
        pairing_id=pairing.pk,
        supporter=str(pairing.supporter),
        recipient=str(pairing.recipient),
        year_from=year_from,
        year_to=year_to,
        projects_by_task=by_task,
        **by_name,
    )


# Periods ------------------------------------------------------------------------------------------


def _this_year(today: date | None) -> int:
    return (today or timezone.localdate()).year


def pairing_years(pairing: Pairing, today: date | None = None) -> list[int]:
    """The single years a pairing's figures can be shown for, oldest first: from its first year to
    its last, or to this year while it runs (never a year still to come)."""
    last = _this_year(today)
    if pairing.valid_to is not None:
        last = min(last, pairing.valid_to.year)
    return list(range(pairing.valid_from.year, last + 1))


def period_years(pairing: Pairing, period: str, today: date | None = None) -> tuple[int, int]:
    """The budget years (Y1, Y2) of a dashboard period of ``pairing``.

    - ``"all"`` (累计): the pairing's first year to its last, or to this year while it runs (a
      pairing that starts in a later year: that year alone);
    - ``"14th"`` (“十四五”): 2021–2025, whatever the pairing's period;
    - a year such as ``"2023"``: that year, if it is one of :func:`pairing_years`.

    Anything else raises ``ValidationError({"period": …})``.
    """
    period = str(period or "").strip()
    if period == PERIOD_ALL:
        years = pairing_years(pairing, today)
        return (years[0], years[-1]) if years else (pairing.valid_from.year, pairing.valid_from.year)
    if period == PERIOD_14TH:
        return FOURTEENTH_PLAN
    years = pairing_years(pairing, today)
    if re.fullmatch(r"\d{4}", period) and int(period) in years:
        return int(period), int(period)
    span = f"{years[0]}–{years[-1]}" if years else str(pairing.valid_from.year)
    raise ValidationError({"period": _("Unknown period {period}: choose all, 14th or a year in {years}.").format(
        period=period or "—", years=span)})


def overview_years(period: str, today: date | None = None) -> tuple[int, int]:
    """The budget years (Y1, Y2) of a national-overview period: ``"all"`` from the first
    programme's start to this year, ``"14th"`` 2021–2025, or a single year from the first
    programme's start to this year. Anything else raises ``ValidationError({"period": …})``."""
    this_year = _this_year(today)
    # Programmes are reference data every signed-in user reads (restrict_public_view).
    first = Programme.objects.restrict(SYSTEM, "view").order_by("started_on").values_list("started_on", flat=True)
    first_year = min((first[0].year if first else this_year), this_year)
    period = str(period or "").strip()
    if period == PERIOD_ALL:
        return first_year, this_year
    if period == PERIOD_14TH:
        return FOURTEENTH_PLAN
    if re.fullmatch(r"\d{4}", period) and first_year <= int(period) <= this_year:
        return int(period), int(period)
    raise ValidationError({"period": _("Unknown period {period}: choose all, 14th or a year in {years}.").format(
        period=period or "—", years=f"{first_year}–{this_year}")})


# The pairing dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearFunds:
    """Free aid funds allocated in one budget year, by level (市级, 区级, other)."""

    year: int
    city: Decimal
    district: Decimal
    other: Decimal

    @property
    def total(self) -> Decimal:
        return self.city + self.district + self.other


def funds_by_year(*, actor, pairing: Pairing, year_from: int, year_to: int) -> list[YearFunds]:
    """One :class:`YearFunds` per budget year Y1..Y2 (zeros included): the grant-stream
    allocations of the pairing and its sub-pairings by :class:`~duikou.core.choices.FundLevel`.

    The same transactions as :attr:`PairingFigures.aid_funds_yuan`: the rows' totals add up to it
    for the same years."""
    _check_years(year_from, year_to)
    sums = defaultdict(lambda: ZERO)
    grants = _grant_allocations(actor, pairing_tree_ids(pairing), year_from, year_to)
    for year, level, total in grants.values_list("year", "level").annotate(total=Sum("amount")).order_by():
        sums[year, level] += total
    return [
        YearFunds(year=year, city=_yuan(sums[year, FundLevel.CITY]), district=_yuan(sums[year, FundLevel.DISTRICT]),
                  other=_yuan(sums[year, FundLevel.OTHER]))
        for year in range(year_from, year_to + 1)
    ]


@dataclass(frozen=True)
class FundsProgress:
    """Free aid (grant stream) of a pairing and its sub-pairings for budget years Y1..Y2, step by step.

    - ``planned``: the grant envelope of the pairing five-year plan that covers exactly Y1..Y2 (as
      :attr:`PairingFigures.planned_funds_yuan`); for other years, the grant envelopes of the annual
      plans of years in Y1..Y2; ``None`` when neither exists;
    - ``allocated``: allocations (计划下达), the free aid funds of the figures;
    - ``remitted``: remittances (拨付) from the supporter;
    - ``received``: receipts (到位) in the recipient's account;
    - ``spent``: expenditure (支出) on the projects.

    Each sums the transactions of that kind whose budget year lies in Y1..Y2.
    """

    year_from: int
    year_to: int
    planned: Decimal | None
    allocated: Decimal
    remitted: Decimal
    received: Decimal
    spent: Decimal

    def rows(self) -> list[tuple[str, Decimal | None]]:
        """(translated label, amount) in order, for tables and charts."""
        return [
            (_("planned (plan envelope)"), self.planned),
            (_("allocated (计划下达)"), self.allocated),
            (_("remitted (拨付)"), self.remitted),
            (_("received (到位)"), self.received),
            (_("spent (支出)"), self.spent),
        ]


def funds_progress(*, actor, pairing: Pairing, year_from: int, year_to: int) -> FundsProgress:
    """:class:`FundsProgress` of ``pairing`` and its sub-pairings (two queries after the tree)."""
    _check_years(year_from, year_to)
    ids = pairing_tree_ids(pairing)
    kinds = FundTransaction.Kind
    sums = _grant_transactions(actor, ids, year_from, year_to).aggregate(**{
        name: Sum("amount", filter=Q(kind=kind))
        for name, kind in (("allocated", kinds.ALLOCATION), ("remitted", kinds.REMITTANCE),
                           ("received", kinds.RECEIPT), ("spent", kinds.EXPENDITURE))
    })
    five_year, annual = _envelopes(actor, ids, year_from, year_to)
    return FundsProgress(
        year_from=year_from, year_to=year_to,
        planned=_yuan(five_year) if five_year is not None else (None if annual is None else _yuan(annual)),
        **{name: _yuan(value) for name, value in sums.items()},
    )


@dataclass(frozen=True)
class TaskRow:
    """One key task: its code, its name in the active language, counted projects and their funds."""

    code: str
    name: str
    projects: int
    funds_yuan: Decimal


def projects_by_task(*, actor, pairing: Pairing, year_from: int, year_to: int) -> list[TaskRow]:
    """Every key task in order with the counted projects that started in Y1..Y2 and the grant
    allocations to them: the same queries as :attr:`PairingFigures.projects_by_task`."""
    _check_years(year_from, year_to)
    ids = pairing_tree_ids(pairing)
    figures = _task_figures(_counted_projects(actor, ids, year_from, year_to),
                            _grant_allocations(actor, ids, year_from, year_to))
    return [TaskRow(code=code, name=name, projects=f.projects, funds_yuan=_yuan(f.funds_yuan)) for code, name, f in figures]


@dataclass(frozen=True)
class TownshipRow:
    """Counted projects in one township: ``township`` as written in the locations ("" when the
    location is empty), ``name`` to show ("not stated" for those)."""

    township: str
    name: str
    projects: int
    budget_yuan: Decimal


@dataclass(frozen=True)
class ProjectLocations:
    """Where a pairing's counted projects are: per township, and the points of those with
    coordinates (dicts ``id``, ``code``, ``name``, ``latitude``, ``longitude``; the coordinates
    as decimal strings, ready for a chart)."""

    townships: list[TownshipRow]
    points: list[dict]


# A location is written township first (信陵镇, 信陵镇 青龙桥村, 信陵镇，青龙桥村, 信陵镇/青龙桥村 …).
_LOCATION_SEPARATORS = re.compile(r"[\s,，、;；/|·()（）]")


def township_of(location: str) -> str:
    """The township of a project's location: the text before its first separator (space, comma,
    enumeration comma, semicolon, slash, bar, middle dot or bracket); "" for an empty location."""
    return _LOCATION_SEPARATORS.split((location or "").strip(), maxsplit=1)[0]


def project_locations(*, actor, pairing: Pairing, year_from: int, year_to: int) -> ProjectLocations:
    """The counted projects of ``pairing`` and its sub-pairings that started in Y1..Y2, by township
    (most projects first, "not stated" last), and those with coordinates as points (by code).

    Two queries after the tree: the projects are counted and summed per location in SQL, and
    locations that share a township are merged here (the split is done in Python, over one row per
    distinct location)."""
    _check_years(year_from, year_to)
    projects = _counted_projects(actor, pairing_tree_ids(pairing), year_from, year_to)
    counts, budgets = defaultdict(int), defaultdict(lambda: ZERO)
    for location, n, budget in projects.values_list("location").annotate(n=Count("id"), s=Sum("budget")).order_by():
        township = township_of(location)
        counts[township] += n
        budgets[township] += budget or ZERO
    townships = sorted(
        (TownshipRow(township=t, name=t or _("not stated"), projects=counts[t], budget_yuan=_yuan(budgets[t]))
         for t in counts),
        key=lambda row: (row.township == "", -row.projects, -row.budget_yuan, row.township),
    )
    points = [
        {"id": pk, "code": code, "name": name, "latitude": format(lat, "f"), "longitude": format(lon, "f")}
        for pk, code, name, lat, lon in projects.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("code").values_list("id", "code", "name", "latitude", "longitude")
    ]
    return ProjectLocations(townships=townships, points=points)


def recent_changes(*, actor, pairing: Pairing, limit: int = 10) -> list[ObjectChange]:
    """The latest ``limit`` changes, newest first, that the actor may read and that concern the
    pairing's supporter or recipient or an organisation under either (房山区 under 北京市, a
    township under 巴东县), with ``content_type`` fetched alongside.

    The audit log is scoped by organisation, not by pairing: a change to another pairing of the same
    supporter or recipient appears too. The number of queries depends on the depth of the two
    organisation trees, not on the number of changes.
    """
    org_ids = descendant_ids({pairing.supporter_id, pairing.recipient_id})
    concerns = ObjectChangeScope.objects.filter(change_id=OuterRef("pk"), organisation_id__in=org_ids)
    changes = ObjectChange.objects.restrict(actor, "view").filter(Exists(concerns))
    return list(changes.select_related("content_type").order_by("-time", "-id")[:limit])


# The national overview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewRow:
    """A top-level pairing with its sub-pairings rolled in: free aid allocated and counted projects."""

    pairing_id: int
    programme: str
    supporter_id: int
    supporter: str
    recipient_id: int
    recipient: str
    funds_yuan: Decimal
    projects: int


@dataclass(frozen=True)
class OverviewTotal:
    """The pairing rows of one supporter or one recipient added up."""

    organisation_id: int
    name: str
    pairings: int
    funds_yuan: Decimal
    projects: int


@dataclass(frozen=True)
class NationalOverview:
    """Per top-level pairing, per supporter and per recipient; each list by funds, largest first."""

    year_from: int
    year_to: int
    pairings: list[OverviewRow]
    supporters: list[OverviewTotal]
    recipients: list[OverviewTotal]

    @property
    def funds_yuan(self) -> Decimal:
        return sum((row.funds_yuan for row in self.pairings), ZERO)

    @property
    def projects(self) -> int:
        return sum(row.projects for row in self.pairings)


def _totals(rows: list[OverviewRow], side: str) -> list[OverviewTotal]:
    grouped: dict[int, list[OverviewRow]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, f"{side}_id")].append(row)
    totals = [
        OverviewTotal(organisation_id=org_id, name=getattr(group[0], side), pairings=len(group),
                      funds_yuan=sum((r.funds_yuan for r in group), ZERO), projects=sum(r.projects for r in group))
        for org_id, group in grouped.items()
    ]
    return sorted(totals, key=lambda t: (-t.funds_yuan, t.name))


def national_overview(*, actor, year_from: int, year_to: int) -> NationalOverview:
    """Every top-level pairing the actor sees whose period overlaps Y1..Y2, with the grant
    allocations and counted projects of budget years Y1..Y2 of the pairing and all its
    sub-pairings (at any depth), and the same added up per supporter and per recipient.

    Four queries whatever the number of pairings: the top-level pairings, the parent of every
    sub-pairing, and the allocations and projects grouped by pairing in SQL (from the register
    totals, which the write services keep; ``duikou totals check`` compares them with the records); sub-pairings are
    mapped to their top-level pairing here. A sub-pairing whose top-level pairing the actor does not
    see (房山区's office) is left out. Lists are sorted by funds, largest first; the view may sort
    them again.
    """
    _check_years(year_from, year_to)
    visible = Pairing.objects.restrict(actor, "view")
    tops = list(
        visible.filter(parent__isnull=True, valid_from__lte=date(year_to, 12, 31))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date(year_from, 1, 1)))
        .select_related("programme", "supporter", "recipient")
    )
    parent_of = dict(visible.filter(parent__isnull=False).values_list("id", "parent_id"))

    def root(pairing_id: int) -> int:
        seen = set()
        while pairing_id in parent_of and pairing_id not in seen:
            seen.add(pairing_id)
            pairing_id = parent_of[pairing_id]
        return pairing_id

    # From the register totals (``duikou.core.totals``), kept per pairing and year by the services:
    # the same sums as the records' (grant allocations, counted projects), from some 87,000 and
    # 22,000 rows instead of 3 million and 300,000 at national scale.
    funds, projects = defaultdict(int), defaultdict(int)
    allocations = FundTotal.objects.restrict(actor, "view").filter(
        stream=FundStream.GRANT, kind=FundTransaction.Kind.ALLOCATION, year__gte=year_from, year__lte=year_to)
    for pairing_id, cents in allocations.values_list("pairing_id").annotate(c=Sum("total_cents")).order_by():
        funds[root(pairing_id)] += cents
    counted = ProjectTotal.objects.restrict(actor, "view").filter(
        status__in=COUNTED_STATUSES, start_year__gte=year_from, start_year__lte=year_to)
    for pairing_id, n in counted.values_list("pairing_id").annotate(n=Sum("n")).order_by():
        projects[root(pairing_id)] += n

    rows = sorted(
        (OverviewRow(pairing_id=p.pk, programme=p.programme.name, supporter_id=p.supporter_id,
                     supporter=str(p.supporter), recipient_id=p.recipient_id, recipient=str(p.recipient),
                     funds_yuan=_yuan(Decimal(funds[p.pk]) / 100), projects=projects[p.pk]) for p in tops),
        key=lambda r: (-r.funds_yuan, r.supporter, r.recipient, r.pairing_id),
    )
    return NationalOverview(year_from=year_from, year_to=year_to, pairings=rows,
                            supporters=_totals(rows, "supporter"), recipients=_totals(rows, "recipient"))
