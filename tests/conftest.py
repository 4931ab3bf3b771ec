"""Fixtures for the cross-app tests; shared with the apps through :mod:`duikou.testing.fixtures`."""

from duikou.testing.fixtures import pairings, superuser, world  # noqa: F401
