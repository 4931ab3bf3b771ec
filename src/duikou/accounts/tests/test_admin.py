"""The user pages: Django's password handling, audited; users and memberships through restrict();
no one grants more than they hold."""

import pytest
from django.urls import reverse

from duikou.accounts.admin import assignable_roles
from duikou.accounts.models import Membership, Role, User
from duikou.audit.models import ObjectChange
from duikou.testing.factories import MembershipFactory, OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _staff(world, key):
    user = world.user(key)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.is_staff = True
    return user


def _user_changes(user):
    return ObjectChange.objects.filter(content_type__model="user", object_id=str(user.pk))


def test_superuser_adds_a_user_with_a_password_and_it_is_recorded(client, world):
    root = world.user("admin")
    client.force_login(root)
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "zhangsan", "usable_password": "true", "password1": "Badong-2024!", "password2": "Badong-2024!",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="zhangsan")
    assert user.check_password("Badong-2024!")
    change = _user_changes(user).get(action=ObjectChange.Action.CREATE)
    assert change.actor == root
    assert "password" not in change.after, "the password hash never reaches the log"


def test_password_change_is_recorded_without_the_password(client, world):
    root = world.user("admin")
    client.force_login(root)
    target = world.user("read_only")
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = client.post(url, {"password1": "Xinxi-sanxia-1", "password2": "Xinxi-sanxia-1"})
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).check_password("Xinxi-sanxia-1")
    change = _user_changes(target).get(message="admin: password changed")
    assert change.actor == root and "password" not in change.after


def test_membership_inline_is_recorded(client, world):
    root = world.user("admin")
    client.force_login(root)
    target = world.user("national")
    url = reverse("admin:accounts_user_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    membership = Membership.objects.get(user=target)
    data = {
        "username": target.username, "first_name": "", "last_name": "", "email": form["email"].value(),
        "is_active": "on", "is_staff": "on", "last_login_0": "", "last_login_1": "",
        "date_joined_0": target.date_joined.strftime("%Y-%m-%d"), "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk), "memberships-0-user": str(target.pk),
        "memberships-0-organisation": str(membership.organisation_id), "memberships-0-role": str(membership.role_id),
        "memberships-1-user": str(target.pk), "memberships-1-organisation": str(world.orgs["巴东县"].pk),
        "memberships-1-role": str(RoleFactory(code="read_only").pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    added = Membership.objects.get(user=target, organisation=world.orgs["巴东县"])
    change = ObjectChange.objects.get(content_type__model="membership", object_id=str(added.pk))
    assert change.action == ObjectChange.Action.CREATE and change.actor == root
    assert User.objects.get(pk=target.pk).is_staff
    assert _user_changes(target).get(action=ObjectChange.Action.UPDATE).after["is_staff"] is True


def test_scoped_user_sees_only_their_organisations_users_and_memberships(client, world):
    """A user who works for both 北京市 and 上海市: the Shanghai office sees the user, but only the
    Shanghai membership (inline and column)."""
    both = UserFactory(username="both")
    MembershipFactory(user=both, organisation=world.orgs["北京市"])
    MembershipFactory(user=both, organisation=world.orgs["上海市"])
    client.force_login(_staff(world, "foreign"))

    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert reverse("admin:accounts_user_change", args=[both.pk]) in page
    assert reverse("admin:accounts_user_change", args=[world.user("supporter").pk]) not in page
    assert "北京市" not in page

    response = client.get(reverse("admin:accounts_user_change", args=[both.pk]))
    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert [m.organisation.name for m in inline.formset.queryset] == ["上海市"]
    assert "北京市" not in response.content.decode()

    beijing_user = world.user("supporter")
    assert client.get(reverse("admin:accounts_user_change", args=[beijing_user.pk])).status_code in (302, 403, 404)


def test_only_global_users_manage_users(client, world):
    client.force_login(_staff(world, "supporter"))
    colleague = world.user("read_only")  # also 北京市
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    url = reverse("admin:auth_user_password_change", args=[colleague.pk])
    assert client.post(url, {"password1": "x-Y-z-12345", "password2": "x-Y-z-12345"}).status_code == 403
    response = client.post(reverse("admin:accounts_user_change", args=[colleague.pk]), {"is_superuser": "on"})
    assert response.status_code == 403
    assert not User.objects.get(pk=colleague.pk).is_superuser


def test_no_one_grants_a_role_wider_than_their_own(client, world):
    supporter, recipient = world.user("supporter"), world.user("recipient")
    assert set(assignable_roles(world.user("admin"))) == set(Role.objects.all())
    granted = {r.code for r in assignable_roles(supporter)}
    assert "national_supervisor" not in granted and "supporter_office" in granted
    assert {r.code for r in assignable_roles(recipient)} == {"recipient_office", "member_unit", "read_only"}

    client.force_login(_staff(world, "supporter"))
    newcomer = world.user("member_unit")
    response = client.post(reverse("admin:accounts_membership_add"), {
        "user": newcomer.pk, "organisation": world.orgs["北京市"].pk,
        "role": RoleFactory(code="national_supervisor").pk,
    })
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=newcomer, organisation=world.orgs["北京市"]).exists()


def test_a_grant_is_checked_at_the_chosen_organisation(client, world):
    """The district office (房山区) holds every action at 房山区 and below only: it may not make
    anyone a supporter office of 北京市, though the role is one it holds."""
    client.force_login(_staff(world, "district"))
    colleague = MembershipFactory(organisation=world.orgs["房山区"]).user  # read-only at 房山区
    school = OrganisationFactory(name="房山区教育委员会", parent=world.orgs["房山区"])
    role = RoleFactory(code="supporter_office")
    url = reverse("admin:accounts_membership_add")

    response = client.post(url, {"user": colleague.pk, "organisation": world.orgs["北京市"].pk, "role": role.pk})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["role"]

    response = client.post(url, {"user": colleague.pk, "organisation": school.pk, "role": role.pk})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    added = Membership.objects.get(user=colleague, organisation=school)
    change = ObjectChange.objects.get(content_type__model="membership", object_id=str(added.pk))
    assert change.actor.username == "district"


def test_a_global_non_superuser_cannot_touch_superusers(client, world):
    """A role acting on every organisation manages users, but never a superuser's account, and
    cannot make anyone a superuser."""
    manager = UserFactory(username="manager", is_staff=True)
    everything = RoleFactory(code="global_admin", actions=["view", "add", "change", "delete"], all_organisations=True)
    MembershipFactory(user=manager, organisation=world.orgs["水利部"], role=everything)
    client.force_login(manager)
    root = world.user("admin")
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.post(url, {"password1": "Take-over-123", "password2": "Take-over-123"}).status_code == 403
    response = client.get(reverse("admin:accounts_user_change", args=[world.user("read_only").pk]))
    assert response.status_code == 200
    assert "is_superuser" not in response.context["adminform"].form.fields
