"""The 绩效自评表 and the pairing summary: read through restrict(), scored under the right scheme."""

from decimal import Decimal

import pytest
from django.http import Http404

from duikou.core.permissions import SYSTEM
from duikou.performance.models import EvaluationScheme
from duikou.performance.selectors import (
    pairing_performance_summary,
    pairing_performance_years,
    project_self_assessment,
    scheme_for,
)
from duikou.performance.services import evaluation_scheme_create, evaluation_scheme_update
from duikou.testing.factories import EvaluationSchemeFactory, PerformanceIndicatorFactory, ProjectFactory

from .builders import qlq_project

pytestmark = pytest.mark.django_db
D = Decimal


def default_scheme():
    return EvaluationScheme.objects.get(programme=None, supporter=None, valid_from_year=2020)


def test_the_seeded_default_scheme_is_unverified_50_30_10_10():
    scheme = default_scheme()
    assert (scheme.weight_output, scheme.weight_effect, scheme.weight_satisfaction, scheme.weight_budget) == (
        D(50), D(30), D(10), D(10))
    assert (scheme.grade_excellent_min, scheme.grade_good_min, scheme.grade_fair_min) == (D(90), D(80), D(60))
    assert scheme.partial_rule == "proportional" and not scheme.verified


def test_self_assessment_of_a_project_with_every_target_met(pairings):
    project = qlq_project(pairings.pairings["beijing_badong"])
    sa = project_self_assessment(actor=pairings.user("supporter"), project=project)
    assert (sa.total, sa.grade, sa.complete) == (D("100.00"), "excellent", True)
    assert [(lv.level, lv.score) for lv in sa.levels] == [
        ("output", D("50.00")), ("effect", D("30.00")), ("satisfaction", D("10.00")), ("budget", D("10.00"))]
    assert sa.scheme_name == default_scheme().name and not sa.scheme_verified
    assert any("not yet verified" in w for w in sa.warnings)


def test_rows_come_in_tree_order_with_merged_level_cells(pairings):
    project = qlq_project(pairings.pairings["beijing_badong"])
    sa = project_self_assessment(actor=SYSTEM, project=project)
    assert [r.name for r in sa.rows][:2] == ["新建教学楼", "工程竣工验收合格率"]
    assert [r.level1_rowspan for r in sa.rows] == [4, 0, 0, 0, 2, 0, 1]
    assert [r.level2_rowspan for r in sa.rows] == [1, 1, 1, 1, 2, 0, 1]
    assert sa.rows[0].target == "=1栋" and sa.rows[3].target == "≤900万元" and sa.rows[5].target == "有效缓解超大班"


def test_budget_execution_comes_from_the_free_aid_funds(pairings):
    """Spent 540万 of 900万 (an expenditure drawing on the allocation): 60 % → 6 of 10 points; the
    500万 of economic-cooperation money on the project does not count."""
    project = qlq_project(pairings.pairings["beijing_badong"], spent=D("5400000"))
    be = project_self_assessment(actor=SYSTEM, project=project).budget_execution
    assert (be.allocated, be.spent, be.rate_percent, be.score) == (D("9000000"), D("5400000"), D("60.00"), D("6.00"))


def test_misses_are_proportional_and_lower_the_grade(pairings):
    project = qlq_project(pairings.pairings["beijing_badong"], spent=D("8100000"),
                          overrides={"受益师生人数": D(600), "缓解超大班教学问题": "fair", "项目总投资": D(1000)})
    sa = project_self_assessment(actor=SYSTEM, project=project)
    rows = {r.name: r for r in sa.rows}
    assert rows["受益师生人数"].score == D("7.50") and rows["受益师生人数"].met is False
    assert rows["项目总投资"].score == D("9.00")
    assert rows["受益师生人数"].needs_reason
    # 产出 49 + 效益 7.5 + 9 + 满意度 10 + 预算 9 = 84.5
    assert (sa.total, sa.grade) == (D("84.50"), "good")
    assert any("受益师生人数" in w for w in sa.warnings)


