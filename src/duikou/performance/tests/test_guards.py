"""The lifecycle guard: indicators in 产出/效益/满意度 before 审定入库, every actual before 绩效评价."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from duikou.core.permissions import SYSTEM
from duikou.performance.guards import performance_guard
from duikou.performance.services import performance_actual_record
from duikou.projects import workflow
from duikou.projects.choices import ProjectStatus
from duikou.projects.workflow import TRANSITIONS, project_transition
from duikou.rules.services import rule_set_from_year
from duikou.testing.factories import PerformanceIndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2023, 3, 1)


@pytest.fixture
def only_this_guard(monkeypatch):
    """The other apps' guards (公示 periods, the project's own completeness) are tested there."""
    monkeypatch.setattr(workflow, "_GUARDS", [performance_guard])


def guard(project, key):
    return performance_guard(project=project, transition=TRANSITIONS[key], actor=SYSTEM, on=ON)


def test_the_guard_is_registered_by_the_app():
    assert performance_guard in workflow._GUARDS


def test_library_needs_an_indicator_in_each_level_one():
    project = ProjectFactory(status=ProjectStatus.TOWNSHIP_REVIEWED, start_year=2023, end_year=2023)
    [message] = guard(project, "approve_library")
    assert "产出" in message and "效益" in message and "满意度" in message
    PerformanceIndicatorFactory(project=project, level1="output", level2="quantity")
    PerformanceIndicatorFactory(project=project, level1="effect", level2="social", operator="gte")
    [message] = guard(project, "approve_library")
    assert "满意度" in message and "产出" not in message
    PerformanceIndicatorFactory(project=project, level1="satisfaction", level2="beneficiary", operator="gte",
                                target_value=Decimal(90), unit="%")
    assert guard(project, "approve_library") == []


def test_the_rule_may_switch_the_library_check_off():
    project = ProjectFactory(status=ProjectStatus.TOWNSHIP_REVIEWED, start_year=2023, end_year=2023)
    rule_set_from_year(actor=SYSTEM, key="completeness.before_library", value=False, year=2023,
                       programme=project.pairing.programme)
    assert guard(project, "approve_library") == []


def test_evaluation_needs_every_actual():
    project = ProjectFactory(status=ProjectStatus.HANDED_OVER, start_year=2023, end_year=2023)
    [message] = guard(project, "evaluate")
    assert "no performance indicators" in message
    built = PerformanceIndicatorFactory(project=project, name="新建教学楼")
    rated = PerformanceIndicatorFactory(project=project, name="缓解超大班", level1="effect", level2="social",
                                        operator="qualitative", target_value=None, target_text="有效缓解")
    [message] = guard(project, "evaluate")
    assert "新建教学楼" in message and "缓解超大班" in message
    performance_actual_record(actor=SYSTEM, indicator=built, actual_value=Decimal(1))
    performance_actual_record(actor=SYSTEM, indicator=rated, actual_rating="excellent")
    assert guard(project, "evaluate") == []


def test_other_steps_are_not_guarded():
    project = ProjectFactory(status=ProjectStatus.PROPOSED)
    assert guard(project, "township_review") == [] and guard(project, "plan") == []


def test_project_transition_refuses_the_library_without_targets(only_this_guard):
    project = ProjectFactory(status=ProjectStatus.TOWNSHIP_REVIEWED, start_year=2023, end_year=2023)
    with pytest.raises(ValidationError) as exc:
        project_transition(actor=SYSTEM, project=project, transition="approve_library", on=ON)
    assert "产出" in str(exc.value.message_dict["transition"])
    project.refresh_from_db()
    assert project.status == ProjectStatus.TOWNSHIP_REVIEWED and not project.approvals.exists()
    for level1, level2 in (("output", "quantity"), ("effect", "social"), ("satisfaction", "beneficiary")):
        PerformanceIndicatorFactory(project=project, level1=level1, level2=level2)
    project_transition(actor=SYSTEM, project=project, transition="approve_library", on=ON)
    assert project.status == ProjectStatus.IN_LIBRARY


def test_a_rejection_is_not_guarded(only_this_guard):
    project = ProjectFactory(status=ProjectStatus.TOWNSHIP_REVIEWED, start_year=2023, end_year=2023)
    project_transition(actor=SYSTEM, project=project, transition="approve_library", decision="reject", on=ON,
                       opinion="绩效目标不完整")
    assert project.status == ProjectStatus.TOWNSHIP_REVIEWED


def test_project_transition_refuses_the_evaluation_without_actuals(only_this_guard):
    project = ProjectFactory(status=ProjectStatus.HANDED_OVER, start_year=2023, end_year=2023)
    indicator = PerformanceIndicatorFactory(project=project)
    with pytest.raises(ValidationError):
        project_transition(actor=SYSTEM, project=project, transition="evaluate", on=ON)
    performance_actual_record(actor=SYSTEM, indicator=indicator, actual_value=Decimal(1), actual_recorded_on=ON)
    project_transition(actor=SYSTEM, project=project, transition="evaluate", on=ON)
    assert project.status == ProjectStatus.EVALUATED
