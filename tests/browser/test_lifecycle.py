"""A new project from 申报 to 关闭 in the browser, as the demo users work with it.

巴东县's office (``badong``) creates the project with its output and performance targets, proposes
and reviews it and publishes the 项目库公示; 北京市's office (``beijing``) first sends the library
entry back, then approves it, allocates the year's money and publishes the 年度计划公告, and
includes the project in the annual plan; 巴东县 signs, procures, publishes the 实施前公示, starts,
completes, accepts, hands over, enters the actuals, evaluates, audits and publishes the 竣工公告;
北京市 closes it. Each notice must have run its ten days before the step that waits for it, so the
decisions are dated in the past, one after the other. The to-do lists and the approval history
are checked on the way; screenshots are saved under ``build/test-run/screenshots/``.
"""

import datetime as dt
import re
from urllib.parse import urlencode

from django.urls import reverse

from duikou.testing.browser import BROWSER_MARKS, screenshot

pytestmark = BROWSER_MARKS

CODE = "BD-LC-0001"
D0 = dt.date.today() - dt.timedelta(days=120)


def day(n: int) -> str:
    return (D0 + dt.timedelta(days=n)).isoformat()


def sign_in(page, demo_server, username):
    page.context.clear_cookies()
    page.goto(f"{demo_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo_server.password)
    with page.expect_navigation():
        page.locator(".login form [type=submit]").click()


def choose(page, select: str, label_start: str):
    for option in page.locator(f"{select} option").all():
        if option.inner_text().strip().startswith(label_start):
            page.select_option(select, value=option.get_attribute("value"))
            return
    raise AssertionError(f"no option of {select} starts with {label_start!r}")


def save(page):
    with page.expect_navigation():
        page.locator("form.record-form [type=submit]").first.click()
    errors = page.locator(".field-error, .errors")
    assert not errors.count(), errors.all_inner_texts()


def status(page) -> str:
    return page.locator("#lifecycle").get_attribute("data-status")


def take_step(page, url: str, key: str, on: str, *, expect: str, decision: str | None = None, doc_no: str = "",
              opinion: str = ""):
    page.goto(url)
    page.locator(f"details[data-step='{key}'] > summary").click()
    form = page.locator(f"form[data-transition='{key}']")
    form.locator(f"#id_{key}-decided_on").fill(on)
    if decision:
        form.locator(f"#id_{key}-decision").select_option(decision)
    if doc_no:
        form.locator(f"#id_{key}-doc_no").fill(doc_no)
    if opinion:
        form.locator(f"#id_{key}-opinion").fill(opinion)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert status(page) == expect, page.locator("#lifecycle").inner_text()


def publish_notice(page, demo_server, project_id: int, start: str, end: str) -> str:
    """Create the notice the project needs next (preset from its page's "Add") and publish it."""
    page.goto(f"{demo_server.url}/disclosures/new/?" + urlencode({"project": project_id, "start_date": start,
                                                                   "end_date": end}))
    save(page)
    assert re.search(r"/disclosures/\d+/", page.url), (page.url, page.locator("main").inner_text()[:2000])
    assert page.locator("form[action$='/publish/'] button").count(), (page.url, page.content()[:3000])
    with page.expect_navigation():
        page.locator("form[action$='/publish/'] button").click()
    state = page.locator("#disclosure-state").inner_text()
    assert "errors" not in page.locator(".messages").inner_html() if page.locator(".messages").count() else True
    assert page.locator("#disclosure-state h2").inner_text().strip() in ("已发布", "Published"), (
        state, page.locator(".messages").all_inner_texts())
    return page.url


def enter_actuals(page, demo_server, project_id: int, on: str):
    """Every target met: the actuals page (绩效自评表 → 录入实际值) with each target's value."""
    page.goto(f"{demo_server.url}{reverse('performance:actuals', args=[project_id])}")
    for name, value in (("新建污水收集管网", "5.2"), ("受益农户", "320"), ("群众满意度", "96")):
        row = page.locator("table.actuals tbody tr", has_text=name)
        row.locator("input[name$='actual_value']").fill(value)
        row.locator("input[name$='actual_recorded_on']").fill(on)
    with page.expect_navigation():
        page.locator("form.card button[type=submit]").click()
    assert "/actuals/" not in page.url, page.locator("main").inner_text()[:2000]
    screenshot(page, "lifecycle-self-assessment")


def todo_codes(page, demo_server) -> set[str]:
    page.goto(f"{demo_server.url}/todo/")
    return {row.get_attribute("data-todo") for row in page.locator("[data-todo]").all()}


def test_a_new_project_from_proposal_to_closing(page, demo_server):
    url = demo_server.url
    # 巴东县: the project, its output and its performance targets ---------------------------------
    sign_in(page, demo_server, "badong")
    page.goto(f"{url}/projects/new/")
    assert page.locator("#id_status").count() == 0  # a new project is a draft
    page.fill("#id_code", CODE)
    page.fill("#id_name", "浏览器测试：茶店子镇污水收集管网")
    choose(page, "#id_pairing", "北京市 → 巴东县 · ")
    choose(page, "#id_key_task", "加强生态")
    page.fill("#id_location", "茶店子镇")
    page.fill("#id_start_year", str(D0.year))
    page.fill("#id_end_year", str(dt.date.today().year))
    page.fill("#id_budget", "1200000")
    choose(page, "#id_implementing_unit", "巴东县茶店子镇人民政府")
    page.fill("#id_farmer_linkage", "优先雇用本地农户参与管网施工。")
    save(page)
    project_url = page.url.split("#")[0]
    project_id = int(re.search(r"/projects/(\d+)/", project_url).group(1))
    assert status(page) == "draft"
    page.goto(f"{url}/project-outputs/new/?" + urlencode({"project": project_id, "name": "污水收集管网", "quantity": 5,
                                                          "unit": "公里"}))
    save(page)
    for level1, level2, name, operator, target, unit, weight in (
        ("output", "quantity", "新建污水收集管网", "gte", "5", "公里", "50"),
        ("effect", "ecological", "受益农户", "gte", "300", "户", "30"),
        ("satisfaction", "beneficiary", "群众满意度", "gte", "90", "%", "10"),
    ):
        page.goto(f"{url}/performance-indicators/new/?" + urlencode({
            "project": project_id, "level1": level1, "level2": level2, "name": name, "operator": operator,
            "target_value": target, "unit": unit, "weight": weight}))
        save(page)

    take_step(page, project_url, "propose", day(0), expect="proposed", doc_no="巴区合〔LC〕1号")
    take_step(page, project_url, "township_review", day(1), expect="township_reviewed", decision="approve",
              opinion="经茶店子镇审核，同意上报。")
    publish_notice(page, demo_server, project_id, day(2), day(11))  # 项目库公示

    # 北京市: sends the library entry back once, then approves, allocates, plans ----------------------
    sign_in(page, demo_server, "beijing")
    assert CODE in todo_codes(page, demo_server)
    screenshot(page, "lifecycle-todo-beijing")
    take_step(page, project_url, "approve_library", day(12), expect="township_reviewed", decision="reject",
              opinion="请补充受益农户名单。")
    take_step(page, project_url, "approve_library", day(13), expect="in_library", decision="approve",
              doc_no="京援审〔LC〕1号", opinion="同意入库。")
    page.goto(f"{url}/fund-allocations/new/?" + urlencode({
        "project": project_id, "year": D0.year, "level": "city", "stream": "grant", "amount": 1200000,
        "date": day(14), "doc_no": "京巴援〔LC〕1号"}))
    save(page)
    publish_notice(page, demo_server, project_id, day(15), day(24))  # 年度计划公告 (lists the allocated project)
    take_step(page, project_url, "plan", day(25), expect="planned", decision="approve", doc_no="京巴援〔LC〕1号")
    assert CODE not in todo_codes(page, demo_server)

    # 巴东县: implementation ----------------------------------------------------------------------------
    sign_in(page, demo_server, "badong")
    assert CODE in todo_codes(page, demo_server)
    take_step(page, project_url, "agree", day(26), expect="agreed", doc_no="巴协〔LC〕1号")
    take_step(page, project_url, "procure", day(27), expect="preparing")
    publish_notice(page, demo_server, project_id, day(28), day(37))  # 实施前公示
    take_step(page, project_url, "start", day(38), expect="in_progress")
    take_step(page, project_url, "complete", day(40), expect="completed")
    take_step(page, project_url, "accept", day(41), expect="accepted", decision="approve", doc_no="巴验〔LC〕1号")
    take_step(page, project_url, "hand_over", day(42), expect="handed_over")
    enter_actuals(page, demo_server, project_id, day(43))
    take_step(page, project_url, "evaluate", day(43), expect="evaluated", opinion="绩效自评：优")
    take_step(page, project_url, "audit", day(44), expect="audited")
    publish_notice(page, demo_server, project_id, day(45), day(54))  # 竣工公告

    # 北京市 closes it -------------------------------------------------------------------------------
    sign_in(page, demo_server, "beijing")
    take_step(page, project_url, "close", day(55), expect="closed", decision="approve", doc_no="京援结〔LC〕1号")
    history = page.locator("table.approvals tbody tr")
    assert history.count() == 14  # 13 steps and the rejection
    assert page.locator("tr[data-approval='approve_library'] td.decision-reject").count() == 1
    assert "data-no-steps" in page.content()
    screenshot(page, "lifecycle-closed")
    page.goto(f"{url}/approvals/?q={CODE}")
    assert page.locator("[data-count]").get_attribute("data-count") == "14"
