"""The lifecycle waits for its notice: published, its period run (``disclosure.min_days``), no
upheld or undecided objection."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from duikou.disclosure.guards import disclosure_guard
from duikou.disclosure.services import disclosure_publish, disclosure_withdraw, objection_create, objection_update
from duikou.plans.choices import PlanKind
from duikou.projects.models import Project
from duikou.projects.workflow import TRANSITIONS, project_transition
from duikou.testing.factories import (
    DisclosureFactory,
    FundAllocationFactory,
    PlanFactory,
    ProjectFactory,
    RuleFactory,
)

pytestmark = pytest.mark.django_db

START = dt.date(2024, 4, 1)  # the notice's first day; 10 days run out on 4-10


@pytest.fixture
def preparing(pairings):
    return ProjectFactory(pairing=pairings.pairings["beijing_badong"], status="preparing", start_year=2024,
                          end_year=2024)


def publish(pairings, project, kind="pre_implementation", **kwargs):
    draft = DisclosureFactory(kind=kind, pairing=project.pairing, project=project, start_date=None, end_date=None,
                              **kwargs)
    return disclosure_publish(actor=pairings.user("recipient"), disclosure=draft, on=START)


def start(pairings, project, on):
    return project_transition(actor=pairings.user("recipient"), project=Project.objects.get(pk=project.pk),
                              transition="start", on=on, opinion="开工")


def refusal(pairings, project, on) -> str:
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        start(pairings, project, on)
    assert Project.objects.get(pk=project.pk).status == "preparing"
    with translation.override("en"):
        return " ".join(exc.value.error_dict["transition"][0].messages)


def test_no_notice_no_start(pairings, preparing):
    message = refusal(pairings, preparing, dt.date(2024, 5, 1))
    assert "needs a published pre-implementation notice" in message and "10 days" in message


def test_too_early_says_when_it_can_proceed(pairings, preparing):
    publish(pairings, preparing)
    message = refusal(pairings, preparing, dt.date(2024, 4, 6))
    assert "has run 5 of at least 10 days" in message and "can proceed on 2024-04-11" in message


def test_period_run_and_no_objection_lets_the_step_through(pairings, preparing):
    publish(pairings, preparing)
    record = start(pairings, preparing, dt.date(2024, 4, 11))
    assert record.to_status == "in_progress"
    assert Project.objects.get(pk=preparing.pk).status == "in_progress"


def test_upheld_objection_blocks(pairings, preparing):
    notice = publish(pairings, preparing)
    objection = objection_create(actor=pairings.user("recipient"), disclosure=notice, received_on=dt.date(2024, 4, 3),
                                 summary="项目选址占用基本农田")
    assert "has not been decided" in refusal(pairings, preparing, dt.date(2024, 4, 20))
    objection_update(actor=pairings.user("recipient"), instance=objection, decision="upheld",
                     decided_on=dt.date(2024, 4, 8), resolution="经核实，调整选址")
    message = refusal(pairings, preparing, dt.date(2024, 4, 20))
    assert "was upheld on 2024-04-08" in message and "withdraw the notice and publish a new one" in message


def test_dismissed_objection_does_not_block(pairings, preparing):
    notice = publish(pairings, preparing)
    objection_create(actor=pairings.user("recipient"), disclosure=notice, received_on=dt.date(2024, 4, 3),
                     summary="对施工时间有意见", decision="dismissed", decided_on=dt.date(2024, 4, 9),
                     resolution="经核实，不影响项目实施")
    assert start(pairings, preparing, dt.date(2024, 4, 11)).decision == "approve"


def test_withdrawn_and_draft_notices_do_not_count(pairings, preparing):
    notice = publish(pairings, preparing)
    disclosure_withdraw(actor=pairings.user("recipient"), disclosure=notice, reason="内容有误",
                        on=dt.date(2024, 4, 5))
    DisclosureFactory(kind="pre_implementation", pairing=preparing.pairing, project=preparing)
    assert "there is none" in refusal(pairings, preparing, dt.date(2024, 5, 1))


def test_the_period_rule_is_data(pairings, preparing):
    RuleFactory(pairing=preparing.pairing, key="disclosure.min_days", value="15", valid_from_year=2021)
    publish(pairings, preparing)  # 15 days now: 4-1 to 4-15
    assert "can proceed on 2024-04-16" in refusal(pairings, preparing, dt.date(2024, 4, 11))
    assert start(pairings, preparing, dt.date(2024, 4, 16)).to_status == "in_progress"


def test_a_notice_of_another_kind_does_not_count(pairings, preparing):
    publish(pairings, preparing, kind="library")
    assert "there is none" in refusal(pairings, preparing, dt.date(2024, 5, 1))


def test_steps_without_a_notice_are_not_guarded(pairings, preparing):
    assert disclosure_guard(project=preparing, transition=TRANSITIONS["procure"], actor=None,
                            on=dt.date(2024, 5, 1)) == []
    assert disclosure_guard(project=preparing, transition="complete", actor=None, on=dt.date(2024, 5, 1)) == []
    assert disclosure_guard(project=preparing, transition="start", actor=None, on=dt.date(2024, 5, 1))


def test_annual_plan_announcement_must_list_the_project(pairings):
    city = pairings.pairings["beijing_badong"]
    plan = PlanFactory(pairing=city, kind=PlanKind.ANNUAL, title="2024年度项目计划", start_year=2024, end_year=2024)
    listed = ProjectFactory(pairing=city, status="in_library", annual_plan=plan, start_year=2024, end_year=2024)
    FundAllocationFactory(pairing=city, project=listed, year=2024)
    draft = DisclosureFactory(kind="annual_plan", pairing=city, project=None, plan=plan, year=None, title="",
                              start_date=None, end_date=None)
    disclosure_publish(actor=pairings.user("supporter"), disclosure=draft, on=START)
    late = ProjectFactory(pairing=city, status="in_library", annual_plan=plan, start_year=2024, end_year=2024)

    def plan_step(project):
        return project_transition(actor=pairings.user("supporter"), project=Project.objects.get(pk=project.pk),
                                  transition="plan", on=dt.date(2024, 4, 15), doc_no="京巴援〔2024〕1号")

    assert plan_step(listed).to_status == "planned"
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        plan_step(late)
    with translation.override("en"):
        assert "does not list this project" in exc.value.error_dict["transition"][0].messages[0]


def test_a_district_project_counts_in_the_parent_pairings_announcement(pairings):
    city, district = pairings.pairings["beijing_badong"], pairings.pairings["fangshan_badong"]
    project = ProjectFactory(pairing=district, status="in_library", start_year=2024, end_year=2024)
    FundAllocationFactory(pairing=district, project=project, year=2024, level="district")
    draft = DisclosureFactory(kind="annual_plan", pairing=city, project=None, plan=None, year=2024,
                              start_date=None, end_date=None)
    disclosure_publish(actor=pairings.user("supporter"), disclosure=draft, on=START)
    assert disclosure_guard(project=project, transition=TRANSITIONS["plan"], actor=None, on=dt.date(2024, 4, 11)) == []
    assert disclosure_guard(project=project, transition=TRANSITIONS["plan"], actor=None, on=dt.date(2024, 4, 10))
