import pytest
from django.core.exceptions import ValidationError

from duikou.accounts.models import Membership, Role
from duikou.testing.factories import MembershipFactory, RoleFactory


@pytest.mark.parametrize("actions", [["view", "approve"], "view", {"view": True}])
def test_role_actions_are_a_list_of_known_actions(actions):
    with pytest.raises(ValidationError) as info:
        RoleFactory.build(actions=actions).clean()
    assert "actions" in info.value.message_dict


def test_role_with_known_actions_is_valid():
    RoleFactory.build(actions=["view", "add", "change", "delete"]).clean()


@pytest.mark.django_db
def test_default_roles_are_seeded():
    roles = {r.code: r for r in Role.objects.all()}
    assert {"national_supervisor", "supporter_office", "district_office", "recipient_office", "member_unit",
            "read_only"} <= set(roles)
    assert roles["national_supervisor"].all_organisations and roles["national_supervisor"].actions == ["view"]
    assert set(roles["supporter_office"].actions) == {"view", "add", "change", "delete"}
    assert "delete" not in roles["recipient_office"].actions


@pytest.mark.django_db
def test_one_membership_per_user_and_organisation():
    m = MembershipFactory()
    duplicate = Membership(user=m.user, organisation=m.organisation, role=RoleFactory(code="supporter_office"))
    with pytest.raises(ValidationError) as info:
        duplicate.full_clean()
    assert "__all__" in info.value.message_dict


def test_membership_str():
    m = MembershipFactory.build(user__username="wang", organisation__name="巴东县", role__name="只读")
    assert str(m) == "wang @ 巴东县 (只读)"
