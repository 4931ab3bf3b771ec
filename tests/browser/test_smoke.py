"""The browser-test set-up works end to end: the demo server (DEBUG off), chromium, a login."""

import re

from duikou.testing.browser import BROWSER_MARKS, screenshot

pytestmark = BROWSER_MARKS


def test_admin_login_shows_the_chinese_admin_index(demo_server, page):
    page.goto(f"{demo_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", demo_server.password)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.locator("#content h1").inner_text().strip() == "站点管理"
    assert "注销" in page.locator("#user-tools").inner_text()
    path = screenshot(page, "admin-index")
    assert path.is_file() and path.stat().st_size > 10_000


def test_the_server_serves_vendored_static_files_with_debug_off(demo_server, page):
    """WhiteNoise, not runserver (which serves static files only with DEBUG on)."""
    response = page.request.get(f"{demo_server.url}/static/ui/vendor/htmx/htmx.min.js")
    assert response.status == 200
    assert "javascript" in response.headers["content-type"]
    assert b'version:"' in response.body()
