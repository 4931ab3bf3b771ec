"""The demo's notices: consistent with the projects' statuses, content from the records, idempotent."""

import datetime as dt

import pytest

from duikou.core.permissions import SYSTEM
from duikou.core.privacy import check_publishable
from duikou.demo.disclosure_demo import OBJECTION_PROJECT, load_disclosure_demo
from duikou.disclosure.content import text_of
from duikou.disclosure.guards import disclosure_guard
from duikou.disclosure.models import Disclosure
from duikou.projects.models import Project
from duikou.projects.workflow import TRANSITIONS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        first = load_disclosure_demo(SYSTEM)
        second = load_disclosure_demo(SYSTEM)
    return first, second


def test_the_demo_has_the_notices_and_loading_again_writes_nothing(loaded):
    first, second = loaded  # load-demo has already published them
    assert Disclosure.objects.filter(is_illustrative=True).count() > 50
    assert (first.created, first.updated, second.created, second.updated) == ({}, {}, {}, {})


def test_notices_follow_the_status(loaded):
    projects = Project.objects.filter(location_division__code="422823", start_year__gte=2021).exclude(
        status__in=["draft", "proposed", "township_reviewed", "cancelled"])  # before 审定: no notice yet
    for project in projects:
        kinds = set(Disclosure.objects.filter(project=project, status="published").values_list("kind", flat=True))
        assert "library" in kinds, (project.code, project.status, project.start_year)
        assert ("completion" in kinds) == (project.status == "closed"), project.code
        assert ("pre_implementation" in kinds) == (project.status not in ("in_library", "planned", "agreed",
                                                                           "preparing")), project.code


def test_the_named_school_has_its_three_notices_from_its_records(loaded):
    school = Project.objects.get(code="BJBD-2023-QLQ")
    notices = {d.kind: d for d in Disclosure.objects.filter(project=school)}
    assert set(notices) >= {"library", "pre_implementation"}
    rows = {r["label"]: text_of(r["value"]) for r in notices["library"].content_snapshot["sections"][1]["rows"]}
    assert rows["项目名称"] == "青龙桥小学教学楼" and rows["受益对象"] == "师生1200多人"
    assert notices["library"].title == "巴东县2023年度对口支援项目库公示"


def test_annual_plan_announcements_list_the_years_projects(loaded):
    notice = Disclosure.objects.get(kind="annual_plan", year=2021)
    funds = {r["label"]: text_of(r["value"]) for r in notice.content_snapshot["sections"][0]["rows"]}
    assert funds["资金规模"] == "5,113.00万元"  # 市级 4513万 + 房山区 600万 (cjbd.com.cn)
    assert len(notice.content_snapshot["project_ids"]) == 10


def test_every_demo_notice_passes_the_privacy_check(loaded):
    for notice in Disclosure.objects.filter(status="published"):
        assert check_publishable(notice.content_snapshot) == [], notice.title


def test_the_dismissed_objection_does_not_hold_up_the_start(loaded):
    project = Project.objects.get(code=OBJECTION_PROJECT)
    notice = Disclosure.objects.get(project=project, kind="pre_implementation")
    [objection] = notice.objections.all()
    assert objection.decision == "dismissed"
    start = TRANSITIONS["start"]
    assert disclosure_guard(project=project, transition=start, actor=SYSTEM, on=notice.end_date) != []
    assert disclosure_guard(project=project, transition=start, actor=SYSTEM,
                            on=notice.end_date + dt.timedelta(days=1)) == []
