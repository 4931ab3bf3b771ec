"""Scope contract for every model: who sees and who may change the rows of a pairing.

The world (``duikou.testing``): 北京市 → 巴东县 ("city"), 房山区 → 巴东县 inside it ("sub"; 房山区's
organisation is a child of 北京市's) and the unrelated 上海市 → 夷陵区 ("foreign"), with one row of
every pairing model in each, and one user per role. Every check goes through the model's
``restrict()``, its ``<entity>_list`` / ``<entity>_get`` selectors and its services.
"""

import pytest
from django.http import Http404

from duikou.audit.models import ObjectChange
from duikou.audit.services import snapshot
from duikou.core.errors import PermissionDenied
from duikou.core.permissions import SYSTEM, Scope, can, scope_for
from duikou.testing.entities import ACCOUNT_ENTITIES, PAIRED_ENTITIES, REFERENCE_ENTITIES
from duikou.testing.factories import MembershipFactory, OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

CITY, SUB, FOREIGN = "beijing_badong", "fangshan_badong", "shanghai_yiling"

paired = pytest.mark.parametrize("entity", PAIRED_ENTITIES, ids=str)
reference = pytest.mark.parametrize("entity", REFERENCE_ENTITIES, ids=str)


def visible_ids(entity, user) -> set:
    """The ids the user sees through restrict(); the selector must agree."""
    via_restrict = set(entity.model.objects.restrict(user, "view").values_list("pk", flat=True))
    via_selector = set(entity.list(actor=user).values_list("pk", flat=True))
    assert via_restrict == via_selector
    return via_restrict


def ids(world, entity, *pairings) -> set:
    return {world.row(entity.model, p).pk for p in pairings}


def assert_update_denied(entity, user, row, **fields):
    """The update raises PermissionDenied, the row is unchanged and no change is recorded."""
    before, changes = snapshot(row), ObjectChange.objects.count()
    with pytest.raises(PermissionDenied):
        entity.update(actor=user, instance=row, **(fields or {"source": "changed by an outsider"}))
    assert snapshot(entity.fresh(row)) == before
    assert ObjectChange.objects.count() == changes


def assert_delete_denied(entity, user, row):
    changes = ObjectChange.objects.count()
    with pytest.raises(PermissionDenied):
        entity.delete(actor=user, instance=row)
    assert entity.fresh(row) is not None
    assert ObjectChange.objects.count() == changes


def assert_update_allowed(entity, user, row):
    changes = ObjectChange.objects.count()
    entity.update(actor=user, instance=row, source=f"checked by {user.username}")
    assert entity.fresh(row).source == f"checked by {user.username}"
    assert ObjectChange.objects.count() == changes + 1


def fresh_row(world, entity, pairing):
    return world.row(entity.model, pairing)  # read again from the database


# the registry -------------------------------------------------------------------------------


def test_every_domain_model_has_an_entity_and_a_factory():
    from django.apps import apps

    from duikou.core.models import TotalsModel
    from duikou.testing.entities import ENTITIES

    # the audit log is scoped by its own rows (duikou/audit/tests/test_scopes.py), not through an entity;
    # the register totals are computed rows restricted like their source (duikou.core.totals.register
    # checks it; funds/tests/test_totals.py shows it), never written by a user
    models = {m for m in apps.get_models() if m.__module__.startswith("duikou.") and m._meta.app_label != "audit"
              and not issubclass(m, TotalsModel)}
    assert {e.model for e in ENTITIES} == models
    assert all(e.factory._meta.model is e.model for e in ENTITIES)


@pytest.mark.parametrize("entity", PAIRED_ENTITIES + REFERENCE_ENTITIES + list(ACCOUNT_ENTITIES), ids=str)
def test_factories_make_valid_rows(entity):
    """Rows the factories make pass every rule, or the tests built on them prove nothing."""
    obj = entity.make()
    obj.full_clean(exclude=["password"] if entity.id == "User" else None)
    assert entity.fresh(obj) is not None


# rows of a pairing --------------------------------------------------------------------------


@paired
def test_foreign_supporter_sees_none_of_our_rows(world, entity):
    user = world.user("foreign")
    seen = visible_ids(entity, user)
    assert not seen & ids(world, entity, CITY, SUB)
    assert ids(world, entity, FOREIGN) <= seen  # its own rows: the gate is not simply closed
    for pairing in (CITY, SUB):
        with pytest.raises(Http404):
            entity.get(actor=user, pk=world.row(entity.model, pairing).pk)


