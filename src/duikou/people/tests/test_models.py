import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from duikou.people.models import SecondmentBatch
from duikou.testing.factories import PairingFactory, SecondmentBatchFactory, SecondmentFactory, TrainingSessionFactory


@pytest.fixture
def pairing():
    return PairingFactory.build(pk=1, valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2025, 12, 31))


def test_batch_and_training_dates_lie_in_the_pairing(pairing):
    with pytest.raises(ValidationError) as info:
        SecondmentBatchFactory.build(pairing=pairing, dispatched_on=dt.date(2026, 1, 1)).clean()
    assert "dispatched_on" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        TrainingSessionFactory.build(pairing=pairing, start_date=dt.date(2020, 12, 31)).clean()
    assert "start_date" in info.value.message_dict
    TrainingSessionFactory.build(pairing=pairing, start_date=dt.date(2025, 12, 31)).clean()


def test_str():
    with translation.override("en"):
        batch = SecondmentBatchFactory.build(number=4, name="")
        assert str(batch) == f"{batch.pairing.supporter} → {batch.pairing.recipient} · Batch 4"
        assert str(SecondmentBatch(number=4, name="")) == "Batch 4"
    secondment = SecondmentFactory.build(person_name="张三", batch__name="第四批")
    assert str(secondment) == f"张三 ({secondment.batch.pairing.short_label} · 第四批)"
