"""Audit contract for every service: one ObjectChange per create, update and delete."""

import uuid
from decimal import Decimal

import pytest
from django.db import models

from duikou.audit.context import actor_context
from duikou.audit.models import ObjectChange
from duikou.audit.services import record_bulk
from duikou.core.permissions import object_org_ids
from duikou.testing.asserts import changes_for
from duikou.testing.entities import ENTITIES, PAIRED_ENTITIES, entity_for
from duikou.testing.factories import IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db

AUDITED = [e for e in ENTITIES if e.create is not None and e.update is not None]
audited = pytest.mark.parametrize("entity", AUDITED, ids=str)

# a text field of each model that every row may change
EDITABLE = {"AdminDivision": "note", "Organisation": "short_name", "KeyTask": "name_en", "Indicator": "description",
            "OrganisationName": "source", "Programme": "description"}


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", is_superuser=True)


def decimal_fields(model):
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)]


def test_every_model_with_services_is_covered():
    names = {e.id for e in AUDITED}
    reference = {"AdminDivision", "EvaluationScheme", "Indicator", "KeyTask", "Organisation", "OrganisationName",
                 "Programme"}  # the models with services that belong to no pairing
    assert names == {e.id for e in PAIRED_ENTITIES} | reference
    assert {"FundAllocation", "CatalogueListing", "AdminDivision", "Organisation"} <= names


@audited
def test_create_writes_one_change(entity, editor):
    data = entity.create_data()
    obj = entity.create(actor=editor, **data)
    [change] = changes_for(obj)
    assert change.action == ObjectChange.Action.CREATE
    assert (change.actor, change.actor_name) == (editor, "editor")
    assert isinstance(change.batch_id, uuid.UUID)
    assert change.before is None and change.object_repr == str(obj)[:300]
    assert "created" not in change.after and "last_updated" not in change.after
    for name in decimal_fields(entity.model):
        if getattr(obj, name) is not None:
            assert isinstance(change.after[name], str)
            assert Decimal(change.after[name]) == getattr(entity.fresh(obj), name)


def _scope(change) -> set[int]:
    return set(change.scopes.values_list("organisation_id", flat=True))


@audited
def test_create_and_delete_are_scoped_to_the_records_organisations(entity, editor):
    """Each change carries the organisations its record reaches (none for reference data), the
    delete's taken before the row went."""
    obj = entity.create(actor=editor, **entity.create_data())
    [created] = changes_for(obj)
    assert _scope(created) == object_org_ids(obj)
    if entity.pairing_path is not None:
        assert len(_scope(created)) >= 2, "a pairing's record reaches its supporter and recipient at least"
    if entity.delete is None:
        return
    fresh = entity.fresh(obj)
    reached, pk = object_org_ids(fresh), fresh.pk
    entity.delete(actor=editor, instance=fresh)
    fresh.pk = pk
    [deleted] = changes_for(fresh, ObjectChange.Action.DELETE)
    assert _scope(deleted) == reached


@audited
def test_update_writes_one_change_with_before_and_after(entity, editor):
    obj = entity.make()
    field = EDITABLE.get(entity.id, "source")
    entity.update(actor=editor, instance=obj, **{field: "审计测试"})
    [change] = changes_for(obj)
    assert change.action == ObjectChange.Action.UPDATE and change.actor == editor
    assert change.before[field] != "审计测试" and change.after[field] == "审计测试"
    assert {k for k in change.after if change.after[k] != change.before[k]} == {field}


@audited
def test_update_that_changes_nothing_writes_nothing(entity, editor):
    obj = entity.make()
    field = EDITABLE.get(entity.id, "source")
    entity.update(actor=editor, instance=obj, **{field: getattr(obj, field)})
    entity.update(actor=editor, instance=entity.fresh(obj))
    assert changes_for(obj) == []


@audited
def test_delete_writes_one_change_with_the_record_before(entity, editor):
    if entity.delete is None:
        pytest.skip("no delete service")
    obj = entity.make()
    pk = obj.pk
    entity.delete(actor=editor, instance=obj)
    assert not entity.model._base_manager.filter(pk=pk).exists()
    obj.pk = pk
    [change] = changes_for(obj)
    assert change.action == ObjectChange.Action.DELETE and change.actor == editor
    assert change.after is None and change.before and change.object_id == str(pk)


@pytest.mark.parametrize("entity", [e for e in AUDITED if decimal_fields(e.model)], ids=str)
def test_same_amount_written_differently_is_no_change(entity, editor):
    """An importer re-reading 51130000 for a stored 51130000.00 changes nothing."""
    obj = entity.make()
    name = next((n for n in decimal_fields(entity.model) if getattr(obj, n) is not None), None)
    if name is None:
        name = decimal_fields(entity.model)[0]
        obj = entity.make(**{name: Decimal("51130000.00")})
    stored = getattr(entity.fresh(obj), name)
    entity.update(actor=editor, instance=entity.fresh(obj), **{name: f"{stored.normalize():f}"})
    assert changes_for(obj) == []
    entity.update(actor=editor, instance=entity.fresh(obj), **{name: stored + 1})
    [change] = changes_for(obj)
    assert change.before[name] == str(stored) and change.after[name] == str(stored + 1)


def test_writes_in_one_actor_context_share_its_batch(editor):
    entity = entity_for(IndicatorFactory._meta.model)
    with actor_context(editor) as batch:
        a = entity.create(actor=editor, key="援建项目", unit="个")
        b = entity.create(actor=editor, key="培训人次", unit="人次")
        entity.update(actor=editor, instance=a, description="累计")
    outside = entity.create(actor=editor, key="挂职干部", unit="名")
    batches = {c.batch_id for c in changes_for(a) + changes_for(b)}
    assert batches == {batch}
    assert changes_for(outside)[0].batch_id != batch


def test_writes_outside_a_context_each_get_a_batch(editor):
    entity = entity_for(IndicatorFactory._meta.model)
    a = entity.create(actor=editor, key="援建项目", unit="个")
    b = entity.create(actor=editor, key="培训人次", unit="人次")
    assert changes_for(a)[0].batch_id != changes_for(b)[0].batch_id


def test_record_bulk_writes_one_record_per_object(editor):
    indicators = [IndicatorFactory() for _ in range(3)]
    before = ObjectChange.objects.count()
    with actor_context(editor) as batch:
        record_bulk(indicators, action=ObjectChange.Action.CREATE, actor=editor, message="import")
    assert ObjectChange.objects.count() == before + 3
    for indicator in indicators:
        [change] = changes_for(indicator)
        assert (change.batch_id, change.actor, change.message) == (batch, editor, "import")
        assert change.after["key"] == indicator.key