def test_missing_actuals_make_it_provisional(pairings):
    project = qlq_project(pairings.pairings["beijing_badong"], actuals=False, spent=None)
    sa = project_self_assessment(actor=SYSTEM, project=project)
    assert sa.pending == 7 and not sa.complete and sa.total == D("0.00")
    assert all(r.score is None and r.actual == "" for r in sa.rows)


def test_a_project_of_another_organisation_is_404(pairings):
    project = qlq_project(pairings.pairings["beijing_badong"])
    with pytest.raises(Http404):
        project_self_assessment(actor=pairings.user("foreign"), project=project)
    with pytest.raises(Http404):
        project_self_assessment(actor=pairings.user("anonymous"), project=project.pk)


# schemes --------------------------------------------------------------------------------------


def test_editing_the_scheme_changes_weights_and_grades(pairings):
    """The administrator moves 10 points from 产出 to 效益 and raises 优 to 95: the same actuals
    now score differently and grade lower."""
    project = qlq_project(pairings.pairings["beijing_badong"], overrides={"受益师生人数": D(600)})
    before = project_self_assessment(actor=SYSTEM, project=project)
    assert (before.total, before.grade) == (D("92.50"), "excellent")
    evaluation_scheme_update(actor=pairings.user("admin"), instance=default_scheme(), weight_output=D(40),
                             weight_effect=D(40), grade_excellent_min=D(95))
    after = project_self_assessment(actor=SYSTEM, project=project)
    # 产出 40 + 效益 (7.5 + 15) / 30 × 40 = 30 + 10 + 10
    assert (after.total, after.grade) == (D("90.00"), "good")


def test_all_or_nothing_rule(pairings):
    project = qlq_project(pairings.pairings["beijing_badong"], overrides={"受益师生人数": D(1199)})
    evaluation_scheme_update(actor=SYSTEM, instance=default_scheme(), partial_rule="all_or_nothing")
    rows = {r.name: r for r in project_self_assessment(actor=SYSTEM, project=project).rows}
    assert rows["受益师生人数"].score == D("0.00")


def test_the_most_specific_scheme_valid_in_the_last_year_applies(pairings):
    city, sub = pairings.pairings["beijing_badong"], pairings.pairings["fangshan_badong"]
    programme = pairings.programme
    assert scheme_for(pairing=city, year=2023) == default_scheme()
    assert scheme_for(pairing=city, year=2019) is None  # before the seeded default: built-in values
    mine = EvaluationSchemeFactory(programme=programme, valid_from_year=2022, weight_satisfaction=D(20),
                                   weight_budget=D(0))
    assert scheme_for(pairing=city, year=2023) == mine
    assert scheme_for(pairing=city, year=2021) == default_scheme()
    beijing = EvaluationSchemeFactory(programme=programme, supporter=city.supporter, valid_from_year=2023)
    assert scheme_for(pairing=city, year=2023) == beijing
    assert scheme_for(pairing=sub, year=2023) == beijing  # 房山区 inherits 北京市's
    fangshan = EvaluationSchemeFactory(programme=programme, supporter=sub.supporter, valid_from_year=2023)
    assert scheme_for(pairing=sub, year=2023) == fangshan
    assert scheme_for(pairing=pairings.pairings["shanghai_yiling"], year=2023) == mine
    ended = EvaluationSchemeFactory(programme=programme, supporter=city.supporter, valid_from_year=2024,
                                    valid_to_year=2024)
    assert scheme_for(pairing=city, year=2024) == ended
    assert scheme_for(pairing=city, year=2025) == beijing


