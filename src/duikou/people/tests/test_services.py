import datetime as dt
from decimal import Decimal

import pytest

from duikou.people.models import ExpertSupport, Field, Secondment, SecondmentBatch, TrainingSession
from duikou.people.services import (
    expert_support_create,
    secondment_batch_create,
    secondment_create,
    training_session_create,
)
from duikou.testing.asserts import changes_for, refused
from duikou.testing.factories import SecondmentBatchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(pairings):
    return SecondmentBatchFactory(pairing=pairings.pairings["beijing_badong"], number=1,
                                  dispatched_on=dt.date(2021, 7, 1))


def secondment_data(batch, **fields):
    return {"batch": batch, "person_name": "张三", "field": Field.FINANCE, "start_date": dt.date(2021, 7, 1),
            "end_date": dt.date(2023, 7, 1)} | fields


def training_data(world, **fields):
    return {"pairing": world.pairings["beijing_badong"], "title": "巴东县乡村振兴带头人培训班",
            "category": TrainingSession.Category.RURAL_LEADERS, "start_date": dt.date(2024, 6, 1),
            "participants": 60, "person_times": 120, "funds": Decimal("300000.00")} | fields


def test_secondment_create_is_audited(pairings, batch):
    s = secondment_create(actor=pairings.user("supporter"), **secondment_data(batch))
    [change] = changes_for(s)
    assert change.after["end_date"] == "2023-07-01"


def test_secondment_ends_after_it_starts(pairings, batch):
    with refused("end_date", Secondment):
        secondment_create(actor=pairings.user("supporter"),
                          **secondment_data(batch, end_date=dt.date(2021, 6, 30)))


def test_expert_support_ends_after_it_starts(pairings):
    with refused("end_date", ExpertSupport):
        expert_support_create(actor=pairings.user("supporter"), pairing=pairings.pairings["beijing_badong"],
                              expert_name="李四", field=Field.HEALTH, topic="血液透析", start_date=dt.date(2024, 5, 2),
                              end_date=dt.date(2024, 5, 1))


def test_batch_is_dispatched_inside_the_pairing(pairings):
    with refused("dispatched_on", SecondmentBatch):
        secondment_batch_create(actor=pairings.user("supporter"), pairing=pairings.pairings["fangshan_badong"],
                                number=1, dispatched_on=dt.date(2019, 7, 1))


def test_batch_numbers_are_unique_per_pairing(pairings, batch):
    with refused("__all__", SecondmentBatch):
        secondment_batch_create(actor=pairings.user("supporter"), pairing=batch.pairing, number=1,
                                dispatched_on=dt.date(2022, 7, 1))


@pytest.mark.parametrize("funds", [Decimal("-1"), "abc"])
def test_training_funds_are_a_non_negative_number(pairings, funds):
    with refused("funds", TrainingSession):
        training_session_create(actor=pairings.user("supporter"), **training_data(pairings, funds=funds))


def test_training_funds_may_be_unknown(pairings):
    assert training_session_create(actor=pairings.user("supporter"), **training_data(pairings, funds=None)).pk


def test_person_times_are_at_least_the_participants(pairings):
    with refused("person_times", TrainingSession):
        training_session_create(actor=pairings.user("supporter"), **training_data(pairings, person_times=59))


def test_training_ends_after_it_starts_and_starts_inside_the_pairing(pairings):
    with refused("end_date", TrainingSession):
        training_session_create(actor=pairings.user("supporter"),
                                **training_data(pairings, end_date=dt.date(2024, 5, 31)))
    with refused("start_date", TrainingSession):
        training_session_create(actor=pairings.user("supporter"), **training_data(
            pairings, pairing=pairings.pairings["fangshan_badong"], start_date=dt.date(2020, 6, 1)))
