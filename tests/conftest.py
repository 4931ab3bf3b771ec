"""Fixtures for the cross-app tests; shared with the apps through :mod:`duikou.testing.fixtures`
and :mod:`duikou.testing.browser`."""

from duikou.testing.browser import browser, demo_server, page  # noqa: F401
from duikou.testing.fixtures import pairings, superuser, world  # noqa: F401