def test_a_programme_scheme_changes_the_score_of_its_projects(pairings):
    project = qlq_project(pairings.pairings["beijing_badong"], spent=D("4500000"))
    assert project_self_assessment(actor=SYSTEM, project=project).total == D("95.00")
    evaluation_scheme_create(
        actor=pairings.user("admin"), name="三峡 2023", programme=pairings.programme, valid_from_year=2023,
        weight_output=D(50), weight_effect=D(30), weight_satisfaction=D(20), weight_budget=D(0),
        grade_excellent_min=D(90), grade_good_min=D(80), grade_fair_min=D(60), rating_excellent=D(100),
        rating_good=D(80), rating_fair=D(60), rating_low=D(40), rating_poor=D(0),
    )
    sa = project_self_assessment(actor=SYSTEM, project=project)
    assert sa.total == D("100.00") and sa.scheme_name == "三峡 2023"


# the pairing summary ----------------------------------------------------------------------------


def test_pairing_summary_counts_grades_and_averages(pairings):
    city, sub = pairings.pairings["beijing_badong"], pairings.pairings["fangshan_badong"]
    qlq_project(city, code="A-1")  # 100 优
    qlq_project(sub, code="A-2", overrides={"受益师生人数": D(600)})  # 92.5 优, in the sub-pairing
    qlq_project(city, code="A-3", overrides={"新建教学楼": D(0), "项目按期完工率": D(50)}, spent=D("4500000"))
    qlq_project(city, code="A-4", actuals=False, spent=None)  # 0 差, provisional
    qlq_project(city, code="A-5", year=2024)  # another year
    ProjectFactory(pairing=city, start_year=2023, end_year=2023)  # no indicators: not assessed
    qlq_project(pairings.pairings["shanghai_yiling"], code="X-1")  # another pairing
    summary = pairing_performance_summary(actor=pairings.user("supporter"), pairing=city, year=2023)
    assert [r.code for r in summary.rows] == ["A-1", "A-2", "A-3", "A-4"]
    totals = {r.code: (r.total, r.grade) for r in summary.rows}
    # 产出 50 - 20 (教学楼 0) - 5 (完工率 50 %) + 30 + 10 + 预算 5 = 70
    assert totals == {"A-1": (D("100.00"), "excellent"), "A-2": (D("92.50"), "excellent"),
                      "A-3": (D("70.00"), "fair"), "A-4": (D("0.00"), "poor")}
    assert [(g, n) for g, _label, n in summary.counts] == [("excellent", 2), ("good", 0), ("fair", 1), ("poor", 1)]
    assert summary.average == D("65.63")  # 262.5 / 4, half up
    assert summary.complete == 3 and summary.projects == 4
    assert pairing_performance_years(actor=pairings.user("supporter"), pairing=city) == [2023, 2024]


def test_a_multi_year_project_is_in_every_year_it_runs(pairings):
    city = pairings.pairings["beijing_badong"]
    qlq_project(city, code="M-1", year=2023, end_year=2025)
    assert [pairing_performance_summary(actor=SYSTEM, pairing=city, year=y).projects for y in (2022, 2023, 2025)] == [
        0, 1, 1]


def test_summary_shows_only_projects_the_user_may_see(pairings):
    city, sub = pairings.pairings["beijing_badong"], pairings.pairings["fangshan_badong"]
    qlq_project(city, code="B-1")
    qlq_project(sub, code="B-2")
    assert pairing_performance_summary(actor=pairings.user("district"), pairing=city, year=2023).projects == 1
    foreign = pairing_performance_summary(actor=pairings.user("foreign"), pairing=city, year=2023)
    assert foreign.projects == 0 and foreign.average is None


def test_summary_queries_do_not_grow_with_projects(pairings, django_assert_max_num_queries):
    city = pairings.pairings["beijing_badong"]
    for n in range(6):
        qlq_project(city, code=f"Q-{n}")
    PerformanceIndicatorFactory(project=qlq_project(city, code="Q-9"))
    with django_assert_max_num_queries(12):
        pairing_performance_summary(actor=pairings.user("supporter"), pairing=city, year=2023)
