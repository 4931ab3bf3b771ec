"""Access by membership: the admin site, ``can()`` on users, and refusals users can read."""

import pytest
from django.utils import translation

from duikou.core.errors import PermissionDenied
from duikou.core.permissions import can

pytestmark = pytest.mark.django_db


def test_can_follows_memberships_to_the_users_organisations(pairings):
    beijing, shanghai = pairings.user("supporter"), pairings.user("foreign")
    district_user = pairings.user("district")
    # a 北京市 office may see and change the users who work below it (房山区), not 上海市's
    assert can(beijing, "view", district_user)
    assert can(beijing, "change", district_user)
    assert not can(shanghai, "change", district_user)
    assert not can(district_user, "change", beijing)


def test_admin_site_admits_members_without_staff_flag(pairings, client):
    user = pairings.user("recipient")
    user.is_staff = False
    user.set_password("pw-123456")
    user.save()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/projects/project/").status_code == 200


def test_admin_site_refuses_users_without_membership(pairings, client, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="pw-123456")
    client.force_login(loner)
    assert client.get("/admin/").status_code == 302  # to the login page


def test_permission_denied_names_the_action_in_the_users_language(pairings):
    from duikou.projects.models import Project

    with translation.override("zh-hans"):
        message = str(PermissionDenied(action="change", obj=Project()))
    assert "修改" in message and "change" not in message
    with translation.override("en"):
        assert str(PermissionDenied(action="change", obj=Project())) == "You may not change this project."
