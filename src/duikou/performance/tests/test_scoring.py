"""The scoring rules, one operator and one edge at a time (pure functions: no database)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from duikou.performance.choices import Grade, PartialRule
from duikou.performance.scoring import (
    BUDGET,
    DEFAULT_PARAMS,
    IndicatorInput,
    assess,
    budget_execution_rate,
    budget_score,
    grade_for,
    indicator_ratio,
    indicator_score,
)

D = Decimal
W = D("20")
NOTHING = replace(DEFAULT_PARAMS, partial_rule=PartialRule.ALL_OR_NOTHING)


def score(operator, target, actual, params=DEFAULT_PARAMS, rating=""):
    return indicator_score(operator=operator, weight=W, target=None if target is None else D(target),
                           actual=None if actual is None else D(actual), rating=rating, params=params)


# = ----------------------------------------------------------------------------------------------


def test_eq_met_earns_the_full_weight():
    assert score("eq", 1, 1) == D("20.00")


def test_eq_missed_below_is_proportional():
    assert score("eq", 4, 3) == D("15.00")


def test_eq_missed_above_costs_too():
    """= is not ≥: 5 built where 4 were agreed is a deviation, scored 4/5."""
    assert score("eq", 4, 5) == D("16.00")


def test_eq_with_target_zero():
    assert score("eq", 0, 0) == D("20.00")
    assert score("eq", 0, 2) == D("0.00")


def test_eq_all_or_nothing():
    assert score("eq", 4, 3, NOTHING) == D("0.00")
    assert score("eq", 4, 4, NOTHING) == D("20.00")


# ≥ ----------------------------------------------------------------------------------------------


def test_gte_met_and_above_target_is_capped_at_the_weight():
    assert score("gte", 1200, 1200) == D("20.00")
    assert score("gte", 1200, 5000) == D("20.00")


def test_gte_below_target_is_actual_over_target():
    assert score("gte", 6000, 5400) == D("18.00")  # 0.9 × 20
    assert score("gte", 3, 1) == D("6.67")  # rounded half up to 0.01


def test_gte_with_target_zero_is_met_by_any_non_negative_actual():
    assert score("gte", 0, 0) == D("20.00")
    assert score("gte", 0, 7) == D("20.00")


def test_gte_negative_actual_earns_nothing():
    assert score("gte", 10, -5) == D("0.00")


def test_gte_all_or_nothing():
    assert score("gte", 6000, 5999, NOTHING) == D("0.00")


# ≤ ----------------------------------------------------------------------------------------------


def test_lte_met_earns_the_full_weight():
    assert score("lte", 900, 900) == D("20.00")
    assert score("lte", 900, D("748.6")) == D("20.00")


def test_lte_with_actual_zero_is_met():
    assert score("lte", 900, 0) == D("20.00")
    assert score("lte", 0, 0) == D("20.00")


def test_lte_over_target_is_target_over_actual():
    assert score("lte", 900, 1000) == D("18.00")


def test_lte_with_target_zero_and_a_positive_actual_earns_nothing():
    assert score("lte", 0, 3) == D("0.00")


def test_lte_all_or_nothing():
    assert score("lte", 900, 901, NOTHING) == D("0.00")


# 定性 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rating", "points"), [("excellent", "20.00"), ("good", "16.00"), ("fair", "12.00"),
                                                 ("low", "8.00"), ("poor", "0.00")])
def test_qualitative_follows_the_scale(rating, points):
    assert score("qualitative", None, None, rating=rating) == D(points)


def test_qualitative_scale_is_a_parameter():
    params = replace(DEFAULT_PARAMS, rating_points={**DEFAULT_PARAMS.rating_points, "good": D("90")})
    assert score("qualitative", None, None, params, rating="good") == D("18.00")


def test_without_an_actual_there_is_no_score():
    assert score("gte", 10, None) is None
    assert score("qualitative", None, None, rating="") is None
    assert indicator_ratio(operator="lte", target=D(5)) is None


# budget execution and grades ---------------------------------------------------------------------


def test_budget_execution_rate_and_points():
    assert budget_execution_rate(expenditure=D("5400000"), allocation=D("9000000")) == D("0.6")
    assert budget_score(D("0.6"), D("10")) == D("6.00")
    assert budget_score(D("1.2"), D("10")) == D("10.00")  # capped
    assert budget_execution_rate(expenditure=D("100"), allocation=D("0")) is None
    assert budget_score(None, D("10")) == D("0.00")


@pytest.mark.parametrize(("total", "grade"), [
    ("100", Grade.EXCELLENT), ("90", Grade.EXCELLENT), ("89.99", Grade.GOOD), ("80", Grade.GOOD),
    ("79.99", Grade.FAIR), ("60", Grade.FAIR), ("59.99", Grade.POOR), ("0", Grade.POOR),
])
def test_grade_bands_include_their_lower_edge(total, grade):
    assert grade_for(D(total)) == grade


def test_grade_bands_are_parameters():
    strict = replace(DEFAULT_PARAMS, excellent_min=D("95"))
    assert grade_for(D("92"), strict) == Grade.GOOD


# a whole project ---------------------------------------------------------------------------------


def qlq(**actuals):
    """青龙桥小学's tree (the demo's), with the actuals given."""
    rows = [
        ("output", "quantity", "新建教学楼", "eq", "1", "20", "1"),
        ("output", "quality", "验收合格率", "eq", "100", "10", "100"),
        ("output", "timeliness", "按期完工率", "eq", "100", "10", "100"),
        ("output", "cost", "项目总投资", "lte", "900", "10", "900"),
        ("effect", "social", "受益师生人数", "gte", "1200", "15", "1200"),
        ("satisfaction", "beneficiary", "满意度", "gte", "90", "10", "96"),
    ]
    out = [IndicatorInput(level1=a, level2=b, name=n, operator=op, weight=D(w), target=D(t),
                          actual=D(actuals.get(n, act)) if actuals.get(n, act) is not None else None, key=i)
           for i, (a, b, n, op, t, w, act) in enumerate(rows)]
    out.append(IndicatorInput(level1="effect", level2="social", name="缓解超大班", operator="qualitative",
                              weight=D("15"), rating=actuals.get("缓解超大班", "excellent"), key=99))
    return out


def test_all_met_scores_100_and_excellent():
    result = assess(qlq(), budget_rate=D("1"))
    assert result.total == D("100.00") and result.grade == Grade.EXCELLENT
    assert [lv.score for lv in result.levels] == [D("50.00"), D("30.00"), D("10.00"), D("10.00")]
    assert result.complete


def test_levels_are_scored_and_totalled():
    result = assess(qlq(受益师生人数="600", 缓解超大班="fair"), budget_rate=D("0.5"))
    levels = {lv.level: lv.score for lv in result.levels}
    assert levels == {"output": D("50.00"), "effect": D("16.50"), "satisfaction": D("10.00"), BUDGET: D("5.00")}
    assert result.total == D("81.50") and result.grade == Grade.GOOD
    assert result.total == sum(r.score for r in result.rows) + levels[BUDGET]


def test_level_weights_from_the_scheme_change_the_points():
    """Entered weights are shares inside the level: a scheme giving 效益 40 and 产出 40 rescales them."""
    params = replace(DEFAULT_PARAMS, weights={"output": D("40"), "effect": D("40"), "satisfaction": D("10"),
                                              BUDGET: D("10")})
    result = assess(qlq(受益师生人数="600"), budget_rate=D("1"), params=params)
    effect = next(lv for lv in result.levels if lv.level == "effect")
    assert effect.score == D("30.00")  # (7.5 + 15) / 30 × 40
    rows = {r.indicator.name: r for r in result.rows}
    assert rows["新建教学楼"].effective_weight == D("16.00")  # 20 / 50 × 40
    assert result.total == D("90.00")


def test_weights_in_any_unit_are_scaled_to_the_level():
    rows = [IndicatorInput(level1="output", level2="quantity", name=f"n{i}", operator="gte", weight=D(1),
                           target=D(10), actual=D(10), key=i) for i in range(3)]
    result = assess(rows, budget_rate=D(1))
    assert [r.effective_weight for r in result.rows] == [D("16.67")] * 3
    assert result.levels[0].score == D("50.01")  # the rounded rows are what the form prints and adds


def test_missing_levels_and_actuals_leave_it_incomplete():
    rows = [IndicatorInput(level1="output", level2="quantity", name="a", operator="gte", weight=D(50),
                           target=D(10), actual=None, key=1)]
    result = assess(rows, budget_rate=None)
    assert result.total == D("0.00") and result.grade == Grade.POOR
    assert result.missing_levels == ("effect", "satisfaction")
    assert result.pending == 1 and not result.complete
    assert result.rows[0].met is None and result.rows[0].score is None


def test_zero_weights_split_the_level_equally():
    rows = [IndicatorInput(level1="satisfaction", level2="beneficiary", name=f"s{i}", operator="gte",
                           weight=D(0), target=D(90), actual=D(90), key=i) for i in range(2)]
    result = assess(rows, budget_rate=None)
    assert [r.effective_weight for r in result.rows] == [D("5.00"), D("5.00")]
