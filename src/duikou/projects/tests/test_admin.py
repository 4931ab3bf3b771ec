"""The administration of the lifecycle: approval records are read-only, a project's status cannot be
edited there, and transition policies are edited (and recorded) by administrators."""

import pytest
from django.urls import reverse

from duikou.audit.models import ObjectChange
from duikou.projects.models import ApprovalRecord, TransitionPolicy
from duikou.projects.workflow import project_transition
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db


def test_approval_records_are_read_only_in_the_admin(client, pairings):
    project = f.ProjectFactory(pairing=pairings.pairings["beijing_badong"])
    approval = project_transition(actor=pairings.user("recipient"), project=project, transition="propose")
    client.force_login(pairings.user("admin"))
    page = client.get(reverse("admin:projects_approvalrecord_change", args=[approval.pk]))
    assert page.status_code == 200 and 'name="opinion"' not in page.content.decode()
    assert client.get(reverse("admin:projects_approvalrecord_add")).status_code == 403
    delete = reverse("admin:projects_approvalrecord_delete", args=[approval.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ApprovalRecord.objects.filter(pk=approval.pk).exists()


def test_the_status_is_read_only_on_the_project_admin(client, pairings):
    project = f.ProjectFactory(pairing=pairings.pairings["beijing_badong"])
    client.force_login(pairings.user("admin"))
    body = client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
    assert 'name="status"' not in body and 'name="farmer_linkage"' in body


def test_an_administrator_edits_a_transition_policy_and_it_is_recorded(client, pairings):
    client.force_login(pairings.user("admin"))
    response = client.post(reverse("admin:projects_transitionpolicy_add"), {
        "programme": pairings.pairings["beijing_badong"].programme.pk, "transition": "close", "side": "supporter",
        "role_codes": '["supporter_office"]', "note": "市级关闭",
    })
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    policy = TransitionPolicy.objects.get(transition="close")
    assert policy.role_codes == ["supporter_office"]
    assert ObjectChange.objects.filter(content_type__model="transitionpolicy", object_id=str(policy.pk)).exists()
    response = client.post(reverse("admin:projects_transitionpolicy_add"), {
        "programme": pairings.pairings["beijing_badong"].programme.pk, "transition": "plan", "side": "supporter",
        "role_codes": '["mayor"]', "note": "",
    })
    assert response.status_code == 200 and not TransitionPolicy.objects.filter(transition="plan").exists()
