"""Test settings: fast hasher, local-memory cache, throw-away media folder."""

import os
import tempfile

os.environ.setdefault("DUIKOU_DEBUG", "1")
os.environ.setdefault("DUIKOU_DATA_DIR", tempfile.mkdtemp(prefix="duikou-test-"))

from .settings import *  # noqa: E402,F403
from .settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="duikou-media-")

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The test database lives in memory (one per xdist worker); WAL is meaningless there.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["TEST"] = {"NAME": None}
