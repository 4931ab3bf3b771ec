"""The lifecycle with approvals: every step allowed to its role, refused to the others and out of
order, the guards, the amount thresholds of the rules, changes, rejections and the policy as data.

The world: 北京市 → 巴东县 with 房山区 → 巴东县 inside it and the unrelated 上海市 → 夷陵区, one user
per role (``duikou.testing.scenario.STANDARD_USERS``). Other apps' guards (公示, performance
indicators) are switched off here: their own tests cover them; this module keeps only the
projects app's completeness guard.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from duikou.audit.models import ObjectChange
from duikou.core.errors import PermissionDenied
from duikou.core.permissions import SYSTEM
from duikou.projects import workflow
from duikou.projects.choices import ACTIVE_STATUSES, ProjectStatus, TransitionKey
from duikou.projects.models import ApprovalRecord, Project, TransitionPolicy
from duikou.projects.services import project_create, project_delete, project_update, transition_policy_set
from duikou.projects.workflow import DEFAULT_POLICY, RETURN, TRANSITIONS, project_transition, register_guard
from duikou.testing import factories as f
from duikou.testing.asserts import changes_for

pytestmark = pytest.mark.django_db

S = ProjectStatus
CITY, SUB, FOREIGN = "beijing_badong", "fangshan_badong", "shanghai_yiling"
DAY = dt.date(2024, 6, 1)


@pytest.fixture(autouse=True)
def only_our_guard(monkeypatch):
    monkeypatch.setattr(workflow, "_GUARDS", [workflow.completeness_before_library])


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English (the msgids), whatever the catalogue says."""
    with translation.override("en"):
        yield


def project_at(world, status, pairing=CITY, *, budget="3000000.00", complete=True, **kwargs):
    """A project of ``pairing`` in ``status``, ready for the library (implementing unit, output,
    farmer linkage) unless ``complete=False``."""
    p = world.pairings[pairing]
    if complete:
        kwargs.setdefault("implementing_unit", world.orgs["巴东县"])
        kwargs.setdefault("farmer_linkage", "订单收购，带动农户务工增收")
    if status in (S.CHANGE_PENDING, S.SUSPENDED):
        kwargs.setdefault("return_status", S.IN_PROGRESS)
    project = f.ProjectFactory(pairing=p, status=status, budget=Decimal(budget), start_year=2024, end_year=2024,
                               **kwargs)
    if complete:
        f.ProjectOutputFactory(project=project)
    return project


def step(world, who, project, key, **kwargs):
    kwargs.setdefault("on", DAY)
    return project_transition(actor=world.user(who), project=project, transition=key, **kwargs)


def saved_state(project):
    return (Project.objects.get(pk=project.pk).status, ApprovalRecord.objects.count(), ObjectChange.objects.count())


# the state machine as data ------------------------------------------------------------------


def test_every_step_is_declared_with_a_policy():
    assert set(TRANSITIONS) == set(TransitionKey.values)
    assert set(DEFAULT_POLICY) == set(TransitionKey.values) - {"accept"}  # accept: the rule acceptance.owner
    main = ["propose", "township_review", "approve_library", "plan", "agree", "procure", "start", "complete",
            "accept", "hand_over", "evaluate", "audit", "close"]
    status = S.DRAFT
    for key in main:  # the main path leads from draft to closed, one step after the other
        assert TRANSITIONS[key].sources == (status,)
        status = TRANSITIONS[key].target
    assert status == S.CLOSED
    kinds = {k: t.disclosure_kind for k, t in TRANSITIONS.items() if t.disclosure_kind}
    assert kinds == {"approve_library": "library", "plan": "annual_plan", "start": "pre_implementation",
                     "close": "completion"}
    assert TRANSITIONS["request_change"].sources == ACTIVE_STATUSES
    assert TRANSITIONS["approve_change"].target == TRANSITIONS["resume"].target == RETURN
    assert S.CLOSED not in TRANSITIONS["cancel"].sources and S.DRAFT in TRANSITIONS["cancel"].sources


