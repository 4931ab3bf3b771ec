import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from duikou.audit.context import actor_context, current_actor, current_batch
from duikou.audit.models import ObjectChange
from duikou.audit.services import crud_services, object_create, object_delete, object_update, record, snapshot
from duikou.core.errors import PermissionDenied
from duikou.core.permissions import SYSTEM, SystemActor
from duikou.plans.models import Indicator
from duikou.testing.asserts import changes_for
from duikou.testing.factories import CooperationAgreementFactory, FundTransactionFactory, UserFactory


def test_snapshot_is_json_with_decimals_and_dates_as_strings():
    tx = FundTransactionFactory.build(amount=Decimal("51130000"), pairing__pk=1)
    data = snapshot(tx)
    assert data["amount"] == "51130000.00" and data["year"] == 2024 and data["pairing"] == 1
    assert "created" not in data and "last_updated" not in data and "id" not in data


@pytest.mark.django_db
def test_snapshot_lists_many_to_many_ids():
    agreement = CooperationAgreementFactory()
    parties = [agreement.pairing.supporter, agreement.pairing.recipient]
    agreement.parties.set(parties)
    assert sorted(snapshot(agreement)["parties"]) == sorted(p.pk for p in parties)


@pytest.mark.django_db
def test_snapshot_leaves_out_passwords():
    data = snapshot(UserFactory())
    assert "password" not in data and "last_login" not in data


def test_actor_context_sets_and_restores():
    assert current_actor() is None
    fixed = uuid.uuid4()
    with actor_context(SYSTEM, batch=fixed) as batch:
        assert (current_actor(), current_batch(), batch) == (SYSTEM, fixed, fixed)
        with actor_context(None) as inner:
            assert current_actor() is None and inner != fixed
        assert current_batch() == fixed
    assert current_actor() is None and current_batch() != current_batch()  # a new batch each time


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "name"), [(SYSTEM, "system"), (SystemActor("load-divisions"), "load-divisions")]
)
def test_system_actors_are_named_and_have_no_user(actor, name):
    indicator = object_create(Indicator, actor=actor, data={"key": "援建项目", "unit": "个"})
    [change] = changes_for(indicator)
    assert (change.actor, change.actor_name) == (None, name)


@pytest.mark.django_db
def test_record_falls_back_to_the_context_actor():
    user = UserFactory(username="ctx")
    indicator = Indicator.objects.create(key="援建项目", unit="个")
    with actor_context(user) as batch:
        record(indicator, action=ObjectChange.Action.CREATE)
    [change] = changes_for(indicator)
    assert (change.actor, change.actor_name, change.batch_id) == (user, "ctx", batch)


@pytest.mark.django_db
def test_anonymous_may_not_write():
    with pytest.raises(PermissionDenied):
        object_create(Indicator, actor=AnonymousUser(), data={"key": "援建项目", "unit": "个"})
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_object_update_and_delete():
    indicator = object_create(Indicator, actor=SYSTEM, data={"key": "援建项目", "unit": "个"})
    object_update(indicator, actor=SYSTEM, data={"unit": "项"}, message="renamed")
    object_update(indicator, actor=SYSTEM, data={"unit": "项"})  # no change, no record
    pk = indicator.pk
    object_delete(indicator, actor=SYSTEM)
    indicator.pk = pk
    create, update, delete = changes_for(indicator)
    assert [c.action for c in (create, update, delete)] == ["create", "update", "delete"]
    assert (update.before["unit"], update.after["unit"], update.message) == ("个", "项", "renamed")
    assert delete.before["unit"] == "项" and delete.after is None


def test_crud_services_are_named_after_the_entity():
    create, update, delete = crud_services(Indicator)
    assert [f.__name__ for f in (create, update, delete)] == ["indicator_create", "indicator_update",
                                                              "indicator_delete"]
