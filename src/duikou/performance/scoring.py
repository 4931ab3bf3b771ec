"""Self-assessment scoring (绩效自评), as pure functions over Decimals. No database here.

The rules (domain guide §7; the defaults live in :data:`DEFAULT_PARAMS` and, editable, in
:class:`~duikou.performance.models.EvaluationScheme`):

- **Indicator.** An indicator's *ratio* is the share of its weight it earns, between 0 and 1:

  - ``=``: 1 when the actual equals the target; otherwise, under the proportional rule, the smaller
    of the two over the larger (a miss either way costs), 0 when either is 0 or negative.
  - ``≥``: 1 when actual ≥ target (a target of 0 or less is met by any actual at least as large);
    otherwise actual / target under the proportional rule (0 for a negative actual).
  - ``≤``: 1 when actual ≤ target (an actual of 0 meets any target of 0 or more); otherwise
    target / actual under the proportional rule (0 when the target is 0 or negative).
  - ``定性``: the rating's scale point: 优 100 %, 良 80 %, 中 60 %, 低 40 %, 差 0 % (design default).
  - Under the all-or-nothing rule a quantitative miss earns 0.
  - An indicator without an actual earns 0 and leaves the assessment incomplete.

- **Level.** The three 一级指标 share the level weights of the scheme (产出 50, 效益 30, 满意度
  10 by default, unverified). Inside a level an indicator's *effective weight* is its entered weight
  × level weight / the sum of the level's entered weights, so that weights entered as on the
  official form (adding up to the level's points) stay as they are, and weights entered in any
  other unit are scaled. A level whose weights are all 0 splits its points equally. A level
  without indicators earns 0 (and is listed as missing).

- **预算执行率** (budget execution, 10 points by default, unverified): expenditure / allocation of
  the project's free-aid (grant) funds; the points are weight × min(rate, 1). No allocation → 0.

- **Total and grade.** Each indicator's points are rounded to 0.01 (half up); a level's points
  are the sum of its indicators' rounded points, the total the sum of the levels and the budget
  component, so the printed table adds up. Grades: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (unverified).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .choices import LEVEL1_ORDER, LEVEL2_ORDER, Grade, Level1, Operator, PartialRule, Rating

__all__ = [
    "BUDGET",
    "DEFAULT_PARAMS",
    "Assessment",
    "IndicatorInput",
    "LevelScore",
    "SchemeParams",
    "ScoredIndicator",
    "assess",
    "budget_execution_rate",
    "budget_score",
    "grade_for",
    "indicator_ratio",
    "indicator_score",
    "quantize",
]

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
BUDGET = "budget"  # the key of the budget-execution component among the level weights


def quantize(value: Decimal) -> Decimal:
    """Two decimals, half up (the points printed on the form)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SchemeParams:
    """The parameters of an evaluation scheme (see :class:`~duikou.performance.models.EvaluationScheme`).

    ``weights``: points of each 一级指标 and of ``"budget"`` (预算执行率), adding up to 100.
    ``rating_points``: percent of the weight a qualitative rating earns."""

    weights: Mapping[str, Decimal]
    excellent_min: Decimal
    good_min: Decimal
    fair_min: Decimal
    partial_rule: str
    rating_points: Mapping[str, Decimal]


# Widely quoted values of 财预〔2020〕10号, not checked against the official text (UNVERIFIED), and
# the design defaults for the partial rule and the qualitative scale (no source).
DEFAULT_PARAMS = SchemeParams(
    weights={Level1.OUTPUT: Decimal("50"), Level1.EFFECT: Decimal("30"), Level1.SATISFACTION: Decimal("10"),
             BUDGET: Decimal("10")},
    excellent_min=Decimal("90"),
    good_min=Decimal("80"),
    fair_min=Decimal("60"),
    partial_rule=PartialRule.PROPORTIONAL,
    rating_points={Rating.EXCELLENT: Decimal("100"), Rating.GOOD: Decimal("80"), Rating.FAIR: Decimal("60"),
                   Rating.LOW: Decimal("40"), Rating.POOR: Decimal("0")},
)


def _clamp(ratio: Decimal) -> Decimal:
    return max(ZERO, min(ONE, ratio))


def indicator_ratio(*, operator: str, target: Decimal | None = None, actual: Decimal | None = None,
                    rating: str = "", params: SchemeParams = DEFAULT_PARAMS) -> Decimal | None:
    """The share of its weight (0 … 1) an indicator earns; ``None`` without an actual."""
    if operator == Operator.QUALITATIVE:
        if not rating:
            return None
        return _clamp(Decimal(params.rating_points.get(rating, ZERO)) / HUNDRED)
    if actual is None or target is None:
        return None
    target, actual = Decimal(target), Decimal(actual)
    met = {Operator.EQ: actual == target, Operator.GTE: actual >= target, Operator.LTE: actual <= target}[operator]
    if met:
        return ONE
    if params.partial_rule == PartialRule.ALL_OR_NOTHING:
        return ZERO
    if operator == Operator.EQ:
        if target <= 0 or actual <= 0:
            return ZERO
        return min(actual, target) / max(actual, target)
    if operator == Operator.GTE:  # actual < target here
        return _clamp(actual / target) if target > 0 else ZERO
    # ≤ and actual > target here
    return _clamp(target / actual) if target > 0 and actual > 0 else ZERO


