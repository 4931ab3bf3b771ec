"""The registry of named headline figures (汇报口径): what each counts, and the one query behind it.

A :class:`Figure` says, once, what a headline figure is: its key, its Chinese and English label,
the rows it counts (a :class:`Source` — a model and the filter every figure of that source shares —
plus the figure's own filter), the funds stream, the period rule and the unit. The same definition
gives the figure's **value** (:func:`evaluate`) and the **records behind it** (:func:`records`):
both start from ``source.rows(ctx, years).filter(figure.filter)``, so a value and its records never
disagree. ``duikou stats`` and the pairing dashboard's cards (``reports.selectors.pairing_figures``)
and the published figure sets (``duikou.figures``) all go through it.

Every query goes through ``restrict(actor, "view")``: an actor's figures count the records they may
read. Money is Decimal yuan; a figure counts one stream, never ``grant`` and ``econ`` together.

Period rules (:class:`PeriodRule`), applied to the years asked (Y1..Y2) and the pairing:

- ``range``: Y1..Y2 as asked (what ``duikou stats --from Y1 --to Y2`` and the dashboard show);
- ``cumulative``: from the pairing's first year to Y2 (累计, since the pairing began);
- ``plan``: a five-year plan's years, whatever was asked (十四五: 2021–2025);
- ``year``: the year Y2 alone (当年).
"""

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import Count, Q, Sum, Value
from django.utils.translation import get_language

from duikou.consumption.models import SalesContract, SalesRecord
from duikou.core.choices import FundStream
from duikou.core.permissions import scope_for
from duikou.funds.models import FundTransaction
from duikou.investment.models import EnterpriseIntroduction
from duikou.organisations.models import Pairing
from duikou.organisations.selectors import pairing_tree_ids
from duikou.people.models import Secondment, SecondmentBatch, TrainingSession
from duikou.plans.choices import KEY_TASKS, PlanKind
from duikou.plans.models import PlanEnvelope
from duikou.projects.models import Project
from duikou.projects.selectors import project_counted

__all__ = [
    "FIGURES",
    "FOURTEENTH_PLAN",
    "SOURCES",
    "STATS_FIGURES",
    "Figure",
    "FigureContext",
    "Measure",
    "PeriodRule",
    "Source",
    "evaluate",
    "figure_context",
    "get_figure",
    "records",
    "task_figure",
]

ZERO = Decimal("0")
FOURTEENTH_PLAN = (2021, 2025)  # 十四五


def _within(prefix: str, year_from: int, year_to: int) -> dict:
    return {f"{prefix}__gte": date(year_from, 1, 1), f"{prefix}__lte": date(year_to, 12, 31)}


@dataclass(frozen=True)
class FigureContext:
    """Who asks, for which pairing (and its sub-pairings: ``ids``), over which years Y1..Y2."""

    actor: object
    pairing: Pairing
    ids: tuple[int, ...]
    year_from: int
    year_to: int


def figure_context(*, actor, pairing: Pairing, year_from: int, year_to: int) -> FigureContext:
    if year_to < year_from:
        raise ValidationError({"to": "The last year must not be before the first year."})
    return FigureContext(actor, pairing, tuple(pairing_tree_ids(pairing)), year_from, year_to)


# Sources: the rows a family of figures counts, with the conditions they all share. -------------------


@dataclass(frozen=True)
class Source:
    """A model and the rows of a pairing tree and years that figures of this source count."""

    key: str
    model: type
    description: str  # what the rows are (English; shown in definitions and kept in snapshots)
    build: object = field(repr=False)  # (ctx, year_from, year_to) -> restricted queryset

    @property
    def model_label(self) -> str:
        return self.model._meta.label

    def rows(self, ctx: FigureContext, years: tuple[int, int]):
        return self.build(ctx, *years)


def _grant_allocations(ctx, y1, y2):
    return FundTransaction.objects.restrict(ctx.actor, "view").filter(
        stream=FundStream.GRANT, kind=FundTransaction.Kind.ALLOCATION, year__gte=y1, year__lte=y2,
        pairing_id__in=ctx.ids)


