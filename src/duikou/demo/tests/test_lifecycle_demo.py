"""The demo's lifecycle histories (``duikou.demo.lifecycle_demo``): every Badong project carries
the approval records of the steps its status has passed, by the right offices, in order."""

from datetime import date

import pytest

from duikou.funds.models import FundTransaction
from duikou.projects.choices import ProjectStatus
from duikou.projects.models import ApprovalRecord, Project
from duikou.projects.workflow import TRANSITIONS, project_transition

pytestmark = pytest.mark.django_db


def badong_projects():
    return Project.objects.filter(pairing__recipient__name="巴东县", pairing__programme__code="three-gorges")


def test_every_badong_project_has_a_history_that_ends_in_its_status(demo_db):
    projects = list(badong_projects().prefetch_related("approvals"))
    assert len(projects) > 300
    for project in projects:
        records = sorted(project.approvals.all(), key=lambda a: (a.decided_on, a.id))
        if project.status == ProjectStatus.DRAFT:
            assert not records, project.code
            continue
        assert records, project.code
        assert records[0].transition == "propose" and records[0].from_status == ProjectStatus.DRAFT
        assert records[-1].to_status == project.status, project.code
        for before, after in zip(records, records[1:], strict=False):
            assert after.from_status == before.to_status, project.code
            assert before.decided_on <= after.decided_on, project.code
        for record in records:
            assert TRANSITIONS[record.transition].target == record.to_status
            assert record.is_illustrative and record.source
            assert record.decided_on <= date.today()
    closed = Project.objects.get(code="BJBD-2023-QLQ")
    assert closed.status == ProjectStatus.CLOSED and closed.approvals.count() == 13


def test_the_county_proposes_and_beijing_or_fangshan_approve(demo_db):
    records = ApprovalRecord.objects.filter(project__in=badong_projects()).select_related("actor_org", "project__pairing")
    for record in records:
        if record.transition in ("approve_library", "plan", "close"):
            district = record.project.pairing.parent_id is not None
            expected = ("房山区", "district_office") if district else ("北京市", "supporter_office")
            assert (record.actor_org.name, record.role) == expected, record
        else:
            assert (record.actor_org.name, record.role) == ("巴东县", "recipient_office"), record
            assert record.actor_name == "巴东县区域合作中心"
    # 北京市's office under the name it bore on the day (facts.BEIJING_OFFICE_NAMES)
    names = {r.decided_on.year: r.actor_name for r in records.filter(transition="plan", role="supporter_office")}
    assert names[2021] == "北京市扶贫支援办"
    assert names[2023] == "北京市支援合作办（支援合作四处）"
    assert names[2024] == "北京市发展和改革委员会（对口协作合作处）"


def test_the_plan_step_carries_the_allocation_document(demo_db):
    school = Project.objects.get(code="BJBD-2023-QLQ")
    allocation = FundTransaction.objects.get(project=school, kind=FundTransaction.Kind.ALLOCATION)
    plan = school.approvals.get(transition="plan")
    assert (plan.doc_no, plan.decided_on) == (allocation.doc_no, allocation.date)
    library = school.approvals.get(transition="approve_library")
    assert library.decided_on == date(2022, 11, 20)  # after the 项目库公示 of November 2022
    assert school.approvals.get(transition="close").decided_on == date(2024, 3, 20)


def test_a_sample_of_the_generated_records_passes_the_model_rules(demo_db):
    for record in ApprovalRecord.objects.order_by("?")[:40]:
        record.full_clean()


def test_a_demo_project_under_way_continues_through_the_workflow(demo_db):
    from duikou.accounts.models import User

    project = Project.objects.get(code="BJBD-2024-SWYY")
    assert project.status == ProjectStatus.IN_PROGRESS
    last = project.approvals.order_by("-decided_on").first()
    approval = project_transition(actor=User.objects.get(username="badong"), project=project, transition="complete",
                                  on=date(2025, 9, 30))
    assert approval.from_status == last.to_status and project.status == ProjectStatus.COMPLETED
    assert approval.actor_org.name == "巴东县"


def test_each_demo_user_finds_work_on_the_to_do_list(demo_db):
    from duikou.accounts.models import User
    from duikou.projects.selectors import project_todo_list

    def waiting(username):
        return {item.project.code: [s.key for s in item.steps]
                for item in project_todo_list(actor=User.objects.get(username=username))}

    badong = waiting("badong")
    assert badong["BJBD-2025-04"] == ["propose"] and badong["BJBD-2025-01"] == ["township_review"]
    assert badong["BJBD-2024-SWYY"] == ["complete"]
    assert waiting("beijing") == {"BJBD-2025-02": ["approve_library"], "BJBD-2025-03": ["plan"],
                                  "FSBD-2025-01": ["approve_library"]}
    assert waiting("fangshan") == {"FSBD-2025-01": ["approve_library"]}
    # above approval.high_amount_threshold (500万) only 北京市 approves: 房山区's would not be enough
    assert Project.objects.get(code="BJBD-2025-02").budget > 5_000_000


def test_pipeline_projects_are_not_counted_in_the_figures(demo_db):
    from duikou.projects.selectors import project_counted

    pipeline = Project.objects.filter(start_year=2025)
    assert pipeline.count() == 5 and all(p.is_illustrative for p in pipeline)
    assert not project_counted(pipeline).exists()
