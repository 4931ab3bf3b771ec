import pytest

from duikou.accounts.models import Membership, User
from duikou.accounts.services import membership_create, user_create
from duikou.core.errors import PermissionDenied
from duikou.core.permissions import SYSTEM
from duikou.testing.asserts import changes_for, refused
from duikou.testing.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_create_is_audited_without_the_password(superuser):
    user = user_create(actor=superuser, username="li", password="s3cret-pass", email="li@example.org")
    assert user.check_password("s3cret-pass")
    [change] = changes_for(user)
    assert change.actor == superuser and change.action == "create"
    assert "password" not in change.after and change.after["username"] == "li"


def test_user_without_password_cannot_sign_in():
    assert not user_create(actor=SYSTEM, username="loader").has_usable_password()


def test_user_create_validates_the_username(superuser):
    with refused("username", User):
        user_create(actor=superuser, username="no spaces allowed")
    UserFactory(username="taken")
    with refused("username", User):
        user_create(actor=superuser, username="taken")


def test_user_create_needs_a_national_scope(pairings):
    with pytest.raises(PermissionDenied):
        user_create(actor=pairings.user("supporter"), username="someone")
    assert not User.objects.filter(username="someone").exists()


def test_membership_create_is_audited(pairings):
    actor, newcomer = pairings.user("supporter"), UserFactory()
    m = membership_create(actor=actor, user=newcomer, organisation=pairings.orgs["房山区"],
                          role=RoleFactory(code="district_office"))
    [change] = changes_for(m)
    assert change.actor == actor and change.after["organisation"] == pairings.orgs["房山区"].pk


def test_only_a_national_scope_grants_a_national_role(pairings):
    role = RoleFactory(code="national_supervisor")
    with pytest.raises(PermissionDenied):
        membership_create(actor=pairings.user("supporter"), user=UserFactory(), organisation=pairings.orgs["北京市"],
                          role=role)
    m = membership_create(actor=pairings.user("admin"), user=UserFactory(), organisation=pairings.orgs["水利部"],
                          role=role)
    assert Membership.objects.filter(pk=m.pk).exists()


def test_a_duplicate_membership_is_refused(pairings):
    with refused("__all__", Membership):
        membership_create(actor=pairings.user("admin"), user=pairings.user("supporter"),
                          organisation=pairings.orgs["北京市"], role=RoleFactory(code="read_only"))