@paired
def test_foreign_supporter_cannot_change_or_delete_our_rows(world, entity):
    user = world.user("foreign")
    for pairing in (CITY, SUB):
        assert_update_denied(entity, user, fresh_row(world, entity, pairing))
        assert_delete_denied(entity, user, fresh_row(world, entity, pairing))


@paired
def test_foreign_supporter_cannot_add_rows_to_our_pairing(world, entity):
    data = entity.create_data(world.pairings[SUB])
    count, changes = entity.model.objects.count(), ObjectChange.objects.count()
    with pytest.raises(PermissionDenied):
        entity.create(actor=world.user("foreign"), **data)
    assert (entity.model.objects.count(), ObjectChange.objects.count()) == (count, changes)


@paired
def test_own_supporter_sees_and_changes_city_and_district_rows(world, entity):
    user = world.user("supporter")
    seen = visible_ids(entity, user)
    assert ids(world, entity, CITY, SUB) <= seen
    assert not seen & ids(world, entity, FOREIGN)
    for pairing in (CITY, SUB):
        row = entity.get(actor=user, pk=world.row(entity.model, pairing).pk)
        assert can(user, "delete", row)
        assert_update_allowed(entity, user, row)


@paired
def test_district_office_sees_only_the_sub_pairing(world, entity):
    user = world.user("district")
    seen = visible_ids(entity, user)
    assert ids(world, entity, SUB) <= seen
    assert not seen & ids(world, entity, CITY, FOREIGN)
    with pytest.raises(Http404):
        entity.get(actor=user, pk=world.row(entity.model, CITY).pk)
    assert_update_allowed(entity, user, fresh_row(world, entity, SUB))
    assert_update_denied(entity, user, fresh_row(world, entity, CITY))


@paired
def test_recipient_office_sees_both_pairings_changes_but_does_not_delete(world, entity):
    user = world.user("recipient")
    seen = visible_ids(entity, user)
    assert ids(world, entity, CITY, SUB) <= seen
    assert not seen & ids(world, entity, FOREIGN)
    assert_update_allowed(entity, user, fresh_row(world, entity, CITY))
    assert_delete_denied(entity, user, fresh_row(world, entity, SUB))


@paired
def test_national_supervisor_sees_everything_but_changes_nothing(world, entity):
    user = world.user("national")
    assert ids(world, entity, CITY, SUB, FOREIGN) <= visible_ids(entity, user)
    assert visible_ids(entity, user) == set(entity.model.objects.values_list("pk", flat=True))
    assert_update_denied(entity, user, fresh_row(world, entity, FOREIGN))
    assert_delete_denied(entity, user, fresh_row(world, entity, CITY))


@paired
def test_read_only_sees_but_cannot_write(world, entity):
    user = world.user("read_only")
    assert ids(world, entity, CITY, SUB) <= visible_ids(entity, user)
    assert_update_denied(entity, user, fresh_row(world, entity, CITY))
    assert_delete_denied(entity, user, fresh_row(world, entity, SUB))


@paired
def test_anonymous_sees_nothing(world, entity):
    for user in (world.user("anonymous"), None):
        assert not entity.model.objects.restrict(user, "view").exists()
        assert not entity.list(actor=user).exists()
        with pytest.raises(Http404):
            entity.get(actor=user, pk=world.row(entity.model, CITY).pk)
    with pytest.raises(PermissionDenied):
        entity.update(actor=world.user("anonymous"), instance=fresh_row(world, entity, CITY), source="x")


@paired
def test_superuser_sees_everything(world, entity):
    assert visible_ids(entity, world.user("admin")) == set(entity.model.objects.values_list("pk", flat=True))


def test_member_unit_sees_only_its_own_duties(world):
    """A member unit of 北京市 is not the supporter: it sees the duties assigned to it, nothing else."""
    from duikou.plans.models import MemberUnitDuty, Plan

    user, unit = world.user("member_unit"), world.orgs["北京市教育委员会"]
    duty = MemberUnitDuty.objects.create(pairing=world.pairings[CITY], member_unit=unit, duty="教育帮扶")
    assert set(MemberUnitDuty.objects.restrict(user, "view")) == {duty}
    assert not Plan.objects.restrict(user, "view").exists()


def test_get_with_a_malformed_pk_is_404_not_500(world):
    entity = PAIRED_ENTITIES[0]
    for pk in ("abc", None, "", -1):
        with pytest.raises(Http404):
            entity.get(actor=world.user("admin"), pk=pk)


# reference data -----------------------------------------------------------------------------


