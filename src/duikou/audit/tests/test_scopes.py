"""The audit log is scoped by organisation: a change is read by the users of the organisations its
record reached when it was written (``ObjectChangeScope``), through ``ObjectChange.objects.restrict()``.

The world: 北京市 → 巴东县, 房山区 → 巴东县 inside it, and the unrelated 上海市 → 夷陵区, one user per role.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duikou.accounts.models import User
from duikou.audit.models import ObjectChange, ObjectChangeScope
from duikou.audit.services import object_delete, object_update, record, record_bulk, snapshot
from duikou.core.permissions import SYSTEM, can, object_org_ids
from duikou.plans.services import indicator_create
from duikou.projects.models import Project, ProjectOutput
from duikou.projects.services import project_delete, project_update
from duikou.testing import factories as f
from duikou.testing.asserts import changes_for

pytestmark = pytest.mark.django_db

backfill_scopes = importlib.import_module("duikou.audit.migrations.0002_object_change_scope").backfill_scopes


def scope_of(change) -> set[int]:
    return set(change.scopes.values_list("organisation_id", flat=True))


def readers(world, change) -> set[str]:
    """The standard users who see ``change`` through restrict() (and for whom can() agrees)."""
    seen = set()
    for key in ("supporter", "district", "recipient", "member_unit", "read_only", "national", "foreign", "admin"):
        user = world.user(key)
        visible = ObjectChange.objects.restrict(user, "view").filter(pk=change.pk).exists()
        assert visible == can(user, "view", change), key
        if visible:
            seen.add(key)
    return seen


def orgs(world, *names) -> set[int]:
    return {world.orgs[name].pk for name in names}


def test_a_change_to_a_badong_project_is_read_by_both_sides_and_nobody_else(world):
    project = world.row(Project, "beijing_badong")
    project_update(actor=world.user("supporter"), instance=project, name="青龙桥小学教学楼")
    [change] = changes_for(project)
    assert scope_of(change) == orgs(world, "北京市", "巴东县") == object_org_ids(project)
    # 房山区's office sees its own sub-pairing's rows, not the city's (as for the project itself).
    assert readers(world, change) == {"supporter", "recipient", "read_only", "national", "admin"}


def test_a_change_in_the_district_pairing_reaches_the_district_and_its_city(world):
    project = world.row(Project, "fangshan_badong")
    project_update(actor=world.user("district"), instance=project, name="房山援建项目")
    [change] = changes_for(project)
    assert scope_of(change) == orgs(world, "房山区", "巴东县")
    assert readers(world, change) == {"supporter", "district", "recipient", "read_only", "national", "admin"}


def test_the_foreign_user_reads_its_own_changes(world):
    project = world.row(Project, "shanghai_yiling")
    project_update(actor=world.user("foreign"), instance=project, name="夷陵援建项目")
    [change] = changes_for(project)
    assert readers(world, change) == {"foreign", "national", "admin"}


def test_reference_data_changes_reach_no_organisation(world):
    """Key tasks, indicators, divisions …: no scope rows, so only a scope of everything reads them."""
    indicator = indicator_create(actor=SYSTEM, key="援建项目数（测试）", unit="个")
    [change] = changes_for(indicator)
    assert scope_of(change) == set()
    assert readers(world, change) == {"national", "admin"}


def test_anonymous_reads_no_change(world):
    project_update(actor=SYSTEM, instance=world.row(Project, "beijing_badong"), name="x")
    assert not ObjectChange.objects.restrict(world.user("anonymous"), "view").exists()


def test_restrict_gives_each_change_once(world):
    """A change scoped to two organisations of the user (北京市 and 房山区) is one row, not two."""
    project = world.row(Project, "fangshan_badong")
    project_update(actor=SYSTEM, instance=project, name="两处可见")
    [change] = changes_for(project)
    rows = list(ObjectChange.objects.restrict(world.user("supporter"), "view").filter(pk=change.pk))
    assert rows == [change]
    assert not ObjectChange.objects.restrict(world.user("supporter")).query.distinct


def test_delete_keeps_the_scope_of_the_record_before_it_went(world):
    project = world.row(Project, "beijing_badong")
    pk = project.pk
    project.fund_transactions.all().delete()  # the world's allocation protects the project
    project_delete(actor=world.user("supporter"), instance=project)
    project.pk = pk
    change = changes_for(project, ObjectChange.Action.DELETE)[0]
    assert scope_of(change) == orgs(world, "北京市", "巴东县")
    assert "recipient" in readers(world, change) and "foreign" not in readers(world, change)


def test_delete_takes_the_scope_before_cascades_remove_its_paths(world):
    """A user reaches organisations through memberships, which its delete removes with it."""
    user = f.UserFactory(username="leaving")
    f.MembershipFactory(user=user, organisation=world.orgs["巴东县"], role=f.RoleFactory(code="read_only"))
    pk = user.pk
    object_delete(user, actor=SYSTEM)
    user.pk = pk
    [change] = changes_for(user, ObjectChange.Action.DELETE)
    assert scope_of(change) == orgs(world, "巴东县")


def test_an_update_that_moves_a_record_reaches_both_sides(world):
    """Those it moved away from still see that it left."""
    document = f.DocumentFactory(pairing=world.pairings["shanghai_yiling"])
    object_update(document, actor=SYSTEM, data={"pairing": world.pairings["beijing_badong"]})
    [change] = changes_for(document)
    assert scope_of(change) == orgs(world, "上海市", "夷陵区", "北京市", "巴东县")


def test_record_bulk_writes_the_scopes_in_bulk(world):
    pairing = world.pairings["beijing_badong"]
    warm = f.ProjectFactory(pairing=pairing)
    record_bulk([warm], action=ObjectChange.Action.CREATE, actor=SYSTEM)  # content type cached

    def queries(n):
        projects = list(Project.objects.filter(pk__in=[f.ProjectFactory(pairing=pairing).pk for _ in range(n)])
                        .select_related("pairing"))
        with CaptureQueriesContext(connection) as captured:
            record_bulk(projects, action=ObjectChange.Action.CREATE, actor=SYSTEM, message="import")
        return projects, len(captured)

    few_projects, few = queries(2)
    many_projects, many = queries(7)
    assert few == many == 5, ("lock the chain's head, one insert of the changes, one of their scopes, move the head, "
                              "one upsert of the register totals")
    for project in few_projects + many_projects:
        [change] = changes_for(project)
        assert change.pk is not None and change.message == "import"
        assert scope_of(change) == orgs(world, "北京市", "巴东县")


def test_recording_costs_one_query_more_than_before_scopes(world):
    """The scope rows are one insert beside the change's own (none for reference data); the hash
    chain adds two (lock the head, move it)."""
    project = Project.objects.select_related("pairing").get(pk=world.row(Project, "beijing_badong").pk)
    indicator = f.IndicatorFactory()
    ContentType.objects.get_for_model(Project), ContentType.objects.get_for_model(type(indicator))
    with CaptureQueriesContext(connection) as captured:
        record(project, action=ObjectChange.Action.UPDATE, before=snapshot(project))
    assert len(captured) == 2 + 2  # no change of the register totals: nothing to write there
    with CaptureQueriesContext(connection) as captured:
        record(indicator, action=ObjectChange.Action.UPDATE)
    assert len(captured) == 1 + 2


# the admin ----------------------------------------------------------------------------------


def _staff(world, key):
    user = world.user(key)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    return world.user(key)


def test_admin_log_shows_staff_only_their_organisations_changes(client, world):
    ours = world.row(Project, "beijing_badong")
    theirs = world.row(Project, "shanghai_yiling")
    project_update(actor=SYSTEM, instance=ours, name="北京援建项目")
    project_update(actor=SYSTEM, instance=theirs, name="上海援建项目")
    [our_change], [their_change] = changes_for(ours), changes_for(theirs)
    url = reverse("admin:audit_objectchange_changelist")

    client.force_login(_staff(world, "foreign"))
    page = client.get(url).content.decode()
    assert "上海援建项目" in page and "北京援建项目" not in page
    detail = client.get(reverse("admin:audit_objectchange_change", args=[our_change.pk]))
    assert detail.status_code in (302, 403, 404)
    assert "北京援建项目" not in detail.content.decode()
    assert client.get(reverse("admin:audit_objectchange_change", args=[their_change.pk])).status_code == 200

    client.force_login(_staff(world, "recipient"))
    page = client.get(url).content.decode()
    assert "北京援建项目" in page and "上海援建项目" not in page


def test_admin_delete_records_cascaded_rows_with_their_scope(client, world):
    root = world.user("admin")
    project = world.row(Project, "shanghai_yiling")
    project.fund_transactions.all().delete()
    output = f.ProjectOutputFactory(project=project)
    client.force_login(root)
    response = client.post(reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ProjectOutput.objects.filter(pk=output.pk).exists()
    cascade = changes_for(output, ObjectChange.Action.DELETE)[0]
    assert cascade.message == "admin: cascade"
    assert scope_of(cascade) == orgs(world, "上海市", "夷陵区")


# the backfill migration ---------------------------------------------------------------------


def test_backfill_scopes_existing_and_deleted_records_and_skips_the_rest(world):
    ours = world.row(Project, "beijing_badong")
    sub = world.row(Project, "fangshan_badong")
    output = f.ProjectOutputFactory(project=ours)
    document = f.DocumentFactory(pairing=world.pairings["shanghai_yiling"])
    project_update(actor=SYSTEM, instance=ours, name="补录前")
    project_update(actor=SYSTEM, instance=sub, name="补录前")
    record(output, action=ObjectChange.Action.CREATE)
    doc_pk = document.pk
    object_delete(document, actor=SYSTEM)
    document.pk = doc_pk
    indicator = indicator_create(actor=SYSTEM, key="补录指标", unit="个")
    membership = world.user("recipient").memberships.get()
    record(membership, action=ObjectChange.Action.UPDATE)
    # a change of a model that no longer exists (its content type is stale)
    stale = ContentType.objects.create(app_label="gone", model="vanished")
    ghost = ObjectChange.objects.create(actor_name="system", batch_id=changes_for(ours)[0].batch_id,
                                        action="create", content_type=stale, object_id="1", object_repr="ghost")
    changes = {
        "ours": changes_for(ours)[0], "sub": changes_for(sub)[0], "output": changes_for(output)[0],
        "document": changes_for(document, ObjectChange.Action.DELETE)[0], "indicator": changes_for(indicator)[0],
        "membership": changes_for(membership)[0], "ghost": ghost,
    }
    expected = {key: scope_of(change) for key, change in changes.items()}
    assert expected["document"] == orgs(world, "上海市", "夷陵区")
    assert expected["membership"] == orgs(world, "巴东县")
    ObjectChangeScope.objects.all().delete()

    backfill_scopes(apps, None)

    assert {key: scope_of(change) for key, change in changes.items()} == expected
    count = ObjectChangeScope.objects.count()
    backfill_scopes(apps, None)  # again: changes with scopes are left alone
    assert ObjectChangeScope.objects.count() == count


def test_backfill_works_in_batches(world, monkeypatch):
    module = importlib.import_module("duikou.audit.migrations.0002_object_change_scope")
    projects = [world.row(Project, key) for key in ("beijing_badong", "fangshan_badong", "shanghai_yiling")]
    for project in projects:
        project_update(actor=SYSTEM, instance=project, name=f"{project.name}（分批）")
    ObjectChangeScope.objects.all().delete()
    monkeypatch.setattr(module, "BATCH", 1)
    module.backfill_scopes(apps, None)
    for project in projects:
        assert scope_of(changes_for(project)[0]) == object_org_ids(project)