def test_a_transition_compares_equal_to_its_key():
    t = TRANSITIONS["approve_library"]
    assert t == "approve_library" and t != "plan" and str(t) == "approve_library"
    assert t in ("approve_library", "close") and {t: 1}[TRANSITIONS["approve_library"]] == 1


# allowed, forbidden, out of order -----------------------------------------------------------

# step: (who may take it by default, a status it starts from, the status it leads to)
ALLOWED = {
    "propose": ("recipient", S.DRAFT, S.PROPOSED),
    "township_review": ("recipient", S.PROPOSED, S.TOWNSHIP_REVIEWED),
    "approve_library": ("supporter", S.TOWNSHIP_REVIEWED, S.IN_LIBRARY),
    "plan": ("supporter", S.IN_LIBRARY, S.PLANNED),
    "agree": ("recipient", S.PLANNED, S.AGREED),
    "procure": ("recipient", S.AGREED, S.PREPARING),
    "start": ("recipient", S.PREPARING, S.IN_PROGRESS),
    "complete": ("recipient", S.IN_PROGRESS, S.COMPLETED),
    "accept": ("recipient", S.COMPLETED, S.ACCEPTED),
    "hand_over": ("recipient", S.ACCEPTED, S.HANDED_OVER),
    "evaluate": ("recipient", S.HANDED_OVER, S.EVALUATED),
    "audit": ("recipient", S.EVALUATED, S.AUDITED),
    "close": ("supporter", S.AUDITED, S.CLOSED),
    "request_change": ("recipient", S.IN_PROGRESS, S.CHANGE_PENDING),
    "approve_change": ("supporter", S.CHANGE_PENDING, S.IN_PROGRESS),
    "reject_change": ("supporter", S.CHANGE_PENDING, S.IN_PROGRESS),
    "suspend": ("supporter", S.IN_PROGRESS, S.SUSPENDED),
    "resume": ("supporter", S.SUSPENDED, S.IN_PROGRESS),
    "cancel": ("supporter", S.DRAFT, S.CANCELLED),
}
ROLE = {"recipient": ("recipient_office", "巴东县"), "supporter": ("supporter_office", "北京市")}


def test_the_table_covers_every_step():
    assert set(ALLOWED) == set(TRANSITIONS)


@pytest.mark.parametrize("key", list(ALLOWED))
def test_step_allowed_to_its_role(pairings, key):
    who, source, target = ALLOWED[key]
    project = project_at(pairings, source)
    kwargs = {"opinion": "同意", "doc_no": "文号〔2024〕1号"}
    if key == "request_change":
        kwargs["changes"] = {"budget": Decimal("3200000")}
    approval = step(pairings, who, project, key, **kwargs)
    project.refresh_from_db()
    assert project.status == target
    user = pairings.user(who)
    role, org = ROLE[who]
    assert (approval.transition, approval.from_status, approval.to_status) == (key, source, target)
    assert (approval.actor, approval.actor_name, approval.actor_org.name, approval.role) == (user, who, org, role)
    assert approval.role_name and approval.decided_on == DAY
    assert (approval.opinion, approval.doc_no) == ("同意", "文号〔2024〕1号")
    assert approval.decision == ("reject" if key == "reject_change" else "approve")
    [created] = changes_for(approval)
    assert (created.action, created.actor) == ("create", user)
    [update] = changes_for(project, "update")
    assert (update.before["status"], update.after["status"], update.actor) == (source, target, user)


# Users who see the project but hold no role for the step (the member unit sees no project at all).
FORBIDDEN = {"recipient": ["supporter", "read_only", "national"], "supporter": ["recipient", "read_only", "national"]}


