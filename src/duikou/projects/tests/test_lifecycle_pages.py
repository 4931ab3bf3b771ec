"""The lifecycle in the web application: the step buttons and approval history on a project's
page, posting a step (success, errors beside the fields, a refused role), the to-do list and its
menu link, and the register of approval records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from duikou.projects import workflow
from duikou.projects.choices import ProjectStatus
from duikou.projects.models import ApprovalRecord, Project
from duikou.projects.workflow import project_transition
from duikou.testing import factories as f
from duikou.testing.pages import csv_rows
from duikou.ui.registers import url_for

pytestmark = pytest.mark.django_db

S = ProjectStatus
TODO = reverse("todo")


@pytest.fixture(autouse=True)
def only_our_guard(monkeypatch):
    monkeypatch.setattr(workflow, "_GUARDS", [workflow.completeness_before_library])


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def make(world, status, key="beijing_badong", **kwargs):
    kwargs.setdefault("implementing_unit", world.orgs["巴东县"])
    kwargs.setdefault("farmer_linkage", "不涉及")
    if status in (S.CHANGE_PENDING, S.SUSPENDED):
        kwargs.setdefault("return_status", S.IN_PROGRESS)
    project = f.ProjectFactory(pairing=world.pairings[key], status=status, budget=Decimal("3000000.00"),
                               start_year=2024, end_year=2024, **kwargs)
    f.ProjectOutputFactory(project=project)
    return project


def as_user(client, world, who):
    client.force_login(world.user(who))
    return client


def post_step(client, project, key, **data):
    payload = {"step": key, f"{key}-decided_on": timezone.localdate().isoformat(),
               f"{key}-expected_status": project.status}
    payload.update({f"{key}-{k}": v for k, v in data.items()})
    return client.post(reverse("project-transition", args=[project.pk]), payload)


# the project page ----------------------------------------------------------------------------


def test_the_page_offers_the_steps_the_user_may_take_now(client, pairings):
    project = make(pairings, S.DRAFT)
    body = as_user(client, pairings, "recipient").get(url_for(project)).content.decode()
    assert 'data-transition="propose"' in body and 'data-transition="approve_library"' not in body
    assert 'data-transition="cancel"' not in body  # cancelling is the supporter's
    body = as_user(client, pairings, "supporter").get(url_for(project)).content.decode()
    assert 'data-transition="propose"' not in body and 'data-transition="cancel"' in body
    reviewed = make(pairings, S.TOWNSHIP_REVIEWED)
    response = client.get(url_for(reviewed))
    steps = {s["key"]: s for s in response.context["steps"]}
    assert set(steps) == {"approve_library", "cancel"}
    assert "decision" in steps["approve_library"]["form"].fields  # 审定 may be rejected
    assert "decision" not in steps["cancel"]["form"].fields
    body = as_user(client, pairings, "read_only").get(url_for(reviewed)).content.decode()
    assert "data-transition=" not in body and "data-no-steps" in body


def test_the_page_says_what_blocks_a_step(client, pairings):
    project = make(pairings, S.TOWNSHIP_REVIEWED, implementing_unit=None)
    response = as_user(client, pairings, "supporter").get(url_for(project))
    [library] = [s for s in response.context["steps"] if s["key"] == "approve_library"]
    assert any("implementing unit" in m for m in library["blocked"])
    assert "data-blocked" in response.content.decode()


def test_posting_a_step_records_it_and_shows_the_history(client, pairings):
    project = make(pairings, S.TOWNSHIP_REVIEWED)
    response = post_step(as_user(client, pairings, "supporter"), project, "approve_library",
                         decision="approve", opinion="同意入库", doc_no="京援审〔2024〕7号")
    assert response.status_code == 302 and response["Location"].endswith(f"{url_for(project)}#lifecycle")
    project.refresh_from_db()
    assert project.status == S.IN_LIBRARY
    approval = ApprovalRecord.objects.get(project=project)
    assert (approval.actor.username, approval.role, approval.doc_no) == ("supporter", "supporter_office", "京援审〔2024〕7号")
    page = client.get(url_for(project))
    body = page.content.decode()
    assert 'data-approval="approve_library"' in body and "京援审〔2024〕7号" in body and "同意入库" in body
    assert [s["state"] for s in page.context["path"]][:4] == ["done", "done", "done", "current"]


def test_a_rejection_from_the_page(client, pairings):
    project = make(pairings, S.PROPOSED)
    response = post_step(as_user(client, pairings, "recipient"), project, "township_review", decision="reject",
                         opinion="资金来源不明")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.PROPOSED
    assert ApprovalRecord.objects.get(project=project).decision == "reject"


def test_errors_are_shown_beside_the_fields_and_nothing_is_saved(client, pairings):
    project = make(pairings, S.DRAFT)
    as_user(client, pairings, "recipient")
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = post_step(client, project, "propose", decided_on=future)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-field="decided_on"' in body and "future" in body
    assert not ApprovalRecord.objects.filter(project=project).exists()
    # a guard's refusal is shown on top of the step's form
    incomplete = make(pairings, S.TOWNSHIP_REVIEWED, farmer_linkage="")
    response = post_step(as_user(client, pairings, "supporter"), incomplete, "approve_library", decision="approve")
    assert response.status_code == 200
    [form] = [s["form"] for s in response.context["steps"] if s["key"] == "approve_library"]
    assert any("farmer-linkage" in e for e in form.non_field_errors())
    assert Project.objects.get(pk=incomplete.pk).status == S.TOWNSHIP_REVIEWED


def test_a_change_request_from_the_page(client, pairings):
    project = make(pairings, S.IN_PROGRESS)
    as_user(client, pairings, "recipient")
    response = post_step(client, project, "request_change", new_budget="-5")
    assert response.status_code == 200 and 'data-field="new_budget"' in response.content.decode()
    response = post_step(client, project, "request_change", new_budget="3600000", opinion="追加投资")
    assert response.status_code == 302
    page = as_user(client, pairings, "supporter").get(url_for(project))
    assert page.context["pending_change"][0]["after"] == "3600000.00"
    assert {s["key"] for s in page.context["steps"]} >= {"approve_change", "reject_change"}
    assert post_step(client, Project.objects.get(pk=project.pk), "approve_change").status_code == 302
    assert Project.objects.get(pk=project.pk).budget == Decimal("3600000.00")


def test_a_refused_role_gets_403_with_the_reason(client, pairings):
    project = make(pairings, S.TOWNSHIP_REVIEWED)
    response = post_step(as_user(client, pairings, "recipient"), project, "approve_library", decision="approve")
    assert response.status_code == 403
    assert "needs" in response.content.decode()
    assert not ApprovalRecord.objects.filter(project=project).exists()
    foreign = as_user(client, pairings, "foreign")
    assert post_step(foreign, project, "approve_library", decision="approve").status_code == 404
    assert client.get(reverse("project-transition", args=[project.pk])).status_code == 405


def test_a_step_posted_from_a_stale_page_is_refused(client, pairings):
    project = make(pairings, S.PROPOSED)
    project_transition(actor=pairings.user("recipient"), project=project, transition="township_review")
    as_user(client, pairings, "recipient")
    response = post_step(client, Project(pk=project.pk, status=S.PROPOSED), "township_review", decision="approve")
    assert response.status_code == 200
    assert "changed meanwhile" in response.content.decode()
    assert ApprovalRecord.objects.filter(project=project).count() == 1


# the to-do list ------------------------------------------------------------------------------


def test_the_to_do_list_shows_what_waits_for_the_user(client, pairings):
    draft = make(pairings, S.DRAFT)
    reviewed = make(pairings, S.TOWNSHIP_REVIEWED)
    under_way = make(pairings, S.IN_PROGRESS)
    pending = make(pairings, S.CHANGE_PENDING)
    make(pairings, S.CLOSED)
    sub = make(pairings, S.AUDITED, "fangshan_badong")
    foreign = make(pairings, S.TOWNSHIP_REVIEWED, "shanghai_yiling")

    def listed(who):
        response = as_user(client, pairings, who).get(TODO)
        assert response.status_code == 200
        return {r["project"].code for r in response.context["rows"]}

    assert listed("recipient") == {draft.code, under_way.code}
    assert listed("supporter") == {reviewed.code, pending.code, sub.code}
    assert listed("district") == {sub.code}
    assert listed("foreign") == {foreign.code}
    assert listed("read_only") == set()
    body = as_user(client, pairings, "recipient").get(TODO).content.decode()
    assert f'data-todo="{draft.code}"' in body and str(workflow.TRANSITIONS["propose"].label) in body


def test_the_menu_links_the_to_do_list_for_users_who_take_steps(client, pairings):
    body = as_user(client, pairings, "recipient").get(reverse("ui:projects-list")).content.decode()
    assert 'data-nav="todo"' in body
    body = as_user(client, pairings, "read_only").get(reverse("ui:projects-list")).content.decode()
    assert 'data-nav="todo"' not in body
    client.logout()
    assert client.get(TODO).status_code == 302


# the register of approval records --------------------------------------------------------------


def test_the_approval_register_lists_filters_and_exports(client, pairings):
    ours = make(pairings, S.DRAFT)
    project_transition(actor=pairings.user("recipient"), project=ours, transition="propose", doc_no="巴申〔2024〕1号")
    project_transition(actor=pairings.user("recipient"), project=ours, transition="township_review",
                       decision="reject", opinion="退回")
    theirs = make(pairings, S.DRAFT, "shanghai_yiling")
    project_transition(actor=pairings.user("admin"), project=theirs, transition="propose", doc_no="沪申1号")
    as_user(client, pairings, "supporter")
    listing = reverse("ui:approvals-list")
    body = client.get(listing).content.decode()
    assert "巴申〔2024〕1号" in body and "沪申1号" not in body
    rows = client.get(listing, {"decision": "reject"}).context["rows"]
    assert [r["obj"].opinion for r in rows] == ["退回"]
    exported = csv_rows(client.get(reverse("ui:approvals-export-csv")))
    assert len(exported) == 3
    record = ApprovalRecord.objects.get(doc_no="巴申〔2024〕1号")
    assert client.get(url_for(record)).status_code == 200
    assert client.get(url_for(ApprovalRecord.objects.get(doc_no="沪申1号"))).status_code == 404
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):  # read-only: no form
        reverse("ui:approvals-create")
