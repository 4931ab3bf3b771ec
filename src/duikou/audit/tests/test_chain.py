"""The audit log's hash chain: every write path links its changes, ``audit_chain_verify`` finds the
first broken link of a tampered log, and the migration chains the changes written before.

Tampering is done as an intruder would: raw SQL on the tables, past the model and the services.
"""

import datetime
import importlib
import json
import zoneinfo

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duikou.audit import services
from duikou.audit.chain import GENESIS, canonical, change_hash, content_hash
from duikou.audit.models import AuditChainHead, ObjectChange, ObjectChangeScope
from duikou.audit.selectors import audit_chain_verify
from duikou.audit.services import record, record_bulk
from duikou.core.errors import PermissionDenied
from duikou.core.permissions import SYSTEM
from duikou.plans.models import Indicator
from duikou.plans.services import indicator_create
from duikou.projects.models import Project, ProjectOutput
from duikou.projects.services import project_update
from duikou.testing import factories as f
from duikou.testing.asserts import changes_for

pytestmark = pytest.mark.django_db

backfill_chain = importlib.import_module("duikou.audit.migrations.0003_hash_chain").backfill_chain


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def json_param() -> str:
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def chain() -> list[ObjectChange]:
    return list(ObjectChange.objects.order_by("pk"))


def assert_linear(changes: list[ObjectChange]) -> None:
    """Each change names the one before it (checked here without the verifier's code)."""
    for before, after in zip(changes, changes[1:], strict=False):
        assert after.prev_hash == before.hash, f"#{after.pk} does not follow #{before.pk}"
        assert len(after.hash) == 64 and after.hash != after.prev_hash


def three_indicators(tag: str) -> list[ObjectChange]:
    """Three consecutive changes that reach no organisation (no scope rows to move along)."""
    return [changes_for(indicator_create(actor=SYSTEM, key=f"{tag}{i}", unit="个"))[0] for i in range(3)]


def verify(**kwargs):
    return audit_chain_verify(actor=SYSTEM, **kwargs)


# the hash ------------------------------------------------------------------------------------------

FIELDS = dict(
    time=datetime.datetime(2024, 10, 23, 2, 0, tzinfo=datetime.UTC), actor_id=7, actor_name="beijing",
    batch_id="6f1c2a48-0d53-4a8f-9a55-0b6c1e0f2a11", action="update", content_type="projects.project",
    object_id="12", object_repr="青龙桥小学", message="", before={"name": "旧", "amount": "1.00"},
    after={"name": "新", "amount": "2.00"}, org_ids=[3, 1], prev_hash=GENESIS,
)


def test_canonical_form_is_sorted_compact_utf8_json():
    text = canonical(**FIELDS).decode("utf-8")
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert ", " not in text and ": " not in text
    assert "青龙桥小学" in text  # not \\u escapes
    assert data["time"] == "2024-10-23T02:00:00.000000+00:00"
    assert data["type"] == "projects.project" and data["scopes"] == [1, 3] and data["prev"] == GENESIS
    assert data["v"] == 1


def test_the_hash_does_not_depend_on_time_zone_key_order_or_number_form():
    reference = content_hash(**FIELDS)
    shanghai = FIELDS["time"].astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert content_hash(**{**FIELDS, "time": shanghai}) == reference
    assert content_hash(**{**FIELDS, "after": {"amount": "2.00", "name": "新"}, "org_ids": (1, 3)}) == reference
    # jsonb may give back a whole float as an integer
    assert content_hash(**{**FIELDS, "after": {**FIELDS["after"], "n": 1e20}}) == content_hash(
        **{**FIELDS, "after": {**FIELDS["after"], "n": 10**20}})


