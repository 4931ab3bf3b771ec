"""Browser tests (Playwright + chromium against the demo server); see :mod:`duikou.testing.browser`."""