@pytest.mark.parametrize("key", list(ALLOWED))
def test_step_refused_to_other_roles_with_a_clear_message(pairings, key):
    who, source, _target = ALLOWED[key]
    project = project_at(pairings, source)
    others = [w for w in FORBIDDEN[who] if not (key == "request_change" and w == "supporter")]
    for other in others:
        before = saved_state(project)
        with pytest.raises(PermissionDenied) as info:
            step(pairings, other, project, key)
        message = str(info.value)
        assert str(TRANSITIONS[key].label) in message
        assert "Your roles for this project" in message
        assert saved_state(project) == before


@pytest.mark.parametrize("key", list(ALLOWED))
def test_users_who_cannot_see_the_project_take_no_step(pairings, key):
    who, source, _target = ALLOWED[key]
    project = project_at(pairings, source)
    before = saved_state(project)
    for other in ("foreign", "member_unit", "anonymous"):
        with pytest.raises(PermissionDenied):
            step(pairings, other, project, key)
    assert saved_state(project) == before


@pytest.mark.parametrize("key", list(ALLOWED))
def test_step_out_of_order_is_refused_naming_the_step(pairings, key):
    wrong = S.CLOSED if key == "cancel" else S.IN_PROGRESS if key == "propose" else S.DRAFT
    project = project_at(pairings, wrong)
    before = saved_state(project)
    with pytest.raises(ValidationError) as info:
        step(pairings, "admin", project, key)  # a superuser: only the order can refuse
    [message] = info.value.message_dict["transition"]
    assert str(TRANSITIONS[key].label) in message and str(S(wrong).label) in message
    assert saved_state(project) == before


def test_unknown_step_and_decision(pairings):
    project = project_at(pairings, S.DRAFT)
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", project, "teleport")
    assert "transition" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", project, "propose", decision="maybe")
    assert "decision" in info.value.message_dict


def test_a_project_walks_from_draft_to_closed(pairings):
    project = project_at(pairings, S.DRAFT)
    for i, key in enumerate(["propose", "township_review", "approve_library", "plan", "agree", "procure", "start",
                             "complete", "accept", "hand_over", "evaluate", "audit", "close"]):
        who = ALLOWED[key][0]
        step(pairings, who, project, key, on=DAY + dt.timedelta(days=i))
    assert project.status == S.CLOSED
    assert list(project.approvals.values_list("transition", flat=True).order_by("id"))[-1] == "close"
    assert project.approvals.count() == 13
    with pytest.raises(ValidationError):  # closed is final: not even cancelled
        step(pairings, "supporter", project, "cancel", on=DAY + dt.timedelta(days=20))


# rejections ---------------------------------------------------------------------------------


def test_a_rejection_is_recorded_and_leaves_the_status(pairings):
    project = project_at(pairings, S.PROPOSED)
    rejected = step(pairings, "recipient", project, "township_review", decision="reject", opinion="投资概算不实，退回修改")
    project.refresh_from_db()
    assert project.status == S.PROPOSED
    assert (rejected.decision, rejected.from_status, rejected.to_status) == ("reject", S.PROPOSED, S.PROPOSED)
    assert changes_for(project, "update") == []  # the project itself did not change
    assert len(changes_for(rejected)) == 1
    # the project still waits for the decision, which may now be approved
    step(pairings, "recipient", project, "township_review", on=DAY + dt.timedelta(days=3))
    assert project.status == S.TOWNSHIP_REVIEWED
    assert list(project.approvals.order_by("id").values_list("decision", flat=True)) == ["reject", "approve"]


def test_a_step_that_is_no_decision_cannot_be_rejected(pairings):
    project = project_at(pairings, S.PLANNED)
    before = saved_state(project)
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", project, "agree", decision="reject")
    assert "decision" in info.value.message_dict
    assert saved_state(project) == before


def test_a_rejection_runs_no_guard(pairings):
    project = project_at(pairings, S.TOWNSHIP_REVIEWED, complete=False)  # would fail the completeness guard
    step(pairings, "supporter", project, "approve_library", decision="reject", opinion="缺少联农带农机制")
    assert project.status == S.TOWNSHIP_REVIEWED