# a text field of each reference model to change
EDITABLE = {
    "AdminDivision": "note",
    "Organisation": "short_name",
    "OrganisationName": "source",
    "Programme": "description",
    "KeyTask": "name_en",
    "Indicator": "description",
    "Role": "name",
    "EvaluationScheme": "note",
}


@pytest.fixture
def reference_row(world, entity):
    """A row of the reference model that belongs to no one in the world (for Organisation and
    OrganisationName: outside every member's tree)."""
    return entity.make()


@reference
@pytest.mark.parametrize("who", ["supporter", "district", "recipient", "read_only", "national", "foreign", "admin"])
def test_every_signed_in_user_reads_reference_data(world, entity, reference_row, who):
    user = world.user(who)
    assert entity.model.objects.restrict(user, "view").filter(pk=reference_row.pk).exists()
    assert can(user, "view", reference_row)
    if entity.list is not None:
        assert entity.list(actor=user).filter(pk=reference_row.pk).exists()
        assert entity.get(actor=user, pk=reference_row.pk) == reference_row


@reference
def test_anonymous_reads_no_reference_data(world, entity, reference_row):
    assert not entity.model.objects.restrict(world.user("anonymous"), "view").exists()
    assert not can(world.user("anonymous"), "view", reference_row)
    if entity.get is not None:
        with pytest.raises(Http404):
            entity.get(actor=world.user("anonymous"), pk=reference_row.pk)


@reference
@pytest.mark.parametrize("who", ["supporter", "district", "recipient", "read_only", "national", "foreign"])
def test_reference_data_is_not_writable_by_pairing_roles_or_supervisors(world, entity, reference_row, who):
    user = world.user(who)
    for action in ("add", "change", "delete"):
        assert not can(user, action, reference_row)
    if entity.update is not None:
        assert_update_denied(entity, user, reference_row, **{EDITABLE[entity.id]: "changed"})
        assert_delete_denied(entity, user, reference_row)


@reference
def test_reference_data_is_writable_by_superuser_and_all_organisation_roles_with_the_action(
    world, entity, reference_row
):
    editor = UserFactory()
    national_editor = RoleFactory(code="national_editor", actions=["view", "change"], all_organisations=True)
    MembershipFactory(user=editor, organisation=world.orgs["水利部"], role=national_editor)
    for user in (world.user("admin"), editor):
        assert can(user, "change", reference_row)
    assert not can(editor, "delete", reference_row)  # the role lacks the action
    if entity.update is not None:
        changes = ObjectChange.objects.count()
        entity.update(actor=editor, instance=reference_row, **{EDITABLE[entity.id]: "checked"})
        assert ObjectChange.objects.count() == changes + 1
        assert_delete_denied(entity, editor, reference_row)


def test_supporter_may_change_its_own_organisation_and_those_below_it(world):
    """Organisation rows reach organisations through ``id`` and ``parent_id``: an office edits its
    own organisation and its children (房山区 under 北京市), nobody else's."""
    from duikou.organisations.services import organisation_update

    supporter, district = world.user("supporter"), world.user("district")
    beijing, fangshan, badong = (world.orgs[n] for n in ("北京市", "房山区", "巴东县"))
    assert can(supporter, "change", beijing) and can(supporter, "change", fangshan)
    assert not can(supporter, "change", badong)
    assert can(district, "change", fangshan) and not can(district, "change", beijing)
    assert not can(world.user("foreign"), "change", beijing)
    with pytest.raises(PermissionDenied):
        organisation_update(actor=world.user("foreign"), instance=beijing, short_name="京")


# accounts -----------------------------------------------------------------------------------


def test_memberships_are_seen_down_the_organisation_tree(world):
    from duikou.accounts.models import Membership

    def orgs_seen(who):
        return set(Membership.objects.restrict(world.user(who), "view").values_list("organisation__name", flat=True))

    assert orgs_seen("supporter") == {"北京市", "房山区", "北京市教育委员会"}
    assert orgs_seen("district") == {"房山区"}
    assert orgs_seen("foreign") == {"上海市"}
    assert orgs_seen("anonymous") == set()
    assert orgs_seen("national") >= {"北京市", "房山区", "巴东县", "上海市", "水利部"}


def test_users_are_seen_through_their_memberships_once(world):
    from duikou.accounts.models import User

    def users_seen(who):
        return list(User.objects.restrict(world.user(who), "view").values_list("username", flat=True))

    # read_only and supporter both sit at 北京市; a second membership must not duplicate a user
    MembershipFactory(user=world.user("district"), organisation=world.orgs["北京市"])
    seen = users_seen("supporter")
    assert sorted(seen) == sorted(set(seen))
    assert set(seen) == {"supporter", "district", "read_only", "member_unit"}
    assert "supporter" not in users_seen("foreign")
    assert users_seen("anonymous") == []


