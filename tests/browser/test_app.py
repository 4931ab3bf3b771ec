"""The web application in a real browser, as an office user works with it.

Signs in as the demo ``admin``, opens the Beijing → Badong dashboard, switches the period and
checks each card against ``duikou stats --json`` run on the same database, follows a figure to its
records, creates a project with a bad amount (error shown, nothing saved) and then a good one,
finds it in the register, and switches to English. Screenshots of the main pages are saved under
``build/test-run/screenshots/``.
"""

import json
import os
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from duikou.testing.browser import BROWSER_MARKS, screenshot

pytestmark = BROWSER_MARKS


def stats(demo_server, year_from: int, year_to: int) -> dict:
    """``duikou stats --json`` on the server's own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUIKOU_") and k != "DATABASE_URL"}
    env.update(DUIKOU_DATA_DIR=str(demo_server.data_dir), DUIKOU_DEBUG="1")
    out = subprocess.run(
        [sys.executable, "-m", "duikou.cli", "stats", "--supporter", "北京市", "--recipient", "巴东县",
         "--from", str(year_from), "--to", str(year_to), "--json"],
        env=env, capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)


def sign_in(page, demo_server, username="admin"):
    page.goto(f"{demo_server.url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo_server.password)
    page.locator(".login form [type=submit]").click()


def choose(page, select: str, label_start: str):
    for option in page.locator(f"{select} option").all():
        if option.inner_text().startswith(label_start):
            page.select_option(select, value=option.get_attribute("value"))
            return
    raise AssertionError(f"no option of {select} starts with {label_start!r}")


def cards(page) -> dict[str, str]:
    return {el.get_attribute("data-card"): el.get_attribute("data-value")
            for el in page.locator("[data-card]").all()}


def years(page) -> tuple[int, int]:
    first, last = page.locator("[data-years]").inner_text().split("–")
    return int(first), int(last)


def assert_cards_match_stats(page, demo_server):
    year_from, year_to = years(page)
    expected = stats(demo_server, year_from, year_to)
    shown = cards(page)
    assert Decimal(shown["aid_funds"]) == Decimal(expected["aid_funds_yuan"])
    assert int(shown["projects"]) == expected["projects"]
    assert int(shown["cadres"]) == expected["cadres_seconded"]
    assert int(shown["training"]) == expected["training_person_times"]
    assert Decimal(shown["consumption"]) == Decimal(expected["contract_sales_yuan"])
    assert int(shown["investment"]) == expected["enterprises_introduced"]
    return expected


@pytest.fixture
def dashboard(page, demo_server):
    sign_in(page, demo_server)
    page.wait_for_url(re.compile(r"/overview/"))
    page.get_by_role("link", name="巴东县", exact=True).first.click()
    page.wait_for_url(re.compile(r"/pairings/\d+/dashboard/"))
    page.wait_for_selector("[data-chart][data-ready='1']")
    return page


def test_dashboard_cards_follow_the_period_and_match_duikou_stats(dashboard, demo_server):
    page = dashboard
    screenshot(page, "dashboard-cumulative")
    cumulative = assert_cards_match_stats(page, demo_server)
    assert years(page)[0] == 1992
    assert Decimal(cumulative["aid_funds_yuan"]) > Decimal("1100000000")

    page.locator("[data-period='14th']").click()
    page.wait_for_function("document.querySelector('[data-years]').innerText.startsWith('2021')")
    assert re.search(r"period=14th", page.url)
    plan = assert_cards_match_stats(page, demo_server)
    assert plan["projects_by_task"]["public_services"]["projects"] == 11
    screenshot(page, "dashboard-14th")

    page.select_option("select[name=period]", "2024")
    page.wait_for_function("document.querySelector('[data-years]').innerText.startsWith('2024')")
    assert_cards_match_stats(page, demo_server)
    page.wait_for_selector("[data-chart][data-ready='1']")
    screenshot(page, "dashboard-2024")


def test_a_figure_leads_to_the_records_behind_it(dashboard, demo_server):
    page = dashboard
    page.locator("[data-period='14th']").click()
    page.wait_for_function("document.querySelector('[data-years]').innerText.startsWith('2021')")
    expected = stats(demo_server, 2021, 2025)
    page.locator("[data-card='aid_funds']").click()
    page.wait_for_url(re.compile(r"/fund-transactions/\?"))
    total = page.locator("[data-total]").inner_text()
    assert Decimal(total.replace(",", "")) == Decimal(expected["aid_funds_yuan"])
    screenshot(page, "register-fund-transactions")
    page.go_back()
    page.locator("[data-card='projects']").click()
    page.wait_for_url(re.compile(r"/projects/\?"))
    assert int(page.locator("[data-count]").get_attribute("data-count")) == expected["projects"]
    screenshot(page, "register-projects")


def test_create_a_project_bad_amount_then_good(page, demo_server):
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/projects/new/")
    page.fill("#id_code", "BD-UI-0001")
    page.fill("#id_name", "浏览器测试项目：沿渡河镇便民服务中心")
    choose(page, "#id_pairing", "北京市 → 巴东县 · ")
    page.select_option("#id_key_task", index=3)
    choose(page, "#id_location_division", "巴东县")
    page.fill("#id_start_year", "2025")
    page.fill("#id_end_year", "2025")
    page.fill("#id_budget", "-100")
    page.locator("form.record-form [type=submit]").click()
    error = page.locator("[data-field='budget']")
    error.wait_for()
    assert error.inner_text().strip()
    screenshot(page, "project-form-error")

    page.goto(f"{demo_server.url}/projects/?q=BD-UI-0001")
    assert page.locator("[data-count]").get_attribute("data-count") == "0"

    page.goto(f"{demo_server.url}/projects/new/")
    page.fill("#id_code", "BD-UI-0001")
    page.fill("#id_name", "浏览器测试项目：沿渡河镇便民服务中心")
    choose(page, "#id_pairing", "北京市 → 巴东县 · ")
    page.select_option("#id_key_task", index=3)
    # location left empty: the pairing's recipient county
    page.fill("#id_start_year", "2025")
    page.fill("#id_end_year", "2025")
    page.fill("#id_budget", "1500000")
    page.locator("form.record-form [type=submit]").click()
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    screenshot(page, "project-detail")

    page.goto(f"{demo_server.url}/projects/")
    page.fill("input[name=q]", "BD-UI-0001")
    page.wait_for_function("document.querySelector('[data-count]').dataset.count === '1'")
    assert "BD-UI-0001" in page.locator("table.register").inner_text()


def test_switch_to_english_and_back(page, demo_server):
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/projects/")
    assert page.locator("h1").inner_text().strip() == "项目"
    page.locator("form.lang button").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("h1").inner_text().strip() == "Projects"
    assert "Sign out" in page.locator(".tools").inner_text()
    screenshot(page, "projects-english")
    page.locator("form.lang button").click()
    page.wait_for_function("document.documentElement.lang === 'zh-CN'")
    assert page.locator("h1").inner_text().strip() == "项目"


def test_main_pages_for_the_screenshots(page, demo_server):
    """Each register's list and one of its records, in Chinese, as the recipient county's user."""
    sign_in(page, demo_server, "badong")
    screenshot(page, "home-badong")  # 巴东县 is in three programmes: it chooses one
    page.get_by_role("link", name="北京市 → 巴东县").click()
    page.wait_for_url(re.compile(r"/pairings/\d+/dashboard/"))
    page.wait_for_selector("[data-chart][data-ready='1']")
    screenshot(page, "dashboard-badong")
    for slug in ("projects", "fund-allocations", "plans", "secondments", "training-sessions", "products",
                 "sales-records", "enterprise-introductions", "cooperation-agreements", "organisations", "pairings"):
        page.goto(f"{demo_server.url}/{slug}/")
        assert page.locator("table.register").count() == 1
        screenshot(page, f"register-{slug}")
        first = page.locator("table.register tbody tr td a").first
        if first.count():
            first.click()
            page.wait_for_load_state()
            screenshot(page, f"detail-{slug}")


@pytest.mark.parametrize("width", [820, 1024])
def test_tablet_width_has_no_page_wide_scrolling(page, demo_server, width):
    """On a tablet the page fits its width; only wide tables scroll inside their frame."""
    page.set_viewport_size({"width": width, "height": 1180})
    sign_in(page, demo_server, "beijing")
    page.wait_for_url(re.compile(r"/pairings/\d+/dashboard/"))
    page.wait_for_selector("[data-chart][data-ready='1']")
    for path in ("", "/projects/", "/fund-transactions/", "/projects/new/"):
        if path:
            page.goto(f"{demo_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path or 'dashboard'} is {overflow}px wider than a {width}px screen"
        screenshot(page, f"tablet-{width}-{path.strip('/').replace('/', '-') or 'dashboard'}")