@pytest.mark.parametrize(("field", "value"), [
    ("time", FIELDS["time"] + datetime.timedelta(microseconds=1)), ("actor_id", 8), ("actor_id", None),
    ("actor_name", "badong"), ("batch_id", "6f1c2a48-0d53-4a8f-9a55-0b6c1e0f2a12"), ("action", "delete"),
    ("content_type", "projects.projectoutput"), ("object_id", "13"), ("object_repr", "青龙桥中学"),
    ("message", "admin"), ("before", None), ("after", {"name": "新", "amount": "2.01"}), ("org_ids", [1]),
    ("prev_hash", "1" * 64),
])
def test_every_field_is_in_the_hash(field, value):
    assert content_hash(**{**FIELDS, field: value}) != content_hash(**FIELDS)


def test_json_values_hash_alike_after_the_database_round_trip(world):
    """What the services hash before the insert is what the verifier reads back (jsonb included)."""
    indicator = f.IndicatorFactory()
    change = services._change(indicator, ObjectChange.Action.UPDATE, {"n": 1e20, "x": 0.1, "tiny": 1.5e-10},
                              {"n": 2.0, "list": [1, 2.5, None, True, "中文"], "nested": {"b": 1, "a": "\u00e9"}},
                              SYSTEM, "数字", None)
    services._save(change, {5, 3})
    fresh = ObjectChange.objects.get(pk=change.pk)
    assert fresh.hash == change.hash == change_hash(fresh, content_type="plans.indicator", org_ids=[3, 5],
                                                    prev_hash=fresh.prev_hash)
    assert verify().ok


# every write path links its changes ---------------------------------------------------------------


def test_a_clean_chain_verifies(world, client):
    """Services, record(), record_bulk() and the admin all append to one linear chain."""
    start = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    project = world.row(Project, "beijing_badong")
    project_update(actor=world.user("supporter"), instance=project, name="青龙桥小学（链）")
    indicator_create(actor=SYSTEM, key="链测试指标", unit="个")
    record_bulk([f.IndicatorFactory() for _ in range(3)], action=ObjectChange.Action.CREATE, actor=SYSTEM)
    output = f.ProjectOutputFactory(project=project)
    client.force_login(world.user("admin"))
    response = client.post(reverse("admin:projects_projectoutput_delete", args=[output.pk]), {"post": "yes"})
    assert response.status_code == 302 and not ProjectOutput.objects.filter(pk=output.pk).exists()

    changes = chain()
    assert [c.message for c in changes if c.pk > start][-1] == "admin"
    assert_linear(changes)
    assert changes[0].prev_hash == GENESIS
    new = [c for c in changes if c.pk > start]
    assert len(new) == 6 and all(a.time <= b.time for a, b in zip(new, new[1:], strict=False))
    report = verify()
    assert report.ok and report.problem is None
    assert (report.records, report.first_id, report.last_id) == (len(changes), changes[0].pk, changes[-1].pk)
    head = AuditChainHead.objects.get()
    assert report.head_hash == head.hash == changes[-1].hash and head.change_id == changes[-1].pk


def test_the_scope_rows_are_in_the_hash(world):
    project = world.row(Project, "beijing_badong")
    project_update(actor=SYSTEM, instance=project, name="有范围的变更")
    [change] = changes_for(project)
    scopes = sorted(change.scopes.values_list("organisation_id", flat=True))
    assert len(scopes) == 2
    label = "projects.project"
    assert change.hash == change_hash(change, content_type=label, org_ids=scopes, prev_hash=change.prev_hash)
    assert change.hash != change_hash(change, content_type=label, org_ids=scopes[:1], prev_hash=change.prev_hash)


def test_record_bulk_chains_in_bulk(world):
    warm = [f.IndicatorFactory()]
    record_bulk(warm, action=ObjectChange.Action.CREATE, actor=SYSTEM)  # content type cached

    def write(n):
        indicators = [f.IndicatorFactory() for _ in range(n)]
        with CaptureQueriesContext(connection) as captured:
            record_bulk(indicators, action=ObjectChange.Action.CREATE, actor=SYSTEM, message="import")
        return [changes_for(i)[0] for i in indicators], len(captured)

    few, few_queries = write(2)
    many, many_queries = write(9)
    # lock the head, insert the changes, move the head (reference data: no scope rows)
    assert few_queries == many_queries == 3
    changes = few + many
    assert [c.pk for c in changes] == sorted(c.pk for c in changes)
    assert_linear(changes)
    assert len({c.time for c in many}) == 1, "one bulk, one time"
    assert verify().ok


