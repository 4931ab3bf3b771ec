"""Test set-up shared by every app: the divisions are reference data, loaded once per test database."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from duikou.core.permissions import SYSTEM
    from duikou.organisations.divisions import divisions_load

    with django_db_blocker.unblock():
        divisions_load(actor=SYSTEM)


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The Beijing → Badong demo, loaded once per test module and rolled back after it."""
    from django.db import transaction

    from duikou.demo.loader import demo_load

    with django_db_blocker.unblock():
        with transaction.atomic():
            result = demo_load()
            yield result
            transaction.set_rollback(True)
