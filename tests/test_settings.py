"""Settings come from the environment and fail early (issue #2 §1)."""

import os
import subprocess
import sys

import pytest


def settings_in_subprocess(env: dict, expr: str):
    """Import the production settings module with ``env`` and print ``expr``."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DUIKOU_", "DATABASE_URL"))}
    full.update(env)
    code = f"import duikou.config.settings as s; print({expr})"
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True)


def test_default_is_sqlite_in_the_data_dir_with_wal_and_immediate(tmp_path):
    r = settings_in_subprocess({"DUIKOU_DEBUG": "1", "DUIKOU_DATA_DIR": str(tmp_path)}, "s.DATABASES['default']")
    assert r.returncode == 0, r.stderr
    assert "sqlite3" in r.stdout
    assert str(tmp_path / "duikou.sqlite3") in r.stdout
    assert "'transaction_mode': 'IMMEDIATE'" in r.stdout
    assert "journal_mode=WAL" in r.stdout


def test_database_url_selects_postgresql(tmp_path):
    r = settings_in_subprocess(
        {"DUIKOU_DEBUG": "1", "DUIKOU_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["django.db.backends.postgresql", "x"]


def test_database_url_must_be_postgresql(tmp_path):
    r = settings_in_subprocess(
        {"DUIKOU_DEBUG": "1", "DUIKOU_DATA_DIR": str(tmp_path), "DATABASE_URL": "mysql://root@localhost/x"}, "1"
    )
    assert r.returncode != 0 and "DATABASE_URL must be a PostgreSQL URL" in r.stderr


def test_secret_key_required_without_debug(tmp_path):
    r = settings_in_subprocess({"DUIKOU_DATA_DIR": str(tmp_path)}, "1")
    assert r.returncode != 0 and "DUIKOU_SECRET_KEY must be set" in r.stderr
    r = settings_in_subprocess({"DUIKOU_DATA_DIR": str(tmp_path), "DUIKOU_SECRET_KEY": "k" * 50}, "s.DEBUG, s.SECRET_KEY[:3]")
    assert r.returncode == 0 and "False" in r.stdout and "kkk" in r.stdout


@pytest.mark.django_db
def test_sqlite_file_database_uses_wal(tmp_path):
    """A real file database opened with duikou's options is in WAL mode."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from duikou.config import settings as s

    if not s.DATABASES["default"]["ENGINE"].endswith("sqlite3") and os.environ.get("DATABASE_URL"):
        pytest.skip("the SQLite file options are checked in the SQLite run")
    opts = {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20}
    wrapper = DatabaseWrapper({"NAME": str(tmp_path / "t.sqlite3"), "OPTIONS": opts, "ENGINE": "x", "TIME_ZONE": None,
                               "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
                               "ATOMIC_REQUESTS": False, "USER": "", "PASSWORD": "", "HOST": "", "PORT": "",
                               "TEST": {}}, alias="walcheck")
    try:
        with wrapper.cursor() as c:
            c.execute("PRAGMA journal_mode")
            assert c.fetchone()[0] == "wal"
    finally:
        wrapper.close()


# Static files (WhiteNoise) -------------------------------------------------------------------------

HTMX = "ui/vendor/htmx/htmx.min.js"


def test_whitenoise_follows_the_security_middleware_and_uses_the_finders():
    from django.conf import settings

    middleware = list(settings.MIDDLEWARE)
    i = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[i + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert settings.WHITENOISE_USE_FINDERS is True
    assert settings.STATIC_ROOT


def test_the_staticfiles_finders_find_the_vendored_files():
    from django.contrib.staticfiles import finders

    for path in (HTMX, "ui/vendor/echarts/echarts.min.js"):
        assert finders.find(path), path


def test_static_files_are_served_with_debug_off(settings):
    """WhiteNoise is middleware, so the test client goes through it; a new client builds the
    middleware chain with DEBUG off (no runserver, no collectstatic)."""
    from django.contrib.staticfiles import finders
    from django.test import Client

    settings.DEBUG = False
    response = Client().get(f"/static/{HTMX}")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    with open(finders.find(HTMX), "rb") as f:
        assert b"".join(response.streaming_content) == f.read()