# guards -------------------------------------------------------------------------------------


def test_library_entry_needs_an_implementing_unit_an_output_and_a_farmer_linkage(pairings):
    project = project_at(pairings, S.TOWNSHIP_REVIEWED, complete=False)
    before = saved_state(project)
    with pytest.raises(ValidationError) as info:
        step(pairings, "supporter", project, "approve_library")
    messages = info.value.message_dict["transition"]
    assert len(messages) == 3
    assert any("实施单位" in m for m in messages) and any("联农带农" in m for m in messages)
    assert saved_state(project) == before
    project_update(actor=pairings.user("recipient"), instance=project, implementing_unit=pairings.orgs["巴东县"],
                   farmer_linkage="不涉及")
    f.ProjectOutputFactory(project=project)
    step(pairings, "supporter", project, "approve_library")
    assert project.status == S.IN_LIBRARY


def test_the_completeness_rule_can_be_switched_off_for_a_pairing(pairings):
    f.RuleFactory(pairing=pairings.pairings[CITY], key="completeness.before_library", value="false")
    project = project_at(pairings, S.TOWNSHIP_REVIEWED, complete=False)
    step(pairings, "supporter", project, "approve_library")
    assert project.status == S.IN_LIBRARY


def test_registered_guards_are_asked_and_block_with_their_messages(pairings):
    calls = []

    def disclosure_pending(*, project, transition, actor, on):
        calls.append((project.pk, transition.key, actor.username, on))
        return ["项目库公示未满10天"] if transition.disclosure_kind == "library" else []

    register_guard(disclosure_pending)
    register_guard(disclosure_pending)  # once only
    project = project_at(pairings, S.TOWNSHIP_REVIEWED)
    before = saved_state(project)
    with pytest.raises(ValidationError) as info:
        step(pairings, "supporter", project, "approve_library")
    assert info.value.message_dict["transition"] == ["项目库公示未满10天"]
    assert calls == [(project.pk, "approve_library", "supporter", DAY)]
    assert saved_state(project) == before
    other = project_at(pairings, S.PLANNED)
    step(pairings, "recipient", other, "agree")  # the guard lets other steps pass
    assert other.status == S.AGREED


# who acts: sides, sub-pairings, thresholds, policy rows ---------------------------------------


def test_the_city_office_acts_on_its_districts_projects_but_not_the_reverse(pairings):
    sub = project_at(pairings, S.TOWNSHIP_REVIEWED, SUB)
    approval = step(pairings, "supporter", sub, "approve_library")
    assert approval.actor_org == pairings.orgs["北京市"]
    sub2 = project_at(pairings, S.TOWNSHIP_REVIEWED, SUB)
    approval = step(pairings, "district", sub2, "approve_library")
    assert (approval.actor_org, approval.role) == (pairings.orgs["房山区"], "district_office")
    city = project_at(pairings, S.TOWNSHIP_REVIEWED)
    with pytest.raises(PermissionDenied):  # 房山区 does not even see 北京市's own projects
        step(pairings, "district", city, "approve_library")


def test_above_the_high_amount_threshold_a_district_office_is_not_enough(pairings):
    big = project_at(pairings, S.TOWNSHIP_REVIEWED, SUB, budget="6000000.00")  # default threshold 500万
    before = saved_state(big)
    with pytest.raises(PermissionDenied) as info:
        step(pairings, "district", big, "approve_library")
    assert "approval.high_amount_threshold" in str(info.value) and "6,000,000.00" in str(info.value)
    assert saved_state(big) == before
    assert step(pairings, "supporter", big, "approve_library").role == "supporter_office"
    at_threshold = project_at(pairings, S.TOWNSHIP_REVIEWED, SUB, budget="5000000.00")
    assert step(pairings, "district", at_threshold, "approve_library").role == "district_office"


