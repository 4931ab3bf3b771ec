"""Reads for this app, always through restrict(): indicators, schemes, the self-assessment
(绩效自评表) of a project and the summary of a pairing's year, as frozen read models.

The scoring itself is :mod:`duikou.performance.scoring`; here the rows are read, the scheme is
chosen and the budget execution (预算执行率) is taken from the project's funds:

- allocated: the project's free-aid (``grant``) allocations (计划下达), every budget year;
- spent: the free-aid expenditures (支出) of the project or drawing on one of its allocations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from duikou.core.choices import FundStream
from duikou.core.selectors import crud_selectors, restricted_get
from duikou.funds.models import FundTransaction
from duikou.organisations.selectors import pairing_tree_ids
from duikou.projects.models import Project

from .choices import Grade, Level1
from .models import EvaluationScheme, PerformanceIndicator
from .scoring import (
    BUDGET,
    DEFAULT_PARAMS,
    Assessment,
    IndicatorInput,
    SchemeParams,
    assess,
    budget_execution_rate,
    quantize,
)

__all__ = [
    "AssessmentRow",
    "BudgetExecution",
    "LevelRow",
    "PerformanceSummary",
    "ProjectScore",
    "SelfAssessment",
    "evaluation_scheme_get",
    "evaluation_scheme_list",
    "pairing_performance_summary",
    "pairing_performance_years",
    "performance_indicator_get",
    "performance_indicator_list",
    "project_self_assessment",
    "scheme_for",
]

ZERO = Decimal("0.00")

performance_indicator_list, performance_indicator_get = crud_selectors(PerformanceIndicator)
evaluation_scheme_list, evaluation_scheme_get = crud_selectors(EvaluationScheme)


# the scheme -----------------------------------------------------------------------------------


def _pairing_chain(pairing) -> list:
    chain = []
    while pairing is not None:
        chain.append(pairing)
        pairing = pairing.parent
    return chain


def scheme_for(*, pairing, year: int, schemes=None) -> EvaluationScheme | None:
    """The scheme for the projects of ``pairing`` evaluated in ``year``: valid in the year, of the
    pairing's supporter (or a parent pairing's supporter, nearest first) in its programme, else of
    the programme, else of every programme; the latest start wins at each level. ``None`` if
    none applies (then :data:`~duikou.performance.scoring.DEFAULT_PARAMS`).

    ``schemes``: the candidate rows already read (for summaries of many projects)."""
    if schemes is None:
        schemes = list(EvaluationScheme.objects.filter(valid_from_year__lte=year).filter(
            Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year)))
    chain = _pairing_chain(pairing)
    supporters = [p.supporter_id for p in chain]

    def rank(s):
        if not (s.valid_from_year <= year and (s.valid_to_year is None or year <= s.valid_to_year)):
            return None
        if s.programme_id is None:
            return (len(supporters) + 1, -s.valid_from_year) if s.supporter_id is None else None
        if s.programme_id != pairing.programme_id:
            return None
        if s.supporter_id is None:
            return (len(supporters), -s.valid_from_year)
        if s.supporter_id in supporters:
            return (supporters.index(s.supporter_id), -s.valid_from_year)
        return None

    ranked = [(r, s) for s in schemes if (r := rank(s)) is not None]
    return min(ranked, key=lambda pair: pair[0])[1] if ranked else None


# read models ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentRow:
    """One line of the 绩效自评表 (an indicator), with what it scored."""

    indicator_id: int
    level1: str
    level1_label: str
    level1_rowspan: int  # rows the 一级 cell spans on this line; 0 where it is merged into the line above
    level2: str
    level2_label: str
    level2_rowspan: int
    name: str
    operator: str
    target: str  # 指标值 as printed: "≥1200人"
    unit: str
    actual: str  # 实际值 as printed, "" while not recorded
    entered_weight: Decimal
    weight: Decimal  # effective: the points the indicator is worth out of 100
    score: Decimal | None
    met: bool | None
    deviation_reason: str
    recorded_on: object
    is_illustrative: bool

    @property
    def needs_reason(self) -> bool:
        """Missed its target and no 偏差原因 given."""
        return self.met is False and not self.deviation_reason.strip()


@dataclass(frozen=True)
class LevelRow:
    level: str  # output / effect / satisfaction / budget
    label: str
    weight: Decimal
    score: Decimal
    indicators: int


@dataclass(frozen=True)
class BudgetExecution:
    """预算执行率 of the project's free-aid funds (Decimal yuan)."""

    allocated: Decimal
    spent: Decimal
    rate: Decimal | None  # spent / allocated, not capped; None without an allocation
    weight: Decimal
    score: Decimal

    @property
    def rate_percent(self) -> Decimal | None:
        return None if self.rate is None else quantize(self.rate * 100)


