"""Test set-up shared by every app: the divisions are reference data, loaded once per test database."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from duikou.core.permissions import SYSTEM
    from duikou.organisations.divisions import divisions_load

    with django_db_blocker.unblock():
        divisions_load(actor=SYSTEM)