def indicator_score(*, operator: str, weight: Decimal, target: Decimal | None = None,
                    actual: Decimal | None = None, rating: str = "",
                    params: SchemeParams = DEFAULT_PARAMS) -> Decimal | None:
    """The points an indicator earns out of ``weight`` (rounded to 0.01); ``None`` without an actual."""
    ratio = indicator_ratio(operator=operator, target=target, actual=actual, rating=rating, params=params)
    return None if ratio is None else quantize(Decimal(weight) * ratio)


def budget_execution_rate(*, expenditure: Decimal, allocation: Decimal) -> Decimal | None:
    """预算执行率: expenditure / allocation (not capped; ``None`` when nothing is allocated)."""
    if not allocation or allocation <= 0:
        return None
    return Decimal(expenditure) / Decimal(allocation)


def budget_score(rate: Decimal | None, weight: Decimal) -> Decimal:
    """The points of the budget component: weight × min(rate, 1); 0 without a rate."""
    return ZERO.quantize(CENT) if rate is None else quantize(Decimal(weight) * _clamp(rate))


def grade_for(total: Decimal, params: SchemeParams = DEFAULT_PARAMS) -> str:
    """The grade of ``total`` points out of 100 (a band includes its lower edge)."""
    if total >= params.excellent_min:
        return Grade.EXCELLENT
    if total >= params.good_min:
        return Grade.GOOD
    if total >= params.fair_min:
        return Grade.FAIR
    return Grade.POOR


@dataclass(frozen=True)
class IndicatorInput:
    """What the scoring reads of one indicator (a model row or a test's literal)."""

    level1: str
    level2: str
    name: str
    operator: str
    weight: Decimal
    target: Decimal | None = None
    actual: Decimal | None = None
    rating: str = ""
    key: object = None  # the caller's handle (the indicator's id)
    order: int = 0


@dataclass(frozen=True)
class ScoredIndicator:
    indicator: IndicatorInput
    effective_weight: Decimal  # the points this indicator is worth out of 100
    ratio: Decimal | None
    score: Decimal | None  # points earned out of ``effective_weight``; None without an actual

    @property
    def met(self) -> bool | None:
        if self.ratio is None:
            return None
        return self.ratio >= ONE

    @property
    def pending(self) -> bool:
        return self.ratio is None


@dataclass(frozen=True)
class LevelScore:
    level: str  # a Level1 value or "budget"
    weight: Decimal
    score: Decimal
    indicators: int


@dataclass(frozen=True)
class Assessment:
    rows: tuple[ScoredIndicator, ...]
    levels: tuple[LevelScore, ...]  # the three 一级指标 then the budget component
    budget_rate: Decimal | None
    total: Decimal
    grade: str
    params: SchemeParams = field(repr=False, default=DEFAULT_PARAMS)

    @property
    def missing_levels(self) -> tuple[str, ...]:
        return tuple(lv.level for lv in self.levels if lv.level != BUDGET and lv.indicators == 0)

    @property
    def pending(self) -> int:
        return sum(1 for r in self.rows if r.pending)

    @property
    def complete(self) -> bool:
        return not self.missing_levels and not self.pending and self.budget_rate is not None


def _effective_weights(items: Sequence[IndicatorInput], level_weight: Decimal) -> list[Decimal]:
    total = sum((Decimal(i.weight) for i in items), ZERO)
    if total > 0:
        return [Decimal(i.weight) * level_weight / total for i in items]
    return [level_weight / len(items) for _i in items] if items else []


def assess(indicators: Sequence[IndicatorInput], *, budget_rate: Decimal | None,
           params: SchemeParams = DEFAULT_PARAMS) -> Assessment:
    """Score a project's indicators and budget execution under ``params``."""
    ordered = sorted(indicators, key=lambda i: (LEVEL1_ORDER.get(i.level1, 99), LEVEL2_ORDER.get(i.level2, 99),
                                                i.order, str(i.key)))
    rows: list[ScoredIndicator] = []
    levels: list[LevelScore] = []
    for level in Level1:
        items = [i for i in ordered if i.level1 == level]
        level_weight = Decimal(params.weights.get(level, ZERO))
        level_points = ZERO.quantize(CENT)
        for item, eff in zip(items, _effective_weights(items, level_weight), strict=True):
            ratio = indicator_ratio(operator=item.operator, target=item.target, actual=item.actual,
                                    rating=item.rating, params=params)
            score = None if ratio is None else quantize(eff * ratio)
            rows.append(ScoredIndicator(item, quantize(eff), ratio, score))
            level_points += score or ZERO
        levels.append(LevelScore(level.value, level_weight, level_points, len(items)))
    budget_weight = Decimal(params.weights.get(BUDGET, ZERO))
    budget_points = budget_score(budget_rate, budget_weight)
    levels.append(LevelScore(BUDGET, budget_weight, budget_points, 0))
    total = sum((lv.score for lv in levels), ZERO.quantize(CENT))
    return Assessment(tuple(rows), tuple(levels), budget_rate, total, grade_for(total, params), params)