@dataclass(frozen=True)
class SelfAssessment:
    """The 绩效自评表 of one project."""

    project_id: int
    code: str
    name: str
    pairing_id: int
    pairing: str
    implementing_unit: str
    start_year: int
    end_year: int
    budget: Decimal
    status: str
    scheme_id: int | None
    scheme_name: str
    scheme_verified: bool
    params: SchemeParams
    rows: tuple[AssessmentRow, ...]
    levels: tuple[LevelRow, ...]  # 产出, 效益, 满意度, 预算执行率
    budget_execution: BudgetExecution
    total: Decimal
    grade: str
    grade_label: str
    complete: bool
    pending: int
    missing_levels: tuple[str, ...]  # labels of the 一级指标 without an indicator
    warnings: tuple[str, ...]
    is_illustrative: bool

    @property
    def year(self) -> int:
        """The year the project is evaluated in (its last year)."""
        return self.end_year


@dataclass(frozen=True)
class ProjectScore:
    project_id: int
    code: str
    name: str
    pairing: str
    status: str
    indicators: int
    pending: int
    budget_rate_percent: Decimal | None
    total: Decimal
    grade: str
    grade_label: str
    complete: bool
    is_illustrative: bool


@dataclass(frozen=True)
class PerformanceSummary:
    """The self-assessments of a pairing's (and its sub-pairings') projects running in a year."""

    pairing_id: int
    pairing: str
    year: int
    rows: tuple[ProjectScore, ...]
    counts: tuple[tuple[str, str, int], ...]  # (grade, label, projects), best grade first
    average: Decimal | None  # of the totals, 2 decimals; None without projects
    complete: int  # projects whose assessment is complete (every actual, every level, an allocation)

    @property
    def projects(self) -> int:
        return len(self.rows)


# building them --------------------------------------------------------------------------------


def _inputs(indicators) -> list[IndicatorInput]:
    return [IndicatorInput(level1=i.level1, level2=i.level2, name=i.name, operator=i.operator, weight=i.weight,
                           target=i.target_value, actual=i.actual_value, rating=i.actual_rating, key=i.pk,
                           order=i.order) for i in indicators]


def _funds(actor, project_ids) -> dict[int, tuple[Decimal, Decimal]]:
    """{project id: (allocated, spent)} of free aid, from the transactions the actor may see."""
    rows = FundTransaction.objects.restrict(actor, "view").filter(
        stream=FundStream.GRANT, kind__in=[FundTransaction.Kind.ALLOCATION, FundTransaction.Kind.EXPENDITURE],
    ).filter(Q(project_id__in=project_ids) | Q(allocation__project_id__in=project_ids)).values_list(
        "kind", "project_id", "allocation__project_id", "amount")
    found: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for kind, project_id, via_allocation, amount in rows:
        pid = project_id or via_allocation
        found[pid][0 if kind == FundTransaction.Kind.ALLOCATION else 1] += amount
    return {pid: (a, s) for pid, (a, s) in found.items()}


def _spans(values: list[str]) -> list[int]:
    """Row spans for a column whose equal neighbouring values are merged."""
    spans = [0] * len(values)
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            spans[start] = i - start
            start = i
    return spans


def _level_labels() -> dict[str, str]:
    labels = {level.value: str(level.label) for level in Level1}
    labels[BUDGET] = _("budget execution (预算执行率)")
    return labels


def _self_assessment(project, indicators, funds: tuple[Decimal, Decimal], scheme) -> SelfAssessment:
    params = scheme.params if scheme is not None else DEFAULT_PARAMS
    allocated, spent = funds
    rate = budget_execution_rate(expenditure=spent, allocation=allocated)
    result: Assessment = assess(_inputs(indicators), budget_rate=rate, params=params)
    by_id = {i.pk: i for i in indicators}
    level1_spans = _spans([r.indicator.level1 for r in result.rows])
    level2_spans = _spans([f"{r.indicator.level1}/{r.indicator.level2}" for r in result.rows])
    rows = []
    for n, scored in enumerate(result.rows):
        ind = by_id[scored.indicator.key]
        rows.append(AssessmentRow(
            indicator_id=ind.pk, level1=ind.level1, level1_label=ind.get_level1_display(),
            level1_rowspan=level1_spans[n], level2=ind.level2, level2_label=ind.get_level2_display(),
            level2_rowspan=level2_spans[n], name=ind.name, operator=ind.operator, target=ind.target_display,
            unit=ind.unit, actual=ind.actual_display, entered_weight=ind.weight, weight=scored.effective_weight,
            score=scored.score, met=scored.met, deviation_reason=ind.deviation_reason,
            recorded_on=ind.actual_recorded_on, is_illustrative=ind.is_illustrative,
        ))
    labels = _level_labels()
    levels = tuple(LevelRow(lv.level, labels[lv.level], lv.weight, lv.score, lv.indicators) for lv in result.levels)
    budget_level = levels[-1]
    missing = tuple(labels[level] for level in result.missing_levels)
    warnings = []
    if missing:
        warnings.append(_("No indicator under {levels}.").format(levels="、".join(missing)))
    if result.pending:
        warnings.append(_("{n} indicator(s) without an actual value: they score 0 until one is entered.").format(
            n=result.pending))
    if rate is None:
        warnings.append(_("No free-aid allocation recorded for the project: budget execution scores 0."))
    reasons = [r.name for r in rows if r.needs_reason]
    if reasons:
        warnings.append(_("Give the reason for the deviation of: {names}.").format(names="、".join(reasons)))
    if scheme is None or not scheme.verified:
        warnings.append(_("The weights and grade bands are defaults not yet verified against the official text."))
    return SelfAssessment(
        project_id=project.pk, code=project.code, name=project.name, pairing_id=project.pairing_id,
        pairing=project.pairing.short_label,
        implementing_unit=str(project.implementing_unit) if project.implementing_unit_id else "",
        start_year=project.start_year, end_year=project.end_year, budget=project.budget,
        status=project.get_status_display(),
        scheme_id=scheme.pk if scheme else None,
        scheme_name=scheme.name if scheme else _("built-in defaults"),
        scheme_verified=bool(scheme and scheme.verified),
        params=params, rows=tuple(rows), levels=levels,
        budget_execution=BudgetExecution(allocated=allocated, spent=spent, rate=rate, weight=budget_level.weight,
                                         score=budget_level.score),
        total=result.total, grade=result.grade, grade_label=str(Grade(result.grade).label),
        complete=result.complete, pending=result.pending, missing_levels=missing, warnings=tuple(warnings),
        is_illustrative=project.is_illustrative,
    )


