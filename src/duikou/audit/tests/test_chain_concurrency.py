"""Writers appending to the audit log at the same time do not fork its hash chain (PostgreSQL).

PostgreSQL only: there two transactions can write at once, and the chain's head row lock
(``SELECT … FOR UPDATE`` in ``audit.services._lock_head``) is what puts them in line. SQLite admits
one writer at a time (``IMMEDIATE`` transactions), so there is nothing to race.

The writers are threads, each with its own connection (Django's connections are per thread), so
their transactions really run side by side and really commit. Not a ``transaction=True`` test: its
flush at the end would empty the divisions the session loads once for every later test in this
worker. Instead the test's own connection writes nothing (it would hold the head until the test
ends, and the writers would wait for it), and what the writers committed is removed afterwards.
This module uses no ``world``: its module transaction would hold the head too.
"""

import threading
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction

from duikou.audit import services
from duikou.audit.models import AuditChainHead, ObjectChange, ObjectChangeScope
from duikou.audit.selectors import audit_chain_verify
from duikou.audit.services import record, record_bulk
from duikou.core.permissions import SYSTEM

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite admits one writer at a time; the head's row lock is for PostgreSQL"),
]

SUBJECTS = [ContentType, AuditChainHead]  # reference rows any writer may record a change of, no scope


def in_thread(fn, *args):
    """Run ``fn`` in a new thread with its own connection; re-raise what it raised."""
    errors = []

    def run():
        try:
            fn(*args)
        except BaseException as exc:  # handed to the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def join(*pairs):
    for thread, _ in pairs:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a writer hangs"
    for _, errors in pairs:
        if errors:
            raise errors[0]


@pytest.fixture
def committed():
    """The id of the last change before the test; what the writers committed is removed after it."""
    start = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    head = AuditChainHead.objects.values("change_id", "hash").get(pk=1)
    yield start

    def clean():
        with transaction.atomic():
            ObjectChangeScope.objects.filter(change_id__gt=start).delete()
            ObjectChange.objects.filter(pk__gt=start).delete()
            AuditChainHead.objects.filter(pk=1).update(**head)

    join(in_thread(clean))


def written_after(start) -> list[ObjectChange]:
    return list(ObjectChange.objects.filter(pk__gt=start).order_by("pk"))


def subject(i=0):
    return ContentType.objects.get_for_model(SUBJECTS[i % len(SUBJECTS)])


def race(hold: float = 0.5):
    """Writer 1 appends and keeps its transaction open for ``hold`` seconds; writer 2 appends as soon
    as writer 1 has. Returns the order in which they committed."""
    appended = threading.Event()
    order = []

    def first():
        with transaction.atomic():
            record(subject(), action=ObjectChange.Action.UPDATE, actor=SYSTEM, message="first")
            appended.set()
            time.sleep(hold)
            order.append("first")

    def second():
        assert appended.wait(10)
        with transaction.atomic():
            record(subject(1), action=ObjectChange.Action.UPDATE, actor=SYSTEM, message="second")
        order.append("second")

    join(in_thread(first), in_thread(second))
    return order


def test_a_second_writer_waits_for_the_first_and_chains_after_it(committed):
    order = race()
    assert order == ["first", "second"], "the second writer went on while the first held the head"
    first, second = written_after(committed)
    assert (first.message, second.message) == ("first", "second")
    assert second.prev_hash == first.hash
    assert audit_chain_verify(actor=SYSTEM).ok


def test_without_the_lock_the_chain_forks(committed, monkeypatch):
    """The control: reading the head without locking it lets both writers append after the same
    change, and verify finds the fork. (So the test above fails if the lock goes.)"""

    def unlocked(using):
        return AuditChainHead.objects.using(using).get(pk=1)

    monkeypatch.setattr(services, "_lock_head", unlocked)
    race()
    first, second = written_after(committed)
    assert first.prev_hash == second.prev_hash, "both follow the same change"
    report = audit_chain_verify(actor=SYSTEM)
    assert (report.ok, report.problem, report.broken_at) == (False, "misplaced", second.pk)


def test_many_writers_make_one_linear_chain(committed):
    writers, rounds = 4, 8
    barrier = threading.Barrier(writers)

    def writer(n):
        barrier.wait(10)
        for i in range(rounds):
            with transaction.atomic():
                if i % 2:
                    record_bulk([subject(n), subject(n + 1), subject(n)], action=ObjectChange.Action.UPDATE,
                                actor=SYSTEM, message=f"w{n} bulk {i}")
                else:
                    record(subject(n), action=ObjectChange.Action.UPDATE, actor=SYSTEM, message=f"w{n} {i}")

    join(*[in_thread(writer, n) for n in range(writers)])
    changes = written_after(committed)
    assert len(changes) == writers * (rounds // 2) * (1 + 3)
    previous = ObjectChange.objects.filter(pk=committed).values_list("hash", flat=True).first()
    for change in changes:
        assert change.prev_hash == previous, f"#{change.pk} forks the chain"
        previous = change.hash
    assert len({c.prev_hash for c in changes}) == len(changes), "two changes follow the same one"
    assert AuditChainHead.objects.get().hash == changes[-1].hash
    report = audit_chain_verify(actor=SYSTEM)
    assert report.ok and report.last_id == changes[-1].pk