def test_the_high_amount_threshold_is_a_rule_per_pairing(pairings):
    f.RuleFactory(pairing=pairings.pairings[SUB], key="approval.high_amount_threshold", value="8000000")
    big = project_at(pairings, S.TOWNSHIP_REVIEWED, SUB, budget="6000000.00")
    assert step(pairings, "district", big, "approve_library").role == "district_office"


def test_a_programme_policy_row_replaces_the_default(pairings):
    programme = pairings.pairings[CITY].programme
    transition_policy_set(actor=pairings.user("admin"), programme=programme, transition="approve_library",
                          role_codes=["supporter_office"], side="supporter", note="市级审定")
    sub = project_at(pairings, S.TOWNSHIP_REVIEWED, SUB)
    with pytest.raises(PermissionDenied) as info:
        step(pairings, "district", sub, "approve_library")
    assert "district" not in str(info.value).split("needs")[1].split("Your roles")[0].lower()
    step(pairings, "supporter", sub, "approve_library")
    # a role the default policy does not name acts when the programme's policy names it
    transition_policy_set(actor=pairings.user("admin"), programme=programme, transition="plan",
                          role_codes=["member_unit"], side="supporter")
    staff = f.UserFactory(username="beijing-staff")
    f.MembershipFactory(user=staff, organisation=pairings.orgs["北京市"], role=f.RoleFactory(code="member_unit"))
    approval = project_transition(actor=staff, project=sub, transition="plan", on=DAY)
    assert (approval.actor_org.name, approval.role) == ("北京市", "member_unit")
    with pytest.raises(PermissionDenied):
        step(pairings, "supporter", project_at(pairings, S.IN_LIBRARY), "plan")


def test_policy_rows_name_known_roles_and_only_administrators_set_them(pairings):
    programme = pairings.pairings[CITY].programme
    with pytest.raises(ValidationError) as info:
        transition_policy_set(actor=pairings.user("admin"), programme=programme, transition="plan",
                              role_codes=["mayor"], side="supporter")
    assert "role_codes" in info.value.message_dict
    with pytest.raises(ValidationError):
        transition_policy_set(actor=pairings.user("admin"), programme=programme, transition="plan", role_codes=[],
                              side="supporter")
    with pytest.raises(PermissionDenied):
        transition_policy_set(actor=pairings.user("supporter"), programme=programme, transition="plan",
                              role_codes=["supporter_office"], side="supporter")
    row = transition_policy_set(actor=pairings.user("admin"), programme=programme, transition="plan",
                                role_codes=["supporter_office"], side="supporter")
    again = transition_policy_set(actor=pairings.user("admin"), programme=programme, transition="plan",
                                  role_codes=["supporter_office", "district_office"], side="supporter")
    assert again.pk == row.pk and TransitionPolicy.objects.filter(programme=programme).count() == 1
    assert [c.action for c in changes_for(row)] == ["create", "update"]


def test_acceptance_follows_the_rule_acceptance_owner(pairings):
    f.RuleFactory(pairing=pairings.pairings[CITY], key="acceptance.owner", value="supporter_office")
    project = project_at(pairings, S.COMPLETED)
    with pytest.raises(PermissionDenied):
        step(pairings, "recipient", project, "accept")
    assert step(pairings, "supporter", project, "accept").role == "supporter_office"


def test_the_system_actor_and_superusers_may_take_every_step(pairings):
    project = project_at(pairings, S.DRAFT)
    approval = project_transition(actor=SYSTEM, project=project, transition="propose", on=DAY)
    assert (approval.actor, approval.actor_name, approval.role) == (None, "system", "system")
    assert step(pairings, "admin", project, "township_review").role == "superuser"


# changes (变更) -------------------------------------------------------------------------------


