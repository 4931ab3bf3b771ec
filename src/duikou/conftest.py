"""Fixtures for the app test packages (``src/duikou/<app>/tests``); they live in
:mod:`duikou.testing.fixtures` and :mod:`duikou.testing.browser` so that ``tests/conftest.py``
shares them."""

from duikou.testing.browser import browser, demo_server, page  # noqa: F401
from duikou.testing.fixtures import pairings, superuser, world  # noqa: F401