def test_record_bulk_of_nothing_writes_nothing(world):
    head = AuditChainHead.objects.get()
    with CaptureQueriesContext(connection) as captured:
        record_bulk([], action=ObjectChange.Action.CREATE, actor=SYSTEM)
    assert len(captured) == 0 and AuditChainHead.objects.get().hash == head.hash


def test_a_rolled_back_write_leaves_the_head_where_it_was(world):
    head = AuditChainHead.objects.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        indicator_create(actor=SYSTEM, key="回滚指标", unit="个")
        raise RuntimeError
    assert (AuditChainHead.objects.get().hash, AuditChainHead.objects.get().change_id) == (head.hash, head.change_id)
    try:
        with transaction.atomic():
            indicator_create(actor=SYSTEM, key="保存点指标", unit="个")
            with transaction.atomic():
                indicator_create(actor=SYSTEM, key="保存点内回滚", unit="个")
                raise RuntimeError
    except RuntimeError:
        pass
    indicator_create(actor=SYSTEM, key="回滚后指标", unit="个")
    assert_linear(chain())
    assert verify().ok


def test_a_missing_head_is_rebuilt_from_the_last_change(world):
    last = ObjectChange.objects.order_by("-pk").first()
    AuditChainHead.objects.all().delete()
    indicator = indicator_create(actor=SYSTEM, key="无头指标", unit="个")
    [change] = changes_for(indicator)
    assert change.prev_hash == last.hash
    assert AuditChainHead.objects.get().hash == change.hash
    assert verify().ok


def test_a_missing_head_in_an_empty_log_starts_at_genesis(world):
    ObjectChangeScope.objects.all().delete()
    ObjectChange.objects.all().delete()
    AuditChainHead.objects.all().delete()
    assert verify().ok and verify().records == 0 and verify().head_hash == GENESIS
    record(f.IndicatorFactory(), action=ObjectChange.Action.CREATE)
    [change] = chain()
    assert change.prev_hash == GENESIS and verify().ok and verify().records == 1


# tampering ---------------------------------------------------------------------------------------


def test_an_altered_record_is_reported_at_its_id(world):
    first, middle, last = three_indicators("改动")
    raw(f"UPDATE audit_objectchange SET after = {json_param()} WHERE id = %s",
        [json.dumps({**middle.after, "unit": "吨"}, ensure_ascii=False), middle.pk])
    report = verify()
    assert not report.ok
    assert (report.problem, report.broken_at) == ("altered", middle.pk)
    assert report.stored_hash == middle.hash and report.computed_hash != middle.hash
    assert report.last_id == first.pk, "the records before it verified"
    assert report.records == ObjectChange.objects.filter(pk__lte=first.pk).count()


@pytest.mark.parametrize("column", ["object_repr", "actor_name", "message", "time"])
def test_any_altered_column_is_reported(world, column):
    _, middle, _ = three_indicators("列")
    if column == "time":
        earlier = connection.ops.adapt_datetimefield_value(middle.time - datetime.timedelta(days=1))
        raw("UPDATE audit_objectchange SET time = %s WHERE id = %s", [earlier, middle.pk])
    else:
        raw(f"UPDATE audit_objectchange SET {column} = %s WHERE id = %s", ["x", middle.pk])
    assert (verify().problem, verify().broken_at) == ("altered", middle.pk)


