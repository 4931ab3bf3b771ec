"""The demo's performance targets (``duikou.demo.performance_demo``) on the Beijing → Badong demo."""

from datetime import date
from decimal import Decimal

import pytest

from duikou.core.permissions import SYSTEM
from duikou.demo.performance_demo import FIRST_YEAR, load_performance_demo
from duikou.performance.guards import performance_guard
from duikou.performance.models import PerformanceIndicator
from duikou.performance.selectors import pairing_performance_summary, project_self_assessment
from duikou.projects.choices import ProjectStatus
from duikou.projects.models import Project

D = Decimal


@pytest.fixture(scope="module")
def demo(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        first = load_performance_demo(SYSTEM)
        again = load_performance_demo(SYSTEM)
    return first, again


pytestmark = pytest.mark.django_db


def test_the_demo_has_the_targets_and_loading_again_writes_nothing(demo):
    first, again = demo  # load-demo has already given the projects their targets
    assert PerformanceIndicator.objects.count() > 200
    assert (first.created, first.updated, again.created, again.updated) == ({}, {}, {}, {})


def test_qinglongqiao_has_the_tree_of_the_domain_guide(demo):
    project = Project.objects.get(code="BJBD-2023-QLQ")
    sa = project_self_assessment(actor=SYSTEM, project=project)
    rows = {r.name: r for r in sa.rows}
    assert (rows["新建教学楼"].target, rows["项目总投资"].target, rows["受益师生人数"].target) == (
        "=1栋", "≤900万元", "≥1200人")
    assert rows["缓解超大班教学问题"].operator == "qualitative" and rows["缓解超大班教学问题"].actual
    assert rows["师生及家长满意度"].target == "≥90%"
    assert (sa.total, sa.grade, sa.complete) == (D("100.00"), "excellent", True)


def test_the_dialysis_centre_misses_one_target(demo):
    sa = project_self_assessment(actor=SYSTEM, project=Project.objects.get(code="BJBD-2023-XTZX"))
    row = next(r for r in sa.rows if r.name == "年血液透析服务人次")
    assert (row.actual, row.score, row.met) == ("5400人次", D("13.50"), False) and row.deviation_reason
    assert (sa.total, sa.grade) == (D("98.50"), "excellent")


def test_every_project_from_the_baseline_year_has_a_complete_tree(demo):
    projects = Project.objects.filter(location_division__code="422823", start_year__gte=FIRST_YEAR).exclude(
        status__in=[ProjectStatus.DRAFT, ProjectStatus.CANCELLED])
    assert projects.count() > 40
    for project in projects:
        assert performance_guard(project=project, transition="approve_library", actor=SYSTEM,
                                 on=date(project.start_year, 6, 1)) == [], project.code
        if project.status in (ProjectStatus.HANDED_OVER, ProjectStatus.EVALUATED, ProjectStatus.AUDITED,
                              ProjectStatus.CLOSED):
            assert performance_guard(project=project, transition="evaluate", actor=SYSTEM,
                                     on=date(project.start_year, 6, 1)) == [], project.code


def test_actuals_follow_the_stage(demo):
    under_way = PerformanceIndicator.objects.filter(project__status=ProjectStatus.IN_PROGRESS)
    assert under_way.exists() and not under_way.filter(actual_recorded_on__isnull=False).exists()
    assert PerformanceIndicator.objects.filter(is_illustrative=False).count() == 0


def test_the_2023_summary(demo):
    pairing = Project.objects.get(code="BJBD-2023-QLQ").pairing
    summary = pairing_performance_summary(actor=SYSTEM, pairing=pairing, year=2023)
    codes = [r.code for r in summary.rows]
    assert "BJBD-2023-QLQ" in codes and "BJBD-2023-XTZX" in codes
    assert sum(n for _g, _label, n in summary.counts) == summary.projects
    assert summary.average is not None and D(60) < summary.average <= D(100)
