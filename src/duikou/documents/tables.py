"""The standard tables of the domain guide's report list (§10) as plain read models.

:data:`TABLES` names each table by slug and by its Chinese name; :func:`find_table` accepts
either; :func:`build_table` returns a :class:`Table` (columns, rows, a totals row where the
columns add up) for a pairing and its sub-pairings over budget years Y1..Y2. The renderers
(:mod:`duikou.documents.xlsx`) only lay them out. Every query goes through
``restrict(actor, "view")``; the grant and econ streams are never added together.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duikou.consumption.models import SalesRecord
from duikou.core.choices import FundLevel, FundStream
from duikou.funds.models import FundTransaction
from duikou.investment.models import CooperationAgreement, EnterpriseIntroduction
from duikou.organisations.models import Pairing
from duikou.organisations.selectors import pairing_tree_ids
from duikou.people.models import Secondment, TrainingSession
from duikou.performance.models import PerformanceIndicator
from duikou.projects.models import Project
from duikou.projects.selectors import project_counted
from duikou.reports.selectors import funds_by_year

from .selectors import ZERO, check_years, econ_by_year

__all__ = ["TABLES", "Column", "Table", "TableSpec", "build_table", "find_table"]

TEXT, MONEY, INT, DATE, PERCENT = "text", "money", "int", "date", "percent"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: int = 14


@dataclass(frozen=True)
class Table:
    """A table ready to lay out: ``rows`` hold str, int, Decimal, date or ``None``; ``totals`` is
    the totals row (or ``None`` when the columns do not add up); ``notes`` say what was counted."""

    slug: str
    name: str
    title: str
    columns: list[Column]
    rows: list[list]
    totals: list | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TableSpec:
    slug: str
    name: str  # the Chinese name offices use (data, not translated)
    description: object  # lazy translation
    build: object


def _within(prefix: str, year_from: int, year_to: int) -> dict:
    return {f"{prefix}__gte": date(year_from, 1, 1), f"{prefix}__lte": date(year_to, 12, 31)}


def _sum(rows, index):
    values = [row[index] for row in rows if row[index] is not None]
    if not values:
        return None
    return sum(values, Decimal(0) if any(isinstance(v, Decimal) for v in values) else 0)


def _totals(columns: list[Column], rows: list[list], label: str, kinds=(MONEY, INT)) -> list:
    out = [label] + [None] * (len(columns) - 1)
    for i, col in enumerate(columns):
        if i and col.kind in kinds:
            out[i] = _sum(rows, i)
    return out


def _span(start: int, end: int) -> str:
    return str(start) if start == end else f"{start}–{end}"


def _allocations_by_level(actor, project_ids, year_from, year_to) -> dict:
    sums = defaultdict(lambda: ZERO)
    for pk, level, total in (
        FundTransaction.objects.restrict(actor, "view")
        .filter(project_id__in=project_ids, stream=FundStream.GRANT, kind=FundTransaction.Kind.ALLOCATION,
                year__gte=year_from, year__lte=year_to)
        .values_list("project_id", "level").annotate(s=Sum("amount")).order_by()
    ):
        sums[pk, level] += total
    return sums


def _project_plan(actor, pairing, year_from, year_to) -> Table:
    projects = list(
        project_counted(Project.objects.restrict(actor, "view"))
        .filter(pairing_id__in=pairing_tree_ids(pairing), start_year__gte=year_from, start_year__lte=year_to)
        .select_related("key_task", "location_division", "implementing_unit").order_by("start_year", "code")
    )
    ids = [p.pk for p in projects]
    money = _allocations_by_level(actor, ids, year_from, year_to)
    targets = defaultdict(list)
    for indicator in PerformanceIndicator.objects.restrict(actor, "view").filter(project_id__in=ids).order_by(
            "project_id", "order", "id"):
        targets[indicator.project_id].append(str(indicator))
    columns = [
        Column(_("Code"), width=18), Column(_("Project"), width=30), Column(_("Key task"), width=10),
        Column(_("Field of work"), width=12), Column(_("Location (division code)"), width=12),
        Column(_("Location"), width=18), Column(_("Content and scale"), width=36),
        Column(_("Budget (yuan)"), MONEY), Column(_("City level (市级, yuan)"), MONEY),
        Column(_("District level (区级, yuan)"), MONEY), Column(_("Other (yuan)"), MONEY),
        Column(_("Implementing unit"), width=22), Column(_("Years"), width=11),
        Column(_("Performance targets"), width=40), Column(_("Farmer linkage (联农带农)"), width=30),
    ]
    rows = [
        [p.code, p.name, p.key_task.code, p.get_work_field_display(),
         p.location_division.code if p.location_division_id else "", p.location, p.description, p.budget,
         money[p.pk, FundLevel.CITY], money[p.pk, FundLevel.DISTRICT], money[p.pk, FundLevel.OTHER],
         p.implementing_unit.name if p.implementing_unit_id else "", _span(p.start_year, p.end_year),
         "；".join(targets[p.pk]), p.farmer_linkage]
        for p in projects
    ]
    return Table("", "", "", columns, rows, _totals(columns, rows, _("Total")), [
        _("Counted projects (in an annual plan, not cancelled) whose first year lies in the period; "
          "funds: free-aid (无偿援助) allocations of the period's budget years, by level.")])


def _project_progress(actor, pairing, year_from, year_to) -> Table:
    projects = list(
        project_counted(Project.objects.restrict(actor, "view"))
        .filter(pairing_id__in=pairing_tree_ids(pairing), start_year__lte=year_to, end_year__gte=year_from)
        .select_related("key_task").order_by("start_year", "code")
    )
    ids = [p.pk for p in projects]
    kinds = FundTransaction.Kind
    sums = defaultdict(lambda: ZERO)
    for pk, kind, total in (
        FundTransaction.objects.restrict(actor, "view")
        .filter(project_id__in=ids, stream=FundStream.GRANT, year__gte=year_from, year__lte=year_to,
                kind__in=[kinds.ALLOCATION, kinds.REMITTANCE, kinds.RECEIPT, kinds.EXPENDITURE])
        .values_list("project_id", "kind").annotate(s=Sum("amount")).order_by()
    ):
        sums[pk, kind] += total
    columns = [
        Column(_("Code"), width=18), Column(_("Project"), width=30), Column(_("Key task"), width=10),
        Column(_("Status"), width=14), Column(_("Years"), width=11), Column(_("Budget (yuan)"), MONEY),
        Column(_("Allocated (计划下达, yuan)"), MONEY), Column(_("Remitted (拨付, yuan)"), MONEY),
        Column(_("Received (到位, yuan)"), MONEY), Column(_("Spent (支出, yuan)"), MONEY),
        Column(_("Spending rate"), PERCENT, 10),
    ]
    rows = []
    for p in projects:
        allocated, spent = sums[p.pk, kinds.ALLOCATION], sums[p.pk, kinds.EXPENDITURE]
        rows.append([p.code, p.name, p.key_task.code, p.get_status_display(), _span(p.start_year, p.end_year),
                     p.budget, allocated, sums[p.pk, kinds.REMITTANCE], sums[p.pk, kinds.RECEIPT], spent,
                     (spent / allocated).quantize(Decimal("0.0001")) if allocated else None])
    totals = _totals(columns, rows, _("Total"))
    if totals[6]:
        totals[10] = (totals[9] / totals[6]).quantize(Decimal("0.0001"))
    return Table("", "", "", columns, rows, totals, [
        _("Counted projects running in the period; money: free-aid (无偿援助) transactions of the period's "
          "budget years; spending rate = spent / allocated.")])


def _cadres(actor, pairing, year_from, year_to) -> Table:
    secondments = (
        Secondment.objects.restrict(actor, "view")
        .filter(batch__pairing_id__in=pairing_tree_ids(pairing), **_within("batch__dispatched_on", year_from, year_to))
        .select_related("batch", "home_unit").order_by("batch__dispatched_on", "batch__number", "id")
    )
    columns = [
        Column(_("Full name"), width=10), Column(_("Home unit"), width=24), Column(_("Host unit"), width=24),
        Column(_("Post"), width=20), Column(_("Field"), width=14), Column(_("Batch"), INT, 8),
        Column(_("Dispatched on"), DATE, 12), Column(_("Start"), DATE, 12), Column(_("End"), DATE, 12),
        Column(_("Kind"), width=16),
    ]
    rows = [
        [s.person_name, s.home_unit.name if s.home_unit_id else "", s.host_unit, s.post, s.get_field_display(),
         s.batch.number, s.batch.dispatched_on, s.start_date, s.end_date, s.get_kind_display()]
        for s in secondments
    ]
    totals = [_("Total"), _("{n} people").format(n=len(rows))] + [None] * (len(columns) - 2)
    return Table("", "", "", columns, rows, totals, [
        _("Secondments in the batches dispatched in the period (as 挂职干部 in duikou stats).")])


def _training(actor, pairing, year_from, year_to) -> Table:
    sessions = (
        TrainingSession.objects.restrict(actor, "view")
        .filter(pairing_id__in=pairing_tree_ids(pairing), **_within("start_date", year_from, year_to))
        .select_related("organiser").order_by("start_date", "id")
    )
    columns = [
        Column(_("Title"), width=36), Column(_("Category"), width=18), Column(_("Start"), DATE, 12),
        Column(_("End"), DATE, 12), Column(_("Venue"), width=16), Column(_("Organiser"), width=24),
        Column(_("Participants"), INT, 10), Column(_("Person-times"), INT, 10), Column(_("Funds (yuan)"), MONEY),
    ]
    rows = [
        [t.title, t.get_category_display(), t.start_date, t.end_date, t.location,
         t.organiser.name if t.organiser_id else "", t.participants, t.person_times, t.funds]
        for t in sessions
    ]
    return Table("", "", "", columns, rows, _totals(columns, rows, _("Total")), [
        _("Training sessions starting in the period (培训人次 as in duikou stats).")])


def _consumption(actor, pairing, year_from, year_to) -> Table:
    sales = (
        SalesRecord.objects.restrict(actor, "view")
        .filter(pairing_id__in=pairing_tree_ids(pairing), **_within("date", year_from, year_to))
        .select_related("channel", "product__supplier", "product__origin_division", "market_division")
        .order_by("date", "id")
    )
    origin = pairing.recipient_division.code_prefix
    market = pairing.supporter.division.code_prefix if pairing.supporter.division_id else ""
    columns = [
        Column(_("Date"), DATE, 12), Column(_("Channel"), width=24), Column(_("Channel kind"), width=18),
        Column(_("Buyer"), width=22), Column(_("Buyer type"), width=12), Column(_("Product"), width=24),
        Column(_("Supplier"), width=24), Column(_("Origin"), width=14), Column(_("Market"), width=12),
        Column(_("Quantity"), MONEY, 10), Column(_("Unit"), width=6), Column(_("Amount (yuan)"), MONEY),
        Column(_("Counted"), width=8), Column(_("Why not counted"), width=28),
    ]
    rows = []
    for s in sales:
        reasons = []
        if not s.product.origin_division.code.startswith(origin):
            reasons.append(_("the product does not come from the recipient"))
        if market and not s.market_division.code.startswith(market):
            reasons.append(_("sold outside the supporter's market"))
        rows.append([s.date, s.channel.name, s.channel.get_kind_display(), s.buyer, s.get_buyer_type_display(),
                     s.product.name, s.product.supplier.name if s.product.supplier_id else "",
                     s.product.origin_division.name, s.market_division.name, s.quantity, s.unit, s.amount,
                     _("no") if reasons else _("yes"), "；".join(reasons)])
    totals = _totals(columns, rows, _("Total"), kinds=(MONEY,))
    totals[9] = None  # quantities of different units do not add up
    counted = sum((r[11] for r in rows if not r[13]), Decimal(0))
    return Table("", "", "", columns, rows, totals, [
        _("Sales records dated in the period. Counted: the product comes from the recipient and was sold in "
          "the supporter's market. Counted total: {amount} yuan.").format(amount=f"{counted:,.2f}")])


def _investment(actor, pairing, year_from, year_to) -> Table:
    cases = (
        EnterpriseIntroduction.objects.restrict(actor, "view")
        .filter(pairing_id__in=pairing_tree_ids(pairing), **_within("introduced_on", year_from, year_to))
        .select_related("enterprise__division", "responsible_cadre").order_by("introduced_on", "id")
    )
    columns = [
        Column(_("Enterprise"), width=26), Column(_("Unified social credit code"), width=20),
        Column(_("From"), width=14), Column(_("Industry"), width=16), Column(_("Introduced on"), DATE, 12),
        Column(_("Agreement signed on"), DATE, 12), Column(_("Agreed investment (yuan)"), MONEY),
        Column(_("Paid-in investment (yuan)"), MONEY), Column(_("Jobs created"), INT, 10),
        Column(_("Responsible cadre"), width=12), Column(_("Status"), width=14), Column(_("Note"), width=30),
    ]
    rows = [
        [c.enterprise.name, c.enterprise.credit_code,
         c.enterprise.division.name if c.enterprise.division_id else "", c.industry, c.introduced_on,
         c.agreement_signed_on, c.agreed_amount, c.paid_in_amount, c.jobs,
         c.responsible_cadre.person_name if c.responsible_cadre_id else "", c.get_status_display(), c.note]
        for c in cases
    ]
    return Table("", "", "", columns, rows, _totals(columns, rows, _("Total")), [
        _("Enterprises introduced in the period, whatever their status (duikou stats counts those agreed or "
          "landed). Investment is economic cooperation (经济合作), never added to free aid.")])


def _agreements(actor, pairing, year_from, year_to) -> Table:
    agreements = (
        CooperationAgreement.objects.restrict(actor, "view")
        .filter(pairing_id__in=pairing_tree_ids(pairing), signed_year__gte=year_from, signed_year__lte=year_to)
        .prefetch_related("parties").order_by("signed_year", "signed_on", "id")
    )
    columns = [
        Column(_("Title"), width=40), Column(_("Parties"), width=40), Column(_("Kind"), width=22),
        Column(_("Year signed"), INT, 8), Column(_("Signed on"), DATE, 12), Column(_("Valid until"), DATE, 12),
        Column(_("Agreed matters"), width=40), Column(_("Progress"), width=30),
    ]
    rows = [
        [a.title, "、".join(p.name for p in a.parties.all()), a.get_kind_display(), a.signed_year, a.signed_on,
         a.valid_until, a.content, a.progress]
        for a in agreements
    ]
    return Table("", "", "", columns, rows, None, [_("Cooperation agreements signed in the period.")])


def _cumulative(actor, pairing, year_from, year_to) -> Table:
    funds = funds_by_year(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to)
    econ = dict(econ_by_year(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to))
    counts = dict(
        project_counted(Project.objects.restrict(actor, "view"))
        .filter(pairing_id__in=pairing_tree_ids(pairing), start_year__gte=year_from, start_year__lte=year_to)
        .values_list("start_year").annotate(n=Count("id")).order_by()
    )
    columns = [
        Column(_("Year"), INT, 8), Column(_("Free aid, city level (市级, yuan)"), MONEY, 18),
        Column(_("Free aid, district level (区级, yuan)"), MONEY, 18), Column(_("Free aid, other (yuan)"), MONEY, 16),
        Column(_("Free aid (无偿援助资金, yuan)"), MONEY, 18), Column(_("Free aid, cumulative (yuan)"), MONEY, 18),
        Column(_("Number of projects"), INT, 8), Column(_("Projects, cumulative"), INT, 10),
        Column(_("Economic cooperation (经济合作资金, yuan)"), MONEY, 20),
        Column(_("Economic cooperation, cumulative (yuan)"), MONEY, 20),
    ]
    # the cumulative columns count from the pairing's first year, whatever Y1
    first = min(pairing.valid_from.year, year_from)
    grant_total, project_total, econ_total = ZERO, 0, ZERO
    if first < year_from:
        grant_total = sum((row.total for row in funds_by_year(actor=actor, pairing=pairing, year_from=first,
                                                              year_to=year_from - 1)), ZERO)
        econ_total = sum((amount for _y, amount in econ_by_year(actor=actor, pairing=pairing, year_from=first,
                                                                year_to=year_from - 1)), ZERO)
        project_total = (
            project_counted(Project.objects.restrict(actor, "view"))
            .filter(pairing_id__in=pairing_tree_ids(pairing), start_year__gte=first, start_year__lt=year_from).count()
        )
    rows = []
    for row in funds:
        grant_total += row.total
        project_total += counts.get(row.year, 0)
        econ_total += econ[row.year]
        rows.append([row.year, row.city, row.district, row.other, row.total, grant_total,
                     counts.get(row.year, 0), project_total, econ[row.year], econ_total])
    totals = _totals(columns, rows, _("Total"))
    totals[5], totals[7], totals[9] = None, None, None
    return Table("", "", "", columns, rows, totals, [
        _("Free aid: grant-stream allocations (计划下达) by budget year; projects: counted projects by first "
          "year; economic cooperation: econ-stream money received (到位). Cumulative columns count from {first}. "
          "The two streams are never added together.").format(first=first)])


TABLES: dict[str, TableSpec] = {spec.slug: spec for spec in (
    TableSpec("project-plan", "年度项目计划表", gettext_lazy("annual project plan"), _project_plan),
    TableSpec("project-progress", "项目进度表", gettext_lazy("project progress"), _project_progress),
    TableSpec("cadres", "干部人才台账", gettext_lazy("ledger of seconded cadres and professionals"), _cadres),
    TableSpec("training", "培训台账", gettext_lazy("ledger of training sessions"), _training),
    TableSpec("consumption", "消费帮扶统计表", gettext_lazy("consumption assistance sales"), _consumption),
    TableSpec("investment", "招商引资台账", gettext_lazy("ledger of enterprises introduced"), _investment),
    TableSpec("agreements", "合作协议台账", gettext_lazy("ledger of cooperation agreements"), _agreements),
    TableSpec("cumulative", "三峡累计统计表", gettext_lazy("year-by-year and cumulative statistics"), _cumulative),
)}


def find_table(name: str) -> TableSpec:
    """The table named by its slug or its Chinese name, or a ``ValidationError`` naming ``table``."""
    name = str(name or "").strip()
    for spec in TABLES.values():
        if name in (spec.slug, spec.name):
            return spec
    known = ", ".join(f"{s.slug} ({s.name})" for s in TABLES.values())
    raise ValidationError({"table": _("Unknown table {name}: choose one of {known}.").format(
        name=name or "—", known=known)})


def build_table(*, actor, pairing: Pairing, table: str, year_from: int, year_to: int) -> Table:
    """The table ``table`` (slug or Chinese name) of ``pairing`` and its sub-pairings for Y1..Y2."""
    spec = find_table(table)
    year_from, year_to = check_years(year_from, year_to)
    built = spec.build(actor, pairing, year_from, year_to)
    return Table(slug=spec.slug, name=spec.name, title=spec.name, columns=built.columns, rows=built.rows,
                 totals=built.totals, notes=built.notes)
