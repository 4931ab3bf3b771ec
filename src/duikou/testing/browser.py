"""Browser tests: the demo served by a real server in a subprocess, driven by Playwright through
Debian's chromium (``/usr/bin/chromium``; we never run ``playwright install``).

``src/duikou/conftest.py`` and ``tests/conftest.py`` re-export the fixtures. A browser test::

    import pytest

    from duikou.testing.browser import BROWSER_MARKS, screenshot

    pytestmark = BROWSER_MARKS  # [pytest.mark.browser, pytest.mark.xdist_group("browser")]


    def test_admin_login(demo_server, page):
        page.goto(f"{demo_server.url}/admin/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", demo_server.password)
        page.click("input[type=submit]")
        screenshot(page, "admin-index")

Browser tests never touch the test database (they talk to the server subprocess): they request no
``db``. The ``browser`` group runs in one xdist worker (``--dist loadgroup``, as ``make test`` does),
so the session starts one server and one chromium.

When chromium or the ``playwright`` package is missing the tests are skipped, or fail when
``DUIKOU_REQUIRE_BROWSER=1`` (CI sets it).
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = [
    "BROWSER_MARKS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "SCREENSHOTS",
    "DemoServer",
    "browser",
    "demo_server",
    "page",
    "require_browser",
    "screenshot",
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu"]
BROWSER_MARKS = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
VIEWPORT = {"width": 1366, "height": 900}


def _repository_root() -> Path:
    here = Path(__file__).resolve().parents[3]  # src/duikou/testing/browser.py → the checkout
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


SCREENSHOTS = _repository_root() / "build" / "test-run" / "screenshots"
DEMO_USERS = ("admin", "beijing", "fangshan", "badong", "supervisor")
SERVER_START_TIMEOUT = 60  # seconds for runserver to answer, after the demo is loaded
DEMO_LOAD_TIMEOUT = 600  # seconds for `duikou demo --no-serve` (migrate + load the demo)


def require_browser() -> None:
    """Skip (or fail, with ``DUIKOU_REQUIRE_BROWSER=1``) unless chromium and Playwright are there."""
    reason = None
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the Python package playwright is missing (pip install -e '.[test]')"
    if reason is None:
        return
    if os.environ.get("DUIKOU_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (DUIKOU_REQUIRE_BROWSER=1), but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


# The demo server -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoServer:
    """A server for the demo data; ``url`` has no trailing slash (``f"{demo_server.url}/admin/"``)."""

    url: str
    data_dir: Path
    log: Path
    password: str
    users: tuple[str, ...] = field(default=DEMO_USERS)
    startup_seconds: float = 0.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment without the suite's Django, duikou and database settings: always a SQLite
    file in ``data_dir``, also when the suite itself runs on PostgreSQL."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DUIKOU_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(DUIKOU_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", **extra)
    return env


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP status: the server is up
    except OSError:
        return False


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """Loads the demo into a fresh SQLite file (``duikou demo --no-serve``), then serves it with
    ``runserver --noreload`` and DEBUG off, so static files come through WhiteNoise as in
    production. Yields a :class:`DemoServer`; stops the server at the end of the session."""
    require_browser()
    from duikou.demo.loader import DEMO_PASSWORD

    started = time.monotonic()
    data_dir = tmp_path_factory.mktemp("demo-server")
    log = data_dir / "server.log"
    load = subprocess.run(
        [sys.executable, "-m", "duikou.cli", "demo", "--no-serve"],
        env=_server_env(data_dir, DUIKOU_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=DEMO_LOAD_TIMEOUT,
    )
    if load.returncode != 0:
        pytest.fail(f"duikou demo --no-serve failed (exit {load.returncode}):\n{load.stdout}\n{load.stderr}", pytrace=False)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = _server_env(
        data_dir,
        DUIKOU_DEBUG="0",
        DUIKOU_SECRET_KEY=secrets.token_urlsafe(50),
        DUIKOU_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    with open(log, "wb") as out:  # a file, not a pipe: a full pipe would block the server
        server = subprocess.Popen(
            [sys.executable, "-m", "duikou.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _answers(f"{url}/admin/login/"):
            if server.poll() is not None or time.monotonic() > deadline:
                state = f"exited {server.returncode}" if server.returncode is not None else "did not answer"
                pytest.fail(
                    f"the demo server on {url} {state} within {SERVER_START_TIMEOUT}s; its output:\n"
                    + log.read_text(encoding="utf-8", errors="replace"),
                    pytrace=False,
                )
            time.sleep(0.1)
        yield DemoServer(
            url=url, data_dir=data_dir, log=log, password=DEMO_PASSWORD, startup_seconds=time.monotonic() - started
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# Playwright ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Headless chromium (Playwright's sync API), one per xdist worker.

    Playwright's sync API runs an asyncio loop in a greenlet and, between its calls, leaves that
    loop marked as the thread's running loop for as long as Playwright is started (see
    ``wait_for_future`` in ``playwright/_impl/_greenlets.py``). Django then takes the thread for
    async code and refuses database access (``SynchronousOnlyOperation``). The browser tests do
    not touch the test database, but the other tests that the same xdist worker runs after them
    do. So, while Playwright is started (this fixture's scope: the rest of the worker's session),
    ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set; it is restored when the browser closes. duikou has no
    async code, so the check it switches off guards nothing here. (Clearing the loop marker
    between tests would need asyncio's private ``_set_running_loop`` and break Playwright's next
    call.)
    """
    require_browser()
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()


@pytest.fixture
def page(browser):
    """A page in a fresh context (no cookies): 1366×900, locale zh-CN; closed after the test."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG as ``build/test-run/screenshots/<name>.png`` and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