def test_account_entities_are_registered():
    assert {e.model.__name__ for e in ACCOUNT_ENTITIES} == {"User", "Membership"}


def test_user_create_needs_a_national_scope(world):
    from duikou.accounts.models import User
    from duikou.accounts.services import user_create

    count = User.objects.count()
    for who in ("supporter", "national", "anonymous"):
        with pytest.raises(PermissionDenied):
            user_create(actor=world.user(who), username=f"new-{who}")
    assert User.objects.count() == count
    assert user_create(actor=world.user("admin"), username="new-admin").pk


def test_supporter_office_adds_members_to_its_own_organisations_only(world):
    from duikou.accounts.services import membership_create

    newcomer = UserFactory()
    role = RoleFactory(code="read_only")
    membership_create(actor=world.user("supporter"), user=newcomer, organisation=world.orgs["房山区"], role=role)
    with pytest.raises(PermissionDenied):
        membership_create(actor=world.user("supporter"), user=newcomer, organisation=world.orgs["巴东县"], role=role)


@pytest.mark.parametrize(
    ("who", "org", "role"),
    [
        ("supporter", "北京市", "national_supervisor"),  # would see every pairing in the country
        ("recipient", "巴东县", "supporter_office"),  # would gain delete
        ("district", "房山区", "national_supervisor"),
    ],
)
def test_nobody_grants_a_role_wider_than_their_own(world, who, org, role):
    from duikou.accounts.models import Membership
    from duikou.accounts.services import membership_create

    count = Membership.objects.count()
    with pytest.raises(PermissionDenied):
        membership_create(actor=world.user(who), user=UserFactory(), organisation=world.orgs[org],
                          role=RoleFactory(code=role))
    assert Membership.objects.count() == count


# the scope provider -------------------------------------------------------------------------


def test_membership_scope_covers_the_organisation_and_all_descendants(world):
    beijing = world.orgs["北京市"]
    grandchild = OrganisationFactory(parent=OrganisationFactory(parent=world.orgs["房山区"]))
    scope = scope_for(world.user("supporter"), "change")
    assert not scope.all
    assert {beijing.pk, world.orgs["房山区"].pk, grandchild.pk} <= scope.org_ids
    assert world.orgs["巴东县"].pk not in scope.org_ids


def test_membership_scope_follows_the_role_actions(world):
    assert scope_for(world.user("recipient"), "delete") == Scope()
    assert scope_for(world.user("read_only"), "change") == Scope()
    assert scope_for(world.user("national"), "view") == Scope(all=True)
    assert scope_for(world.user("national"), "change") == Scope()


def test_memberships_add_up(world):
    user = UserFactory()
    MembershipFactory(user=user, organisation=world.orgs["巴东县"], role=RoleFactory(code="read_only"))
    MembershipFactory(user=user, organisation=world.orgs["上海市"], role=RoleFactory(code="supporter_office"))
    view = scope_for(user, "view").org_ids
    assert {world.orgs["巴东县"].pk, world.orgs["上海市"].pk} <= view
    assert world.orgs["巴东县"].pk not in scope_for(user, "change").org_ids


def test_system_superuser_and_unknown_actions():
    assert scope_for(SYSTEM, "delete") == Scope(all=True)
    assert scope_for(None, "view") == Scope()
    with pytest.raises(ValueError):
        scope_for(SYSTEM, "approve")


# MemberUnitDuty also reaches organisations through its member unit: a 北京市 unit's duty stays in
# 北京市's scope whichever pairing it names (nothing ties the unit to the pairing's supporter yet).
MOVABLE = [e for e in PAIRED_ENTITIES if e.pairing_path == "pairing" and e.id != "MemberUnitDuty"]


@pytest.mark.parametrize("entity", MOVABLE, ids=str)
def test_nobody_moves_a_row_into_a_pairing_outside_their_scope(world, entity):
    """The right is checked on the record as it will be saved, not only as it was."""
    row = fresh_row(world, entity, CITY)
    before, changes = snapshot(row), ObjectChange.objects.count()
    with pytest.raises(PermissionDenied):
        entity.update(actor=world.user("supporter"), instance=row, pairing=world.pairings[FOREIGN])
    assert snapshot(entity.fresh(row)) == before
    assert ObjectChange.objects.count() == changes