def test_an_altered_or_removed_scope_row_is_reported(world):
    project = world.row(Project, "beijing_badong")
    project_update(actor=SYSTEM, instance=project, name="范围被改")
    [change] = changes_for(project)
    org_id = change.scopes.order_by("organisation_id").values_list("organisation_id", flat=True).first()
    raw("UPDATE audit_objectchangescope SET organisation_id = %s WHERE change_id = %s AND organisation_id = %s",
        [world.orgs["上海市"].pk, change.pk, org_id])
    assert (verify().problem, verify().broken_at) == ("altered", change.pk)
    raw("DELETE FROM audit_objectchangescope WHERE change_id = %s AND organisation_id = %s",
        [change.pk, world.orgs["上海市"].pk])
    assert (verify().problem, verify().broken_at) == ("altered", change.pk)


def test_a_deleted_record_is_reported_at_the_next_id(world):
    first, middle, last = three_indicators("删除")
    raw("DELETE FROM audit_objectchange WHERE id = %s", [middle.pk])
    report = verify()
    assert (report.ok, report.problem, report.broken_at) == (False, "deleted", last.pk)
    assert report.expected_prev_hash == first.hash and report.stored_prev_hash == middle.hash
    assert report.linked_to is None


def test_reordered_records_are_reported(world):
    first, middle, _ = three_indicators("换序")
    raw("UPDATE audit_objectchange SET id = %s WHERE id = %s", [-1, first.pk])
    raw("UPDATE audit_objectchange SET id = %s WHERE id = %s", [first.pk, middle.pk])
    raw("UPDATE audit_objectchange SET id = %s WHERE id = %s", [middle.pk, -1])
    report = verify()
    assert (report.problem, report.broken_at, report.linked_to) == ("reordered", first.pk, middle.pk)


def test_a_record_inserted_into_the_chain_is_reported(world):
    """A forged record with a valid hash of its own, slipped in after ``first``: the genuine record
    after it still follows ``first``, not the forgery."""
    first, middle, last = three_indicators("插入")
    raw("UPDATE audit_objectchange SET id = %s WHERE id = %s", [last.pk + 2, last.pk])
    raw("UPDATE audit_objectchange SET id = %s WHERE id = %s", [last.pk + 1, middle.pk])
    forged = ObjectChange(pk=middle.pk, time=middle.time, actor_name="intruder", batch_id=middle.batch_id,
                          action="create", content_type=middle.content_type, object_id="999999",
                          object_repr="伪造", before=None, after={"key": "伪造"}, prev_hash=first.hash)
    forged.hash = change_hash(forged, content_type="plans.indicator", org_ids=[], prev_hash=first.hash)
    forged.save(force_insert=True)
    report = verify()
    assert (report.problem, report.broken_at, report.linked_to) == ("misplaced", last.pk + 1, first.pk)


def test_records_cut_from_the_end_are_reported(world):
    _, middle, last = three_indicators("截断")
    raw("DELETE FROM audit_objectchange WHERE id = %s", [last.pk])
    report = verify()
    assert (report.ok, report.problem, report.broken_at) == (False, "truncated", last.pk)
    assert report.last_id == middle.pk and report.stored_prev_hash == middle.hash