def _projects(actor):
    return Project.objects.restrict(actor, "view").select_related(
        "pairing__supporter", "pairing__recipient", "pairing__parent", "implementing_unit")


def project_self_assessment(*, actor, project) -> SelfAssessment:
    """The 绩效自评表 of ``project`` (``Http404`` if the actor may not see it), scored under the
    scheme valid in the project's last year."""
    project = restricted_get(Project, actor=actor, pk=getattr(project, "pk", project))
    project = _projects(actor).get(pk=project.pk)
    indicators = list(PerformanceIndicator.objects.restrict(actor, "view").filter(project=project))
    funds = _funds(actor, [project.pk]).get(project.pk, (ZERO, ZERO))
    return _self_assessment(project, indicators, funds, scheme_for(pairing=project.pairing, year=project.end_year))


def pairing_performance_years(*, actor, pairing) -> list[int]:
    """The years in which projects of the pairing (and its sub-pairings) with indicators run, oldest first."""
    spans = Project.objects.restrict(actor, "view").filter(
        pairing_id__in=pairing_tree_ids(pairing), performance_indicators__isnull=False,
    ).values_list("start_year", "end_year").distinct()
    return sorted({y for start, end in spans for y in range(start, end + 1)})


def pairing_performance_summary(*, actor, pairing, year: int) -> PerformanceSummary:
    """Score and grade of every project of ``pairing`` (and its sub-pairings) that has indicators
    and runs in ``year`` (first year ≤ year ≤ last year), the number of projects per grade and
    the average total. Each project is scored as on its own 绩效自评表."""
    projects = list(_projects(actor).filter(
        pairing_id__in=pairing_tree_ids(pairing), start_year__lte=year, end_year__gte=year,
        performance_indicators__isnull=False,
    ).distinct().order_by("code"))
    ids = [p.pk for p in projects]
    indicators = defaultdict(list)
    for ind in PerformanceIndicator.objects.restrict(actor, "view").filter(project_id__in=ids):
        indicators[ind.project_id].append(ind)
    funds = _funds(actor, ids)
    years = {p.end_year for p in projects}
    candidates = list(EvaluationScheme.objects.filter(valid_from_year__lte=max(years, default=year)))
    rows = []
    for project in projects:
        sa = _self_assessment(project, indicators[project.pk], funds.get(project.pk, (ZERO, ZERO)),
                              scheme_for(pairing=project.pairing, year=project.end_year, schemes=candidates))
        rows.append(ProjectScore(
            project_id=project.pk, code=project.code, name=project.name, pairing=sa.pairing, status=sa.status,
            indicators=len(sa.rows), pending=sa.pending, budget_rate_percent=sa.budget_execution.rate_percent,
            total=sa.total, grade=sa.grade, grade_label=sa.grade_label, complete=sa.complete,
            is_illustrative=project.is_illustrative,
        ))
    counts = tuple((g.value, str(g.label), sum(1 for r in rows if r.grade == g)) for g in Grade)
    average = quantize(sum((r.total for r in rows), Decimal(0)) / len(rows)) if rows else None
    return PerformanceSummary(
        pairing_id=pairing.pk, pairing=pairing.short_label, year=year, rows=tuple(rows), counts=counts,
        average=average, complete=sum(1 for r in rows if r.complete),
    )
