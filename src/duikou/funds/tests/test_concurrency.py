"""Two remittances at the same time cannot together exceed the allocation (PostgreSQL).

PostgreSQL only: there two transactions run at once, and the pairing's row lock
(``funds.services.lock_pairings``, ``SELECT … FOR UPDATE``) is what puts the second after the first,
so that it validates against the first's remittance. SQLite admits one writer at a time
(``IMMEDIATE`` transactions take the write lock when they begin), so there is nothing to race.

The writers are threads with their own connections, so their transactions really run side by side
and commit. As in ``audit/tests/test_chain_concurrency.py``, this is not a ``transaction=True`` test
(its flush would empty the divisions loaded once per test database) and the test's own connection
writes nothing (it would hold the audit chain's head): the rows are made and removed by threads.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from duikou.audit.models import AuditChainHead, ObjectChange, ObjectChangeScope
from duikou.core import totals
from duikou.core.permissions import SYSTEM
from duikou.funds import services
from duikou.funds.models import FundTransaction
from duikou.funds.services import allocation_create, fund_transaction_create
from duikou.organisations.models import AdminDivision, Organisation, Pairing, Programme
from duikou.projects.models import Project
from duikou.testing.factories import PairingFactory, ProjectFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite admits one writer at a time; the pairing's row lock is for PostgreSQL"),
]

Kind = FundTransaction.Kind
YEAR = 2024


def in_thread(fn, *args):
    """Run ``fn`` in a new thread with its own connection; its outcome goes into the list returned."""
    outcome = []

    def run():
        try:
            outcome.append(fn(*args))
        except BaseException as exc:  # handed to the test
            outcome.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def join(*pairs) -> list:
    for thread, _ in pairs:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a writer hangs"
    return [outcome[0] if outcome else None for _, outcome in pairs]


@pytest.fixture
def allocation():
    """A committed allocation of 100 yuan; everything the test committed is removed after it."""
    start = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    head = AuditChainHead.objects.values("change_id", "hash").filter(pk=1).first()

    def make():
        with transaction.atomic():
            pairing = PairingFactory()
            project = ProjectFactory(pairing=pairing, start_year=YEAR, end_year=YEAR)
            return allocation_create(actor=SYSTEM, pairing=pairing, project=project, year=YEAR, amount=Decimal(100))

    [alloc] = join(in_thread(make))
    if isinstance(alloc, BaseException):
        raise alloc
    yield alloc

    pairing = alloc.pairing

    def clean():
        with transaction.atomic():
            rows = FundTransaction.objects.filter(pairing=pairing)
            rows.exclude(kind=Kind.ALLOCATION).delete()
            rows.delete()
            Project.objects.filter(pairing=pairing).delete()
            Pairing.objects.filter(pk=pairing.pk).delete()
            Organisation.objects.filter(pk__in=[pairing.supporter_id, pairing.recipient_id]).delete()
            Programme.objects.filter(pk=pairing.programme_id).delete()
            AdminDivision.objects.filter(pk=pairing.recipient_division_id).delete()
            ObjectChangeScope.objects.filter(change_id__gt=start).delete()
            ObjectChange.objects.filter(pk__gt=start).delete()
            if head is not None:
                AuditChainHead.objects.filter(pk=1).update(**head)

    [error] = join(in_thread(clean))
    if error is not None:
        raise error


def remit(alloc, amount):
    return fund_transaction_create(actor=SYSTEM, kind=Kind.REMITTANCE, pairing=alloc.pairing, year=YEAR,
                                   amount=Decimal(amount), allocation=alloc)


def remitted(alloc) -> Decimal:
    return sum(FundTransaction.objects.filter(allocation=alloc, kind=Kind.REMITTANCE).values_list("amount", flat=True),
               Decimal(0))


def race(alloc, hold: float = 0.5):
    """Writer 1 remits 60 and keeps its transaction open for ``hold`` seconds; writer 2 remits 60 as
    soon as writer 1 has. Returns (outcome of 1, outcome of 2, seconds writer 2 took)."""
    first_done = threading.Event()

    def first():
        with transaction.atomic():
            tx = remit(alloc, 60)
            first_done.set()
            time.sleep(hold)
        return tx

    def second():
        assert first_done.wait(10)
        began = time.monotonic()
        try:
            return remit(alloc, 60), time.monotonic() - began
        except ValidationError as exc:
            return exc, time.monotonic() - began

    one, (two, took) = join(in_thread(first), in_thread(second))
    return one, two, took


def test_the_second_remittance_waits_for_the_first_and_is_refused(allocation):
    one, two, took = race(allocation)
    assert isinstance(one, FundTransaction)
    assert isinstance(two, ValidationError), "both remittances went through"
    assert "amount" in two.message_dict and "120.00" in " ".join(two.message_dict["amount"])
    assert took >= 0.4, "the second writer did not wait for the first"
    assert remitted(allocation) == Decimal(60)


def test_without_the_lock_both_go_through(allocation, monkeypatch):
    """The control: without the row lock both writers validate against the same state and the
    allocation is exceeded (so the test above fails if the lock goes)."""
    monkeypatch.setattr(services, "lock_pairings", lambda *pairings: None)
    one, two, _took = race(allocation)
    assert isinstance(one, FundTransaction) and isinstance(two, FundTransaction)
    assert remitted(allocation) == Decimal(120)
    # the two writers added to the same register totals row at once: the upsert counted both
    assert totals.check(totals.for_model(FundTransaction)) == []


def test_many_writers_never_exceed_the_allocation(allocation):
    writers = 6
    barrier = threading.Barrier(writers)

    def writer():
        barrier.wait(10)
        try:
            return remit(allocation, 30)
        except ValidationError as exc:
            return exc

    outcomes = join(*[in_thread(writer) for _ in range(writers)])
    assert sum(isinstance(o, FundTransaction) for o in outcomes) == 3
    assert all(isinstance(o, FundTransaction | ValidationError) for o in outcomes), outcomes
    assert remitted(allocation) == Decimal(90)
    assert totals.check(totals.for_model(FundTransaction)) == []