def test_a_recomputed_chain_does_not_reach_the_head(world):
    """Altering a record and recomputing every hash after it: each link holds, the head does not."""
    _, middle, last = three_indicators("重算")
    middle.after = {**middle.after, "unit": "吨"}
    middle.hash = change_hash(middle, content_type="plans.indicator", org_ids=[], prev_hash=middle.prev_hash)
    last.prev_hash = middle.hash
    last.hash = change_hash(last, content_type="plans.indicator", org_ids=[], prev_hash=last.prev_hash)
    for change in (middle, last):
        raw(f"UPDATE audit_objectchange SET after = {json_param()}, prev_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(change.after, ensure_ascii=False), change.prev_hash, change.hash, change.pk])
    report = verify()
    assert (report.problem, report.broken_at) == ("rewritten", last.pk)


def test_a_record_written_outside_the_services_is_unchained(world):
    first = three_indicators("链外")[0]
    ghost = ObjectChange.objects.create(actor_name="system", batch_id=first.batch_id, action="create",
                                        content_type=first.content_type, object_id="1", object_repr="ghost")
    assert (verify().problem, verify().broken_at) == ("unchained", ghost.pk)


def test_from_id_starts_at_that_record(world):
    first, middle, last = three_indicators("起点")
    raw("UPDATE audit_objectchange SET object_repr = %s WHERE id = %s", ["x", first.pk])
    assert verify().broken_at == first.pk
    assert verify(from_id=first.pk).broken_at == first.pk
    report = verify(from_id=middle.pk)
    assert report.ok and (report.records, report.first_id, report.last_id) == (2, middle.pk, last.pk)


def test_small_chunks_walk_the_same_chain(world):
    three_indicators("分块")
    whole = verify()
    chunked = verify(chunk=7)
    assert whole.ok and chunked == whole


def test_verifying_needs_a_scope_of_everything(world):
    with pytest.raises(PermissionDenied):
        audit_chain_verify(actor=world.user("supporter"))
    assert audit_chain_verify(actor=world.user("national")).ok


# the migration -----------------------------------------------------------------------------------


def test_the_migration_chains_existing_records_as_the_services_would(world):
    project_update(actor=SYSTEM, instance=world.row(Project, "beijing_badong"), name="补链前")
    three_indicators("补链")
    expected = list(ObjectChange.objects.order_by("pk").values_list("pk", "prev_hash", "hash"))
    head = AuditChainHead.objects.get()
    ObjectChange.objects.update(prev_hash="", hash="")
    AuditChainHead.objects.all().delete()
    assert verify().problem == "unchained"

    backfill_chain(apps, None)

    assert list(ObjectChange.objects.order_by("pk").values_list("pk", "prev_hash", "hash")) == expected
    assert (AuditChainHead.objects.get().change_id, AuditChainHead.objects.get().hash) == (head.change_id, head.hash)
    assert verify().ok
    backfill_chain(apps, None)  # again: nothing to do
    assert list(ObjectChange.objects.order_by("pk").values_list("pk", "prev_hash", "hash")) == expected


def test_the_migration_works_in_batches(world, monkeypatch):
    module = importlib.import_module("duikou.audit.migrations.0003_hash_chain")
    three_indicators("分批")
    expected = list(ObjectChange.objects.order_by("pk").values_list("hash", flat=True))
    last_three = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True)[:3]
    ObjectChange.objects.filter(pk__in=list(last_three)).update(prev_hash="", hash="")
    monkeypatch.setattr(module, "BATCH", 1)
    module.backfill_chain(apps, None)
    assert list(ObjectChange.objects.order_by("pk").values_list("hash", flat=True)) == expected


def test_the_migration_keeps_existing_hashes(world):
    """It chains only rows without a hash: a tampered row is not laundered by running it again."""
    _, middle, _ = three_indicators("不洗白")
    raw("UPDATE audit_objectchange SET object_repr = %s WHERE id = %s", ["x", middle.pk])
    backfill_chain(apps, None)
    assert (verify().problem, verify().broken_at) == ("altered", middle.pk)


def test_the_migration_of_an_empty_log_sets_the_head_to_genesis(world):
    ObjectChangeScope.objects.all().delete()
    ObjectChange.objects.all().delete()
    AuditChainHead.objects.all().delete()
    backfill_chain(apps, None)
    head = AuditChainHead.objects.get()
    assert (head.change_id, head.hash) == (None, GENESIS)


def test_content_types_are_labelled_alike_in_the_services_and_the_verifier(world):
    indicator = indicator_create(actor=SYSTEM, key="标签指标", unit="个")
    [change] = changes_for(indicator)
    ct = ContentType.objects.get_for_model(Indicator)
    assert change.hash == change_hash(change, content_type=f"{ct.app_label}.{ct.model}", org_ids=[],
                                      prev_hash=change.prev_hash)