def _counted_projects(ctx, y1, y2):
    return project_counted(Project.objects.restrict(ctx.actor, "view")).filter(
        start_year__gte=y1, start_year__lte=y2, pairing_id__in=ctx.ids)


def _five_year_envelopes(ctx, y1, y2):
    return PlanEnvelope.objects.restrict(ctx.actor, "view").filter(
        plan__kind=PlanKind.PAIRING_FIVE_YEAR, plan__start_year=y1, plan__end_year=y2,
        plan__pairing_id__in=ctx.ids, stream=FundStream.GRANT)


def _batches(ctx, y1, y2):
    return SecondmentBatch.objects.restrict(ctx.actor, "view").filter(
        pairing_id__in=ctx.ids, **_within("dispatched_on", y1, y2))


def _secondments(ctx, y1, y2):
    return Secondment.objects.restrict(ctx.actor, "view").filter(batch__in=_batches(ctx, y1, y2))


def _training(ctx, y1, y2):
    return TrainingSession.objects.restrict(ctx.actor, "view").filter(
        pairing_id__in=ctx.ids, **_within("start_date", y1, y2))


def _sales_in_market(ctx, y1, y2):
    pairing = ctx.pairing
    sales = SalesRecord.objects.restrict(ctx.actor, "view").filter(
        pairing_id__in=ctx.ids, **_within("date", y1, y2),
        product__origin_division__code__startswith=pairing.recipient_division.code_prefix)
    if pairing.supporter.division_id:
        sales = sales.filter(market_division__code__startswith=pairing.supporter.division.code_prefix)
    return sales


def _contracts(ctx, y1, y2):
    return SalesContract.objects.restrict(ctx.actor, "view").filter(
        pairing_id__in=ctx.ids, **_within("signed_on", y1, y2))


def _introductions(ctx, y1, y2):
    return EnterpriseIntroduction.objects.restrict(ctx.actor, "view").filter(
        pairing_id__in=ctx.ids, **_within("introduced_on", y1, y2))


SOURCES = {s.key: s for s in (
    Source("grant_allocations", FundTransaction,
           "grant-stream (无偿援助) allocations (计划下达) of the pairing and its sub-pairings, budget year in the period",
           _grant_allocations),
    Source("counted_projects", Project,
           "projects of the pairing and its sub-pairings in a counted status (in an annual plan, not cancelled), "
           "first year in the period", _counted_projects),
    Source("five_year_envelopes", PlanEnvelope,
           "grant-stream envelopes of the pairing five-year plans covering exactly the period", _five_year_envelopes),
    Source("secondment_batches", SecondmentBatch, "secondment batches dispatched in the period", _batches),
    Source("secondments", Secondment, "cadres of the secondment batches dispatched in the period", _secondments),
    Source("training_sessions", TrainingSession, "training sessions that started in the period", _training),
    Source("sales_in_market", SalesRecord,
           "sales records dated in the period of products from the recipient sold in the supporter's market",
           _sales_in_market),
    Source("sales_contracts", SalesContract, "sales contracts signed in the period", _contracts),
    Source("enterprise_introductions", EnterpriseIntroduction, "enterprise introductions dated in the period",
           _introductions),
)}


