"""Fixtures for the app test packages (``src/duikou/<app>/tests``); they live in
:mod:`duikou.testing.fixtures` so that ``tests/conftest.py`` shares them."""

from duikou.testing.fixtures import pairings, superuser, world  # noqa: F401
