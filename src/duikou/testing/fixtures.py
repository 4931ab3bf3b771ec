"""Shared pytest fixtures. ``src/duikou/conftest.py`` and ``tests/conftest.py`` re-export them.

``world`` is built once per test module inside a transaction that is rolled back at the end of
the module; each test runs in a savepoint inside it, so tests may write freely. Objects held by
the world are read again on every access (``world.pairings[...]``, ``world.row(...)``,
``world.user(...)``), so a change one test made in memory does not leak into the next.

A module uses ``world`` or ``pairings``, not both: they build the same organisations and users.
"""

import pytest
from django.db import transaction

from .entities import PAIRED_ENTITIES
from .factories import UserFactory
from .scenario import Scenario

__all__ = ["build_module_world", "pairings", "superuser", "world"]


def build_module_world(django_db_blocker, scenario: Scenario):
    """Generator for a module-scoped fixture: builds ``scenario`` in an outer transaction."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = scenario.build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The standard world (:meth:`Scenario.standard`) with one row of every pairing model in
    each of its three pairings."""
    yield from build_module_world(django_db_blocker, Scenario.standard().rows(PAIRED_ENTITIES))


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture(scope="module")
def pairings(django_db_setup, django_db_blocker):
    """The standard world without rows: organisations, the three pairings and the users."""
    yield from build_module_world(django_db_blocker, Scenario.standard())
