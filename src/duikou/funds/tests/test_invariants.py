"""The money invariants: each held, broken (refused with the field and the figures, nothing saved)
and, for the rules with a parameter, changed for a pairing and versioned by year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from duikou.audit.models import ObjectChange
from duikou.core.choices import FundStream
from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundTransaction
from duikou.funds.services import (
    allocation_create,
    allocation_update,
    fund_transaction_create,
    fund_transaction_delete,
    fund_transaction_update,
)
from duikou.funds.validators import fund_transaction_breaches
from duikou.rules.services import rule_set_from_year
from duikou.testing.asserts import refused
from duikou.testing.factories import (
    FundTransactionFactory,
    PairingFactory,
    PlanEnvelopeFactory,
    PlanFactory,
    ProjectFactory,
    SubPairingFactory,
)

pytestmark = pytest.mark.django_db

Kind = FundTransaction.Kind
Y = 2024


def d(n) -> Decimal:
    return Decimal(str(n))


@pytest.fixture
def pairing():
    return PairingFactory()


def allocate(pairing, amount, *, project=None, year=Y, **fields):
    project = project or ProjectFactory(pairing=pairing)
    return allocation_create(actor=SYSTEM, pairing=pairing, project=project, year=year, amount=d(amount), **fields)


def move(pairing, kind, amount, *, year=Y, **fields):
    return fund_transaction_create(actor=SYSTEM, kind=kind, pairing=pairing, year=year, amount=d(amount), **fields)


def message_of(info, field) -> str:
    return " ".join(info.value.message_dict[field])


# remitted ≤ allocated ------------------------------------------------------------------------------


def test_remittances_stay_within_the_years_allocations(pairing):
    allocate(pairing, 600)
    allocate(pairing, 400)
    move(pairing, Kind.REMITTANCE, 1000)  # held: a lump sum equal to the allocations
    with refused("amount", FundTransaction) as info:
        move(pairing, Kind.REMITTANCE, "0.01")
    text = message_of(info, "amount")
    assert "1,000.01" in text and "1,000.00" in text and str(Y) in text


def test_remittances_of_another_year_do_not_count(pairing):
    allocate(pairing, 100, year=2023)
    with refused("amount", FundTransaction):
        move(pairing, Kind.REMITTANCE, 100, year=2024)
    move(pairing, Kind.REMITTANCE, 100, year=2023)


def test_remittances_drawing_on_an_allocation_stay_within_it(pairing):
    small = allocate(pairing, 50)
    allocate(pairing, 100)
    move(pairing, Kind.REMITTANCE, 50, allocation=small)
    with refused("amount", FundTransaction) as info:
        move(pairing, Kind.REMITTANCE, 1, allocation=small)  # the year's 150 would allow it; the allocation not
    assert "51.00" in message_of(info, "amount") and "50.00" in message_of(info, "amount")


def test_an_allocation_cannot_fall_below_what_was_remitted(pairing):
    alloc = allocate(pairing, 100)
    move(pairing, Kind.REMITTANCE, 80)
    with refused("amount", FundTransaction):
        allocation_update(actor=SYSTEM, instance=alloc, amount=d(79))
    assert FundTransaction.objects.get(pk=alloc.pk).amount == d(100)
    allocation_update(actor=SYSTEM, instance=alloc, amount=d(80))


def test_the_economic_stream_has_no_remittance_chain(pairing):
    move(pairing, Kind.REMITTANCE, 100, stream=FundStream.ECON)  # attracted investment: no allocation needed


# allocated ≤ plan envelope ---------------------------------------------------------------------------


@pytest.fixture
def envelope(pairing):
    plan = PlanFactory(pairing=pairing, start_year=2021, end_year=2025)
    return PlanEnvelopeFactory(plan=plan, amount=d(1000))


def test_allocations_stay_within_the_five_year_envelope(pairing, envelope):
    allocate(pairing, 600, year=2021)
    allocate(pairing, 400, year=2025)
    with refused("amount", FundTransaction) as info:
        allocate(pairing, 1, year=2023)
    assert "2021–2025" in message_of(info, "amount") and "1,001.00" in message_of(info, "amount")
    allocate(pairing, 1, year=2026)  # outside the plan's years


def test_an_approved_adjustment_raises_the_envelope(pairing, envelope):
    allocate(pairing, 1000, year=2022)
    with refused("doc_no", FundTransaction):
        move(pairing, Kind.ADJUSTMENT, 300, year=2023)  # an approval names its document
    move(pairing, Kind.ADJUSTMENT, 300, year=2023, doc_no="京援调〔2023〕1号")
    allocate(pairing, 300, year=2024)
    with refused("amount", FundTransaction):
        allocate(pairing, 1, year=2024)


def test_removing_an_adjustment_that_allocations_rely_on_is_refused(pairing, envelope):
    adjustment = move(pairing, Kind.ADJUSTMENT, 300, year=2023, doc_no="调〔2023〕1号")
    allocate(pairing, 1200, year=2023)
    with refused("amount", FundTransaction):
        fund_transaction_delete(actor=SYSTEM, instance=adjustment)


def test_sub_pairings_allocations_count_against_the_parents_envelope(pairing, envelope):
    sub = SubPairingFactory(parent=pairing)
    allocate(pairing, 700, year=2022)
    with refused("amount", FundTransaction):
        allocate(sub, 301, year=2022)
    allocate(sub, 300, year=2022)


# expenditure ≤ remitted ------------------------------------------------------------------------------


def test_expenditure_stays_within_the_years_remittances(pairing):
    alloc = allocate(pairing, 100)
    move(pairing, Kind.REMITTANCE, 60)
    move(pairing, Kind.EXPENDITURE, 60, allocation=alloc, project=alloc.project)
    with refused("amount", FundTransaction) as info:
        move(pairing, Kind.EXPENDITURE, 1, allocation=alloc, project=alloc.project)
    assert "61.00" in message_of(info, "amount") and "60.00" in message_of(info, "amount")


def test_expenditure_on_an_allocation_paid_as_a_lump_sum_stays_within_the_allocation(pairing):
    a, b = allocate(pairing, 100), allocate(pairing, 100)
    move(pairing, Kind.REMITTANCE, 200)  # one lump sum for both
    move(pairing, Kind.EXPENDITURE, 100, allocation=a)
    with refused("amount", FundTransaction):
        move(pairing, Kind.EXPENDITURE, 1, allocation=a)
    move(pairing, Kind.EXPENDITURE, 100, allocation=b)


def test_expenditure_on_an_allocation_stays_within_what_was_remitted_for_it(pairing):
    a = allocate(pairing, 100)
    allocate(pairing, 100)
    move(pairing, Kind.REMITTANCE, 40, allocation=a)
    move(pairing, Kind.REMITTANCE, 100)
    with refused("amount", FundTransaction) as info:
        move(pairing, Kind.EXPENDITURE, 41, allocation=a)  # the year has 140 remitted; allocation a only 40
    assert "超过为其拨付的" in message_of(info, "amount")
    move(pairing, Kind.EXPENDITURE, 40, allocation=a)


def test_expenditure_of_a_project_without_an_allocation_stays_within_the_project(pairing):
    p = allocate(pairing, 100).project
    allocate(pairing, 100)
    move(pairing, Kind.REMITTANCE, 200)
    with refused("amount", FundTransaction) as info:
        move(pairing, Kind.EXPENDITURE, 150, project=p)
    assert p.code in message_of(info, "amount")
    move(pairing, Kind.EXPENDITURE, 100, project=p)


def test_deleting_a_remittance_that_expenditure_relies_on_is_refused(pairing):
    alloc = allocate(pairing, 100)
    remittance = move(pairing, Kind.REMITTANCE, 100)
    move(pairing, Kind.EXPENDITURE, 10, allocation=alloc)
    with refused("amount", FundTransaction):
        fund_transaction_delete(actor=SYSTEM, instance=remittance)
    assert FundTransaction.objects.filter(pk=remittance.pk).exists()


def test_moving_expenditure_to_a_year_without_remittances_is_refused(pairing):
    project = allocate(pairing, 100).project
    move(pairing, Kind.REMITTANCE, 100)
    spent = move(pairing, Kind.EXPENDITURE, 10, project=project)
    with refused("amount", FundTransaction):
        fund_transaction_update(actor=SYSTEM, instance=spent, year=2023)


def test_money_drawn_on_an_allocation_keeps_its_year_and_pairing(pairing):
    alloc = allocate(pairing, 100)
    with refused("year", FundTransaction):
        move(pairing, Kind.REMITTANCE, 10, allocation=alloc, year=2023)
    other = PairingFactory(programme=pairing.programme, recipient=pairing.recipient,
                           recipient_division=pairing.recipient_division, valid_from=dt.date(2020, 1, 1))
    with refused("allocation", FundTransaction):
        move(other, Kind.REMITTANCE, 10, allocation=alloc)


def test_an_allocation_money_is_drawn_on_stays_an_allocation(pairing):
    alloc = allocate(pairing, 100)
    move(pairing, Kind.REMITTANCE, 10, allocation=alloc)
    with refused("kind", FundTransaction):
        fund_transaction_update(actor=SYSTEM, instance=FundTransaction.objects.get(pk=alloc.pk), kind=Kind.RECEIPT)


# management fees -------------------------------------------------------------------------------------


@pytest.fixture
def funded(pairing):
    alloc = allocate(pairing, 1_000_000)
    move(pairing, Kind.REMITTANCE, 1_000_000)
    return alloc


def fee(pairing, amount, year=Y):
    return move(pairing, Kind.EXPENDITURE, amount, is_management_fee=True, year=year)


def test_management_fees_stay_within_the_default_cap(pairing, funded):
    fee(pairing, 30_000)  # 3 % of 1,000,000
    with refused("is_management_fee", FundTransaction) as info:
        fee(pairing, "0.01")
    text = message_of(info, "is_management_fee")
    assert "alloc.max_mgmt_fee" in text and "3 %" in text and "30,000.00" in text


def test_a_pairing_rule_changes_the_cap(pairing, funded):
    rule_set_from_year(actor=SYSTEM, key="alloc.max_mgmt_fee", value="0.01", year=2021,
                       supporter=pairing.supporter, recipient=pairing.recipient)
    with refused("is_management_fee", FundTransaction) as info:
        fee(pairing, 10_001)
    assert "1 %" in message_of(info, "is_management_fee")
    fee(pairing, 10_000)


def test_the_cap_is_versioned_by_year(pairing):
    for year in (2023, 2024):
        allocate(pairing, 1_000_000, year=year)
        move(pairing, Kind.REMITTANCE, 1_000_000, year=year)
    rule_set_from_year(actor=SYSTEM, key="alloc.max_mgmt_fee", value="0.01", year=2024, supporter=pairing.supporter)
    fee(pairing, 30_000, year=2023)  # the default 3 % still holds for 2023
    with refused("is_management_fee", FundTransaction):
        fee(pairing, 30_000, year=2024)


def test_a_non_blocking_cap_only_warns(pairing, funded):
    rule_set_from_year(actor=SYSTEM, key="alloc.max_mgmt_fee", value="0.03", year=2021, supporter=pairing.supporter,
                       is_blocking=False)
    tx = fee(pairing, 50_000)
    [breach] = [b for b in fund_transaction_breaches(tx, deleting=True) if b.rule == "alloc.max_mgmt_fee"] or [None]
    assert breach is None  # deleting it only lowers the fees
    from duikou.funds.validators import MoneyRow, pool_breaches

    rows = [MoneyRow.of(t) for t in FundTransaction.objects.filter(pairing=pairing, year=Y)]
    assert [b.rule for b in pool_breaches(pairing, Y, rows)] == []
    assert [b.rule for b in pool_breaches(pairing, Y, rows, blocking_only=False)] == ["alloc.max_mgmt_fee"]


def test_only_an_expenditure_is_a_management_fee(pairing, funded):
    with refused("is_management_fee", FundTransaction):
        move(pairing, Kind.RECEIPT, 10, is_management_fee=True)


# carry-over ------------------------------------------------------------------------------------------


def test_spending_after_the_budget_year_needs_an_approved_carry_over(pairing, funded):
    late = dt.date(Y + 1, 3, 1)
    with refused("date", FundTransaction) as info:
        move(pairing, Kind.EXPENDITURE, 100, allocation=funded, date=late)
    assert "funds.carry_over_needs_approval" in message_of(info, "date")
    move(pairing, Kind.EXPENDITURE, 100, allocation=funded, date=dt.date(Y, 12, 31))  # within the year
    move(pairing, Kind.CARRY_OVER, 500, allocation=funded, date=dt.date(Y, 12, 20), doc_no="京援结〔2024〕1号")
    move(pairing, Kind.EXPENDITURE, 500, allocation=funded, date=late)
    with refused("date", FundTransaction):
        move(pairing, Kind.EXPENDITURE, 1, allocation=funded, date=late)


def test_carry_over_without_approval_where_the_rule_is_off(pairing, funded):
    rule_set_from_year(actor=SYSTEM, key="funds.carry_over_needs_approval", value="false", year=2021,
                       supporter=pairing.supporter, recipient=pairing.recipient)
    move(pairing, Kind.EXPENDITURE, 100, allocation=funded, date=dt.date(Y + 1, 3, 1))


# every path, and old data --------------------------------------------------------------------------


def test_full_clean_refuses_too_so_the_admin_and_loaders_do(pairing):
    tx = FundTransaction(kind=Kind.REMITTANCE, pairing=pairing, year=Y, amount=d(1))
    with pytest.raises(ValidationError) as info:
        tx.full_clean()
    assert "amount" in info.value.message_dict


def test_a_breach_in_old_data_does_not_block_unrelated_edits_but_may_not_grow(pairing):
    """Rows written before a rule (here: straight into the table) stay editable; the breach may
    shrink, not grow."""
    remittance = FundTransactionFactory(pairing=pairing, kind=Kind.REMITTANCE, year=Y, amount=d(100))
    fund_transaction_update(actor=SYSTEM, instance=remittance, note="补录")
    with refused("amount", FundTransaction):
        fund_transaction_update(actor=SYSTEM, instance=remittance, amount=d(101))
    fund_transaction_update(actor=SYSTEM, instance=remittance, amount=d(50))


def test_a_refused_write_leaves_no_audit_record(pairing):
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationError):
        move(pairing, Kind.REMITTANCE, 1)
    assert ObjectChange.objects.count() == changes