# Measures and period rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """How rows make a value: ``count`` them, ``sum`` a field, or count the ``distinct`` values of a
    field. ``none_if_empty``: no rows gives ``None`` (nothing planned), not zero."""

    kind: str  # "count" | "sum" | "distinct"
    field: str = "pk"
    none_if_empty: bool = False
    zero: object = 0

    def aggregate(self, condition: Q):
        if self.kind == "sum":
            return Sum(self.field, filter=condition)
        return Count(self.field, filter=condition, distinct=self.kind == "distinct")

    def of_rows(self, values: list) -> object:
        """The same measure over the rows' ``field`` values, in Python (the drill-down's check)."""
        if not values and self.none_if_empty:
            return None
        if self.kind == "sum":
            return sum((v for v in values if v is not None), self.zero)
        if self.kind == "distinct":
            return len({v for v in values if v is not None})
        return len(values)

    def describe(self) -> str:
        return {"count": "count of rows", "sum": f"sum of {self.field}",
                "distinct": f"number of distinct {self.field}"}[self.kind]


COUNT = Measure("count")
AMOUNT = Measure("sum", "amount", zero=ZERO)


@dataclass(frozen=True)
class PeriodRule:
    kind: str  # "range" | "cumulative" | "plan" | "year"
    years: tuple[int, int] | None = None  # for "plan"

    def resolve(self, ctx: FigureContext) -> tuple[int, int]:
        if self.kind == "cumulative":
            return min(ctx.pairing.valid_from.year, ctx.year_to), ctx.year_to
        if self.kind == "plan":
            return self.years
        if self.kind == "year":
            return ctx.year_to, ctx.year_to
        return ctx.year_from, ctx.year_to

    def describe(self) -> str:
        """The rule in words (English; kept in snapshots as it was)."""
        if self.kind == "cumulative":
            return "cumulative: from the pairing's first year to the last year asked"
        if self.kind == "plan":
            return f"five-year plan: {self.years[0]}–{self.years[1]}"
        if self.kind == "year":
            return "one year: the last year asked"
        return "the years asked (from–to)"


RANGE = PeriodRule("range")
CUMULATIVE = PeriodRule("cumulative")
YEAR = PeriodRule("year")
PLAN_14TH = PeriodRule("plan", FOURTEENTH_PLAN)


# Figures -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A named figure. ``filter``/``filter_text``: what it counts of its source's rows;
    ``register``/``list_params``: the register list that shows the same rows (with the pairing and
    the years added)."""

    key: str
    label_zh: str
    label_en: str
    source: str
    measure: Measure
    unit: str  # "yuan" | "projects" | "people" | "batches" | "person-times" | "products" | "enterprises"
    period: PeriodRule = RANGE
    stream: str = ""  # "grant" for free aid (无偿援助); "" where the records carry no stream
    filter: Q = field(default_factory=Q)
    filter_text: str = ""
    params: dict = field(default_factory=dict)
    register: str = ""
    list_params: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The label in the active language."""
        return self.label_en if (get_language() or "").startswith("en") else self.label_zh

    def definition(self) -> dict:
        """The definition as data (what a published snapshot keeps, as it was)."""
        source = SOURCES[self.source]
        return {
            "key": self.key, "label_zh": self.label_zh, "label_en": self.label_en,
            "model": source.model_label, "source": source.description,
            "filter": self.filter_text, "measure": self.measure.describe(), "stream": self.stream,
            "period": self.period.kind, "period_years": list(self.period.years) if self.period.years else None,
            "rule": self.period.describe(), "unit": self.unit, "params": dict(self.params),
        }


def task_figure(kind: str, code: str, name: str = "", name_en: str = "") -> Figure:
    """The projects (``kind="projects"``) or the free aid allocated to them (``"funds"``) of one key task."""
    if kind == "projects":
        return Figure(f"task_projects.{code}", f"{name}项目数", f"Projects: {name_en or code}", "counted_projects",
                      COUNT, "projects", filter=Q(key_task__code=code), filter_text=f"key task {code}",
                      params={"key_task": code}, register="projects",
                      list_params={"status_group": "counted", "key_task": code})
    return Figure(f"task_funds.{code}", f"{name}援助资金", f"Free aid funds: {name_en or code}", "grant_allocations",
                  AMOUNT, "yuan", stream=FundStream.GRANT, filter=Q(project__key_task__code=code),
                  filter_text=f"allocated to a project of key task {code}", params={"key_task": code},
                  register="fund-transactions", list_params={"kind": "allocation", "stream": "grant"})


_PS = "public_services"
_LIST_ALLOC = {"kind": "allocation", "stream": "grant"}
_LIST_COUNTED = {"status_group": "counted"}

_FIGURES = [
    # The figures of ``duikou stats`` and the dashboard cards (the years asked).
    Figure("aid_funds", "无偿援助资金", "Free aid funds", "grant_allocations", AMOUNT, "yuan",
           stream=FundStream.GRANT, register="fund-transactions", list_params=_LIST_ALLOC),
    Figure("aid_funds_illustrative", "其中示意数据", "Of which illustrative records", "grant_allocations", AMOUNT,
           "yuan", stream=FundStream.GRANT, filter=Q(is_illustrative=True),
           filter_text="generated for the demo (is_illustrative)", register="fund-transactions",
           list_params=_LIST_ALLOC),
    Figure("projects", "援建项目数", "Projects", "counted_projects", COUNT, "projects", register="projects",
           list_params=_LIST_COUNTED),
    *(task_figure(kind, code, name, name_en) for kind in ("projects", "funds") for code, name, name_en, _o in KEY_TASKS),
    Figure("planned_funds", "五年规划援助资金", "Planned free aid (five-year plan)", "five_year_envelopes",
           Measure("sum", "amount", none_if_empty=True, zero=ZERO), "yuan", stream=FundStream.GRANT,
           register="plan-envelopes"),
    Figure("cadres_seconded", "选派挂职干部", "Cadres seconded", "secondments", COUNT, "people",
           register="secondments"),
    Figure("cadre_batches", "挂职干部批次", "Secondment batches", "secondment_batches", COUNT, "batches",
           register="secondment-batches"),
    Figure("training_person_times", "培训人次", "Training (person-times)", "training_sessions",
           Measure("sum", "person_times"), "person-times", register="training-sessions"),
    Figure("consumption_products", "消费帮扶产品数", "Recipient products sold in the supporter's market",
           "sales_in_market", Measure("distinct", "product_id"), "products", register="sales-records"),
    Figure("contract_sales", "消费帮扶合同金额", "Contract sales", "sales_contracts", AMOUNT, "yuan",
           register="sales-contracts"),
    Figure("enterprises_introduced", "引进企业数", "Enterprises introduced (agreed or landed)",
           "enterprise_introductions", Measure("distinct", "enterprise_id"), "enterprises",
           filter=Q(status__in=[EnterpriseIntroduction.Status.AGREED, EnterpriseIntroduction.Status.LANDED]),
           filter_text="status agreed or landed", register="enterprise-introductions", list_params=_LIST_COUNTED),
    # The usual figures of a 汇报 with their own period rule.
    Figure("aid_funds_cumulative", "累计援助资金", "Free aid funds since the pairing began", "grant_allocations",
           AMOUNT, "yuan", period=CUMULATIVE, stream=FundStream.GRANT, register="fund-transactions",
           list_params=_LIST_ALLOC),
    Figure("projects_cumulative", "累计援建项目数", "Projects since the pairing began", "counted_projects", COUNT,
           "projects", period=CUMULATIVE, register="projects", list_params=_LIST_COUNTED),
    Figure("aid_funds_year", "当年援助资金", "Free aid funds of the last year", "grant_allocations", AMOUNT, "yuan",
           period=YEAR, stream=FundStream.GRANT, register="fund-transactions", list_params=_LIST_ALLOC),
    Figure("public_services_projects_14th", "“十四五”以来公共服务项目数",
           "Public-service projects, 14th Five-Year Plan", "counted_projects", COUNT, "projects", period=PLAN_14TH,
           filter=Q(key_task__code=_PS), filter_text=f"key task {_PS}", params={"key_task": _PS},
           register="projects", list_params={**_LIST_COUNTED, "key_task": _PS}),
    Figure("public_services_funds_14th", "“十四五”以来公共服务援助资金",
           "Free aid to public-service projects, 14th Five-Year Plan", "grant_allocations", AMOUNT, "yuan",
           period=PLAN_14TH, stream=FundStream.GRANT, filter=Q(project__key_task__code=_PS),
           filter_text=f"allocated to a project of key task {_PS}", params={"key_task": _PS},
           register="fund-transactions", list_params=_LIST_ALLOC),
    Figure("training_person_times_cumulative", "累计培训人次", "Training since the pairing began (person-times)",
           "training_sessions", Measure("sum", "person_times"), "person-times", period=CUMULATIVE,
           register="training-sessions"),
]

FIGURES: dict[str, Figure] = {fig.key: fig for fig in _FIGURES}

# The figures ``duikou stats`` prints (besides the per-task ones), by their ``--json`` names.
STATS_FIGURES = {
    "aid_funds_yuan": "aid_funds", "aid_funds_illustrative_yuan": "aid_funds_illustrative", "projects": "projects",
    "planned_funds_yuan": "planned_funds", "cadres_seconded": "cadres_seconded", "cadre_batches": "cadre_batches",
    "training_person_times": "training_person_times", "consumption_products": "consumption_products",
    "contract_sales_yuan": "contract_sales", "enterprises_introduced": "enterprises_introduced",
}


def get_figure(key: str) -> Figure:
    """The figure named ``key``; a per-task key of a task not in the registry is made on the fly."""
    if key in FIGURES:
        return FIGURES[key]
    kind, _dot, code = key.partition(".")
    if code and kind in ("task_projects", "task_funds"):
        return task_figure(kind.removeprefix("task_"), code)
    raise KeyError(key)


# Values and records ----------------------------------------------------------------------------------


def evaluate(ctx: FigureContext, figures, *, years: dict | None = None) -> dict:
    """``{key: value}`` of ``figures`` for ``ctx``: one filtered aggregate per source and period,
    all sent to the database as **one statement** (:class:`Statement`). ``years``
    (``{key: (Y1, Y2)}``) overrides a figure's period rule (a published figure recomputed over the
    years it was published for).

    The statement is compiled by the ORM from the sources and figures, then kept (:func:`statement`)
    under everything its SQL depends on, so that asking again (the same pairing, period and reader)
    runs it without building it again; the values are always read from the database."""
    groups = defaultdict(list)
    for fig in figures:
        span = (years or {}).get(fig.key) or fig.period.resolve(ctx)
        groups[fig.source, span].append(fig)
    found = statement(ctx, groups).run()
    values = {}
    for group, row in zip(groups.values(), found, strict=True):
        for i, fig in enumerate(group):
            if fig.measure.none_if_empty and not row[f"n{i}"]:
                values[fig.key] = None
            else:
                values[fig.key] = row[f"v{i}"] if row[f"v{i}"] is not None else fig.measure.zero
    return values


def _aggregates(group: list) -> dict:
    aggregates = {}
    for i, fig in enumerate(group):
        aggregates[f"v{i}"] = fig.measure.aggregate(fig.filter)
        if fig.measure.none_if_empty:
            aggregates[f"n{i}"] = Count("pk", filter=fig.filter)
    return aggregates


class Statement:
    """``[queryset.aggregate(**aggregates) for queryset, aggregates in queries]`` in one round trip.

    Each aggregate is compiled by the ORM as ``aggregate()`` would (the same WHERE, joins and
    ``restrict()``) as a subquery that returns one row; the subqueries are cross-joined into one
    ``SELECT``, and each one's columns are converted by the ORM's own converters (Decimal sums on
    SQLite). A queryset that cannot be said as a plain one-row aggregate (an empty ``restrict()``,
    a ``DISTINCT``) is asked on its own with ``aggregate()``: the same answer, one more round trip."""

    def __init__(self, queries: list[tuple]):
        self.count = len(queries)
        self.single = {}  # index -> (queryset, aggregates), asked with aggregate()
        parts = []
        for index, (qs, aggregates) in enumerate(queries):
            compiled = _one_row_aggregate(qs, aggregates)
            if compiled is None:
                self.single[index] = (qs, aggregates)
            else:
                parts.append((index, *compiled))
        self.using = queries[0][0].db if queries else "default"
        self.sql = "SELECT * FROM " + " CROSS JOIN ".join(f"({p[1]}) AS q{p[0]}" for p in parts) if parts else ""
        self.params = [param for p in parts for param in p[2]]
        # (index, column names, converters, compiler) of each subquery, in the statement's order
        self.columns = [(index, names, compiler.get_converters([col[0] for col in compiler.select]), compiler)
                        for index, _sql, _params, compiler, names in parts]

    def run(self) -> list[dict]:
        rows = {index: qs.aggregate(**aggregates) for index, (qs, aggregates) in self.single.items()}
        if self.sql:
            with connections[self.using].cursor() as cursor:
                cursor.execute(self.sql, self.params)
                row = cursor.fetchone()
            at = 0
            for index, names, converters, compiler in self.columns:
                values = list(row[at:at + len(names)])
                at += len(names)
                if converters:
                    values = list(next(iter(compiler.apply_converters([values], converters))))
                rows[index] = dict(zip(names, values, strict=True))
        return [rows[i] for i in range(self.count)]


def _one_row_aggregate(qs, aggregates: dict):
    """(sql, params, compiler, column names) of ``qs.aggregate(**aggregates)`` as a subquery that
    returns exactly one row, or ``None`` where that cannot be said plainly."""
    if qs.query.is_empty() or qs.query.distinct or qs.query.is_sliced:
        return None
    prefix = "duikou_agg_"
    named = {f"{prefix}{name}": agg for name, agg in aggregates.items()}
    # Grouped by a constant only, which the ORM leaves out: no GROUP BY, so one row even when no
    # row matches (as aggregate() gives).
    one = qs.order_by().values(**{f"{prefix}one": Value(1)}).annotate(**named).values(*named)
    compiler = one.query.get_compiler(using=qs.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    if " GROUP BY " in sql:  # not one row: let aggregate() say it
        return None
    return sql, list(params), compiler, [name.removeprefix(prefix) for name in named]


# The statements compiled lately, by what their SQL depends on (least recently used dropped first).
STATEMENT_CACHE_SIZE = 256
_statements: OrderedDict = OrderedDict()
_statements_lock = threading.Lock()


def statement_key(ctx: FigureContext, groups: dict) -> tuple:
    """Everything the SQL of ``groups`` for ``ctx`` depends on: the figures and their years, the
    pairing tree's ids, the reader's scope (``restrict()`` depends on nothing else of the actor),
    and the pairing's own attributes that sources read (the first year, the divisions whose codes
    :func:`_sales_in_market` matches). A source that reads anything else of ``ctx`` must add it
    here."""
    scope = scope_for(ctx.actor, "view")
    pairing = ctx.pairing
    supporter_division = pairing.supporter.division if pairing.supporter.division_id else None
    return (
        tuple((source, span, tuple(fig.key for fig in group)) for (source, span), group in groups.items()),
        ctx.ids, scope.all, scope.org_ids, bool(getattr(ctx.actor, "is_authenticated", False)),
        pairing.pk, pairing.recipient_division.code_prefix,
        supporter_division.code_prefix if supporter_division else None,
    )


def statement(ctx: FigureContext, groups: dict) -> Statement:
    """The :class:`Statement` of ``groups`` (``{(source, span): [figures]}``) for ``ctx``, compiled
    once per :func:`statement_key`."""
    key = (SOURCES[next(iter(groups))[0]].model.objects.db, statement_key(ctx, groups)) if groups else None
    with _statements_lock:
        found = _statements.get(key) if key else None
        if found is not None:
            _statements.move_to_end(key)
            return found
    built = Statement([(SOURCES[source].rows(ctx, span), _aggregates(group))
                       for (source, span), group in groups.items()])
    if key:
        with _statements_lock:
            _statements[key] = built
            while len(_statements) > STATEMENT_CACHE_SIZE:
                _statements.popitem(last=False)
    return built


def records(ctx: FigureContext, fig: Figure, *, years: tuple[int, int] | None = None):
    """The rows behind ``fig`` (a restricted queryset): the rows its value aggregates."""
    return SOURCES[fig.source].rows(ctx, years or fig.period.resolve(ctx)).filter(fig.filter)
