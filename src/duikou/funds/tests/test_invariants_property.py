"""Property: random sequences of allocate / remit / spend / adjust / carry over / update / delete
through the services never leave the database breaking a money invariant, and every refused
operation leaves nothing saved (no row, no change, no audit record).

The invariants are checked here independently of ``funds.validators``: with ORM aggregates over
the database after every step.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duikou.audit.models import ObjectChange
from duikou.core import totals
from duikou.core.choices import FundStream
from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundTransaction
from duikou.funds.services import (
    allocation_create,
    fund_transaction_create,
    fund_transaction_delete,
    fund_transaction_update,
)
from duikou.testing.factories import PairingFactory, PlanEnvelopeFactory, PlanFactory, ProjectFactory, SubPairingFactory

pytestmark = pytest.mark.django_db

Kind = FundTransaction.Kind
YEARS = (2022, 2023)
ENVELOPE = Decimal("200000")
FEE_CAP = Decimal("0.03")  # the default of alloc.max_mgmt_fee

amounts = st.integers(min_value=1, max_value=20).map(lambda n: Decimal(n * 5000))
pick = st.integers(min_value=0, max_value=50)  # an index into the rows or projects there are (modulo)
years = st.sampled_from(YEARS)

operations = st.lists(st.one_of(
    st.tuples(st.just("allocate"), pick, pick, years, amounts),
    st.tuples(st.just("remit"), pick, pick, years, amounts, st.booleans()),
    st.tuples(st.just("spend"), pick, pick, years, amounts, st.booleans(), st.booleans(), st.booleans()),
    st.tuples(st.just("delete"), pick),
    st.tuples(st.just("adjust"), pick, years, amounts),
    st.tuples(st.just("carry_over"), pick, years, amounts),
    st.tuples(st.just("update"), pick, amounts),
    st.tuples(st.just("delete"), pick),
), min_size=1, max_size=40)


def _sum(qs) -> Decimal:
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def assert_invariants(pairings) -> None:
    """The invariants, read from the database with aggregates."""
    grant = FundTransaction.objects.filter(stream=FundStream.GRANT)
    for pairing in pairings:
        for year in YEARS:
            pool = grant.filter(pairing=pairing, year=year)
            allocated = _sum(pool.filter(kind=Kind.ALLOCATION))
            remitted = _sum(pool.filter(kind=Kind.REMITTANCE))
            spent = _sum(pool.filter(kind=Kind.EXPENDITURE))
            assert remitted <= allocated, (pairing, year, "remitted", remitted, allocated)
            assert spent <= remitted, (pairing, year, "spent", spent, remitted)
            fees = _sum(pool.filter(kind=Kind.EXPENDITURE, is_management_fee=True))
            assert fees <= FEE_CAP * allocated, (pairing, year, "fees", fees, allocated)
            late = _sum(pool.filter(kind=Kind.EXPENDITURE, date__gt=dt.date(year, 12, 31)))
            assert late <= _sum(pool.filter(kind=Kind.CARRY_OVER)), (pairing, year, "carry-over")
            for alloc in pool.filter(kind=Kind.ALLOCATION):
                on_it = pool.filter(allocation=alloc)
                remitted_on = _sum(on_it.filter(kind=Kind.REMITTANCE))
                spent_on = _sum(on_it.filter(kind=Kind.EXPENDITURE))
                assert remitted_on <= alloc.amount
                has_own = on_it.filter(kind=Kind.REMITTANCE).exists()
                assert spent_on <= (remitted_on if has_own else alloc.amount)
            for project_id in pool.filter(kind=Kind.EXPENDITURE).exclude(project=None).values_list("project", flat=True):
                of_project = Q(project_id=project_id) | Q(allocation__project_id=project_id)
                named = pool.filter(of_project, kind=Kind.REMITTANCE)
                bound = _sum(named) if named.exists() else _sum(pool.filter(kind=Kind.ALLOCATION, project_id=project_id))
                assert _sum(pool.filter(of_project, kind=Kind.EXPENDITURE)) <= bound
    tree = [p.pk for p in pairings]
    allocated = _sum(grant.filter(pairing_id__in=tree, kind=Kind.ALLOCATION))
    adjusted = _sum(grant.filter(pairing_id__in=tree, kind=Kind.ADJUSTMENT))
    assert allocated <= ENVELOPE + adjusted, ("envelope", allocated, adjusted)
    # the register totals kept by the same services agree with the rows after every step
    assert totals.check(totals.for_model(FundTransaction)) == []


def state():
    rows = sorted(FundTransaction.objects.values_list(
        "pk", "kind", "pairing_id", "year", "amount", "allocation_id", "project_id", "date", "is_management_fee"))
    return rows, ObjectChange.objects.count()


def run(op, pairings, projects):
    name, *args = op
    rows = list(FundTransaction.objects.order_by("pk"))
    allocs = [r for r in rows if r.kind == Kind.ALLOCATION]

    def some(seq, i):
        return seq[i % len(seq)] if seq else None

    if name == "allocate":
        p, i, year, amount = args
        project = some([x for x in projects if x.pairing_id == some(pairings, p).pk], i)
        allocation_create(actor=SYSTEM, pairing=project.pairing, project=project, year=year, amount=amount)
    elif name == "remit":
        p, i, year, amount, on_allocation = args
        target = some(allocs, i)  # money follows an allocation: its pairing and year, on it or as a lump sum
        pairing = target.pairing if target else some(pairings, p)
        fund_transaction_create(actor=SYSTEM, kind=Kind.REMITTANCE, pairing=pairing,
                                year=target.year if target else year, amount=amount / 2,
                                allocation=target if on_allocation else None)
    elif name == "spend":
        p, i, year, amount, on_allocation, fee, late = args
        target = some(allocs, i)
        pairing = target.pairing if target else some(pairings, p)
        year = target.year if target else year
        alloc = target if on_allocation else None
        fund_transaction_create(
            actor=SYSTEM, kind=Kind.EXPENDITURE, pairing=pairing, year=year, amount=amount / 4, allocation=alloc,
            project=alloc.project if alloc else None, is_management_fee=fee and not alloc,
            date=dt.date(year + 1, 2, 1) if late else dt.date(year, 10, 1),
        )
    elif name == "adjust":
        p, year, amount = args
        fund_transaction_create(actor=SYSTEM, kind=Kind.ADJUSTMENT, pairing=some(pairings, p), year=year,
                                amount=amount, doc_no="调整〔测试〕")
    elif name == "carry_over":
        p, year, amount = args
        fund_transaction_create(actor=SYSTEM, kind=Kind.CARRY_OVER, pairing=some(pairings, p), year=year,
                                amount=amount, doc_no="结转〔测试〕")
    elif name == "update":
        i, amount = args
        if rows:
            fund_transaction_update(actor=SYSTEM, instance=some(rows, i), amount=amount)
    elif name == "delete":
        (i,) = args
        if rows:
            row = some(rows, i)
            if not FundTransaction.objects.filter(allocation=row).exists():  # PROTECT: money drawn on it
                fund_transaction_delete(actor=SYSTEM, instance=row)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(ops=operations)
def test_random_operations_never_break_the_invariants(ops):
    with transaction.atomic():
        root = PairingFactory()
        sub = SubPairingFactory(parent=root)
        PlanEnvelopeFactory(plan=PlanFactory(pairing=root, start_year=2021, end_year=2025), amount=ENVELOPE)
        pairings = [root, sub]
        projects = [ProjectFactory(pairing=p, start_year=2022, end_year=2023) for p in pairings for _ in range(2)]
        for project in projects[::2]:  # a funded start, so that spending and deleting have something to act on
            for year in YEARS:
                alloc = allocation_create(actor=SYSTEM, pairing=project.pairing, project=project, year=year,
                                          amount=Decimal("40000"))
                fund_transaction_create(actor=SYSTEM, kind=Kind.REMITTANCE, pairing=project.pairing, year=year,
                                        amount=Decimal("30000"))
                fund_transaction_create(actor=SYSTEM, kind=Kind.EXPENDITURE, pairing=project.pairing, year=year,
                                        amount=Decimal("10000"), allocation=alloc, date=dt.date(year, 6, 1))
        assert_invariants(pairings)
        for op in ops:
            before = state()
            try:
                with transaction.atomic():
                    run(op, pairings, projects)
            except ValidationError:
                assert state() == before, f"{op} was refused but changed the database"
            assert_invariants(pairings)
        transaction.set_rollback(True)