def test_a_change_request_with_a_new_budget_is_approved_and_applied(pairings):
    project = project_at(pairings, S.IN_PROGRESS)
    request = step(pairings, "recipient", project, "request_change", changes={"budget": "3500000"},
                   opinion="材料涨价，追加投资")
    assert project.status == S.CHANGE_PENDING and project.return_status == S.IN_PROGRESS
    assert request.changes == [["budget", "3500000.00"]] and request.field_changes == {"budget": "3500000.00"}
    assert project.budget == Decimal("3000000.00")  # not before it is approved
    with pytest.raises(PermissionDenied) as info:  # approval.change_threshold 0: every change needs the supporter
        step(pairings, "recipient", project, "approve_change")
    assert "approval.change_threshold" in str(info.value)
    approval = step(pairings, "supporter", project, "approve_change", doc_no="京援变〔2024〕3号")
    project.refresh_from_db()
    assert (project.status, project.return_status, project.budget) == (S.IN_PROGRESS, "", Decimal("3500000.00"))
    assert approval.field_changes == {"budget": "3500000.00"}
    update = changes_for(project, "update")[-1]
    assert (update.before["budget"], update.after["budget"]) == ("3000000.00", "3500000.00")
    assert (update.before["status"], update.after["status"]) == (S.CHANGE_PENDING, S.IN_PROGRESS)


def test_the_approver_may_amend_the_change(pairings):
    project = project_at(pairings, S.PLANNED)
    step(pairings, "recipient", project, "request_change", changes={"budget": "3500000", "end_year": 2025})
    step(pairings, "supporter", project, "approve_change", changes={"budget": "3300000"})
    assert (project.status, project.budget, project.end_year) == (S.PLANNED, Decimal("3300000.00"), 2025)


def test_a_rejected_change_changes_nothing(pairings):
    project = project_at(pairings, S.IN_PROGRESS)
    step(pairings, "recipient", project, "request_change", changes={"description": "改建为两层"})
    rejected = step(pairings, "supporter", project, "reject_change", opinion="不符合规划")
    assert rejected.decision == "reject"
    assert (project.status, project.description, project.return_status) == (S.IN_PROGRESS, "", "")


def test_a_small_change_below_the_threshold_is_decided_by_the_requesting_side(pairings):
    f.RuleFactory(pairing=pairings.pairings[CITY], key="approval.change_threshold", value="1000000")
    small = project_at(pairings, S.IN_PROGRESS)
    step(pairings, "recipient", small, "request_change", changes={"budget": "3800000"})
    assert step(pairings, "recipient", small, "approve_change").role == "recipient_office"
    assert small.budget == Decimal("3800000.00")
    big = project_at(pairings, S.IN_PROGRESS)
    step(pairings, "recipient", big, "request_change", changes={"budget": "4500000"})
    with pytest.raises(PermissionDenied):
        step(pairings, "recipient", big, "approve_change")
    step(pairings, "supporter", big, "approve_change")
    assert big.budget == Decimal("4500000.00")


def test_a_change_request_is_checked_like_the_project(pairings):
    project = project_at(pairings, S.IN_PROGRESS)
    before = saved_state(project)
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", project, "request_change", changes={"budget": "-1"})
    assert "budget" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", project, "request_change", changes={"pairing": pairings.pairings[FOREIGN]})
    assert "changes" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", project, "request_change")
    assert "opinion" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", project, "complete", changes={"budget": "1"})
    assert "changes" in info.value.message_dict
    assert saved_state(project) == before


def test_suspend_and_resume_return_to_the_same_status(pairings):
    project = project_at(pairings, S.PREPARING)
    step(pairings, "supporter", project, "suspend", opinion="用地手续未完成")
    assert (project.status, project.return_status) == (S.SUSPENDED, S.PREPARING)
    with pytest.raises(ValidationError):
        step(pairings, "recipient", project, "start")
    step(pairings, "supporter", project, "resume")
    assert (project.status, project.return_status) == (S.PREPARING, "")


