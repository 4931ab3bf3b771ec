from decimal import Decimal

import pytest

from duikou.core.choices import FundStream
from duikou.funds.models import FundAllocation, FundTransaction
from duikou.funds.services import (
    allocation_create,
    fund_transaction_create,
    fund_transaction_delete,
    fund_transaction_update,
)
from duikou.testing.asserts import changes_for, refused
from duikou.testing.factories import FundAllocationFactory, FundTransactionFactory, ProjectFactory

pytestmark = pytest.mark.django_db

Kind = FundTransaction.Kind


@pytest.fixture
def city(pairings):
    return pairings.pairings["beijing_badong"]


@pytest.fixture
def actor(pairings):
    return pairings.user("supporter")


def receipt(pairing, **fields):
    return {"kind": Kind.RECEIPT, "pairing": pairing, "stream": FundStream.GRANT, "year": 2024,
            "amount": Decimal("51130000.00")} | fields


def test_create_saves_and_records_one_change(city, actor):
    tx = fund_transaction_create(actor=actor, **receipt(city))
    assert FundTransaction.objects.get(pk=tx.pk).amount == Decimal("51130000.00")
    [change] = changes_for(tx)
    assert (change.action, change.actor) == ("create", actor)
    assert change.after["amount"] == "51130000.00"


@pytest.mark.parametrize("amount", [Decimal("-1.00"), Decimal("0"), "abc", "1e40"])
def test_amount_must_be_a_positive_number(city, actor, amount):
    with refused("amount", FundTransaction):
        fund_transaction_create(actor=actor, **receipt(city, amount=amount))


def test_year_lies_in_the_pairing_period(pairings, actor):
    sub = pairings.pairings["fangshan_badong"]  # from 2021
    with refused("year", FundTransaction):
        fund_transaction_create(actor=actor, **receipt(sub, year=2019))


def test_free_aid_allocation_needs_a_project(city, actor):
    with refused("project", FundTransaction):
        allocation_create(actor=actor, **receipt(city, kind=Kind.ALLOCATION))


def test_economic_allocation_needs_no_project(city, actor):
    alloc = allocation_create(actor=actor, **receipt(city, stream=FundStream.ECON))
    assert alloc.kind == Kind.ALLOCATION and alloc.project is None


def test_allocation_create_always_makes_an_allocation(city, actor):
    project = ProjectFactory(pairing=city)
    alloc = allocation_create(actor=actor, **receipt(city, kind=Kind.RECEIPT, project=project))
    assert FundTransaction.objects.get(pk=alloc.pk).kind == Kind.ALLOCATION


def test_streams_are_never_mixed(city, actor):
    grant = FundAllocationFactory(pairing=city)
    with refused("stream", FundTransaction):
        fund_transaction_create(
            actor=actor, **receipt(city, kind=Kind.REMITTANCE, stream=FundStream.ECON, allocation=grant)
        )


def test_a_movement_draws_on_an_allocation_only(city, actor):
    not_an_allocation = FundTransactionFactory(pairing=city)
    with refused("allocation", FundTransaction):
        fund_transaction_create(actor=actor, **receipt(city, kind=Kind.REMITTANCE, allocation=not_an_allocation))


def test_an_allocation_draws_on_no_allocation(city, actor):
    grant = FundAllocationFactory(pairing=city)
    with refused("allocation", FundTransaction):
        allocation_create(actor=actor, **receipt(city, project=grant.project, allocation=grant))


def test_a_movement_for_a_project_draws_on_that_projects_allocation(city, actor):
    grant = FundAllocationFactory(pairing=city)
    other = ProjectFactory(pairing=city)
    with refused("allocation", FundTransaction):
        fund_transaction_create(
            actor=actor, **receipt(city, kind=Kind.REMITTANCE, project=other, allocation=grant)
        )
    ok = fund_transaction_create(  # within the allocation's year and amount (the money invariants)
        actor=actor, **receipt(city, kind=Kind.REMITTANCE, project=grant.project, allocation=grant,
                               year=grant.year, amount=grant.amount)
    )
    assert ok.allocation == grant


def test_the_project_belongs_to_the_pairing(pairings, city, actor):
    foreign_project = ProjectFactory(pairing=pairings.pairings["shanghai_yiling"])
    with refused("project", FundTransaction):
        fund_transaction_create(actor=pairings.user("admin"), **receipt(city, project=foreign_project))


def test_update_and_delete_are_audited(city, actor):
    tx = FundTransactionFactory(pairing=city)
    fund_transaction_update(actor=actor, instance=tx, amount=Decimal("100.50"))
    [change] = changes_for(tx, "update")
    assert (change.before["amount"], change.after["amount"]) == ("51130000.00", "100.50")
    pk = tx.pk
    fund_transaction_delete(actor=actor, instance=tx)
    assert not FundTransaction.objects.filter(pk=pk).exists()
    tx.pk = pk
    [deleted] = changes_for(tx, "delete")
    assert deleted.before["amount"] == "100.50" and deleted.after is None


def test_update_with_a_bad_amount_changes_nothing(city, actor):
    tx = FundTransactionFactory(pairing=city)
    with refused("amount", FundTransaction):
        fund_transaction_update(actor=actor, instance=tx, amount=Decimal("-5"))
    assert FundTransaction.objects.get(pk=tx.pk).amount == Decimal("51130000.00")


def test_allocations_are_fund_transactions(city):
    alloc = FundAllocationFactory(pairing=city)
    assert isinstance(FundTransaction.objects.get(pk=alloc.pk), FundTransaction)
    assert FundAllocation.objects.filter(pk=alloc.pk).exists()