def test_returning_needs_a_recorded_status(pairings):
    project = project_at(pairings, S.SUSPENDED, return_status="")
    with pytest.raises(ValidationError) as info:
        step(pairings, "supporter", project, "resume")
    assert "transition" in info.value.message_dict


# concurrency, dates, status outside the workflow ----------------------------------------------


def test_a_step_on_a_stale_project_is_refused(pairings):
    project = project_at(pairings, S.PROPOSED)
    stale = Project.objects.get(pk=project.pk)
    step(pairings, "recipient", project, "township_review")
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", stale, "township_review")
    assert "changed meanwhile" in info.value.message_dict["transition"][0]
    assert ApprovalRecord.objects.filter(project=project).count() == 1
    with pytest.raises(ValidationError):
        step(pairings, "supporter", Project.objects.get(pk=project.pk), "approve_library", expected_status=S.PROPOSED)


def test_dates_are_not_in_the_future_nor_before_the_previous_step(pairings):
    project = project_at(pairings, S.DRAFT)
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", project, "propose", on=dt.date.today() + dt.timedelta(days=2))
    assert "decided_on" in info.value.message_dict
    step(pairings, "recipient", project, "propose", on=DAY)
    with pytest.raises(ValidationError) as info:
        step(pairings, "recipient", project, "township_review", on=DAY - dt.timedelta(days=1))
    assert "decided_on" in info.value.message_dict
    step(pairings, "recipient", project, "township_review", on=DAY)  # the same day is fine


def test_the_status_changes_only_through_the_steps(pairings):
    project = project_at(pairings, S.DRAFT)
    with pytest.raises(ValidationError) as info:
        project_update(actor=pairings.user("supporter"), instance=project, status=S.PLANNED)
    assert "status" in info.value.message_dict
    project_update(actor=pairings.user("supporter"), instance=Project.objects.get(pk=project.pk), name="新名称")
    project_update(actor=SYSTEM, instance=Project.objects.get(pk=project.pk), status=S.PLANNED)  # loaders
    data = {"code": "NEW-1", "name": "新项目", "pairing": pairings.pairings[CITY], "key_task": project.key_task,
            "location_division": project.location_division, "start_year": 2024, "end_year": 2024,
            "budget": Decimal("1")}
    with pytest.raises(ValidationError) as info:
        project_create(actor=pairings.user("supporter"), status=S.PLANNED, **data)
    assert "status" in info.value.message_dict
    assert project_create(actor=pairings.user("supporter"), **data).status == S.DRAFT


def test_a_project_with_a_history_is_cancelled_not_deleted(pairings):
    project = project_at(pairings, S.DRAFT)
    step(pairings, "recipient", project, "propose")
    with pytest.raises(ValidationError):
        project_delete(actor=pairings.user("supporter"), instance=project)
    assert Project.objects.filter(pk=project.pk).exists()
    fresh = project_at(pairings, S.DRAFT)
    project_delete(actor=pairings.user("supporter"), instance=fresh)


# approval records -----------------------------------------------------------------------------


def test_approval_records_have_no_update_or_delete_service():
    import duikou.projects.services as services

    assert not [n for n in dir(services) if n.startswith("approval_record_")]


def test_approval_records_are_seen_through_their_project(pairings):
    from duikou.projects.selectors import approval_record_list

    ours = step(pairings, "recipient", project_at(pairings, S.DRAFT), "propose")
    theirs = f.ApprovalRecordFactory(project=project_at(pairings, S.PROPOSED, FOREIGN))
    assert set(approval_record_list(actor=pairings.user("supporter"))) >= {ours}
    assert theirs not in set(approval_record_list(actor=pairings.user("supporter")))
    assert set(approval_record_list(actor=pairings.user("foreign"))) == {theirs}
    assert not approval_record_list(actor=pairings.user("district")).filter(pk=ours.pk).exists()
    assert set(approval_record_list(actor=pairings.user("national"))) >= {ours, theirs}
