"""Home, dashboard, national overview and chart data, on the Beijing → Badong demo.

The key check: each headline card equals ``pairing_figures`` (what ``duikou stats`` prints), and
the register its link opens shows exactly the rows behind it (same count, same total).
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duikou.core.permissions import SYSTEM
from duikou.organisations.models import Organisation
from duikou.organisations.selectors import pairing_find
from duikou.reports.selectors import pairing_figures
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

PERIODS = {"all": (1992, None), "14th": (2021, 2025), "2024": (2024, 2024)}


@pytest.fixture(scope="module")
def demo(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        pairing = pairing_find(actor=SYSTEM, supporter="北京市", recipient="巴东县")
        fangshan = pairing_find(actor=SYSTEM, supporter="房山区", recipient="巴东县")
    return pairing, fangshan


@pytest.fixture
def admin_client(client):
    client.force_login(f.UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def member(org_name: str, role: str):
    user = f.UserFactory()
    f.MembershipFactory(user=user, organisation=Organisation.objects.get(name=org_name), role=f.RoleFactory(code=role))
    return user


def dashboard_url(pairing, period="all"):
    return reverse("dashboard", args=[pairing.pk]) + f"?period={period}"


@pytest.mark.parametrize("period", PERIODS)
def test_cards_equal_the_figures_and_their_registers(admin_client, demo, period):
    pairing, _fangshan = demo
    response = admin_client.get(dashboard_url(pairing, period))
    assert response.status_code == 200
    year_from, year_to = response.context["year_from"], response.context["year_to"]
    assert year_from == PERIODS[period][0]
    figures = pairing_figures(actor=SYSTEM, pairing=pairing, year_from=year_from, year_to=year_to)
    cards = {c["key"]: c for c in response.context["cards"]}
    assert Decimal(cards["aid_funds"]["raw"]) == figures.aid_funds_yuan
    assert int(cards["projects"]["raw"]) == figures.projects
    assert int(cards["cadres"]["raw"]) == figures.cadres_seconded
    assert int(cards["training"]["raw"]) == figures.training_person_times
    assert Decimal(cards["consumption"]["raw"]) == figures.contract_sales_yuan
    assert int(cards["investment"]["raw"]) == figures.enterprises_introduced

    def follow(key):
        r = admin_client.get(cards[key]["url"])
        assert r.status_code == 200, cards[key]["url"]
        return r.context

    def money(text):
        return Decimal(text.replace(",", ""))

    def summary(ctx, key):
        return next(s["value"] for s in ctx["summaries"] if s["key"] == key)

    ctx = follow("aid_funds")
    assert money(ctx["total"]) == figures.aid_funds_yuan
    ctx = follow("projects")
    assert ctx["paginator"].count == figures.projects
    ctx = follow("cadres")
    assert ctx["paginator"].count == figures.cadres_seconded
    assert int(summary(ctx, "batches")) == figures.cadre_batches
    ctx = follow("training")
    assert int(summary(ctx, "person_times").replace(",", "")) == figures.training_person_times
    ctx = follow("consumption")
    assert money(ctx["total"]) == figures.contract_sales_yuan
    ctx = follow("investment")
    assert int(summary(ctx, "enterprises")) == figures.enterprises_introduced


def test_the_article_figures_are_on_the_dashboard(admin_client, demo):
    pairing, _fangshan = demo
    body = admin_client.get(dashboard_url(pairing, "14th")).content.decode()
    assert 'data-card="projects"' in body
    cards = {c["key"]: c for c in admin_client.get(dashboard_url(pairing, "2024")).context["cards"]}
    assert cards["consumption"]["value"] == "1,836.00万元"  # 2024: 1836万元 of sales contracts


def test_period_switch_by_htmx_returns_only_the_body(admin_client, demo):
    pairing, _fangshan = demo
    full = admin_client.get(dashboard_url(pairing, "14th")).content.decode()
    part = admin_client.get(dashboard_url(pairing, "14th"), headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and "<html" not in part
    assert 'data-card="aid_funds"' in part
    assert 'data-period="14th" class="current"' in part


@pytest.mark.parametrize("period", ["1800", "abc", "2031-"])
def test_unknown_period_is_404(admin_client, demo, period):
    pairing, _fangshan = demo
    assert admin_client.get(dashboard_url(pairing, period)).status_code == 404


def test_other_organisations_get_404_never_the_data(client, demo):
    pairing, fangshan = demo
    client.force_login(member("上海市", "supporter_office"))
    for url in (dashboard_url(pairing), reverse("chart-funds-by-year", args=[pairing.pk]),
                reverse("chart-projects-by-task", args=[pairing.pk]), reverse("chart-progress", args=[pairing.pk]),
                reverse("chart-locations", args=[pairing.pk]), reverse("chart-funds-by-task", args=[pairing.pk])):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("overview")).status_code == 403
    assert client.get(reverse("chart-overview")).status_code == 403
    # 房山区's office sees its own sub-pairing's dashboard, not Beijing's
    client.force_login(member("房山区", "district_office"))
    assert client.get(dashboard_url(pairing)).status_code == 404
    assert client.get(dashboard_url(fangshan)).status_code == 200


def test_home_sends_each_user_to_their_page(client, demo):
    pairing, fangshan = demo
    client.force_login(member("北京市", "supporter_office"))
    assert client.get("/")["Location"] == reverse("dashboard", args=[pairing.pk])
    # 巴东县 is in three programmes (三峡 with 北京市; 东西部协作 and 老区 with 杭州市拱墅区): a choice
    client.force_login(member("巴东县", "recipient_office"))
    response = client.get("/")
    assert response.status_code == 200
    assert [p.pk for p in response.context["pairings"]][0] == pairing.pk
    assert len(response.context["pairings"]) == 3
    client.force_login(member("房山区", "district_office"))
    assert client.get("/")["Location"] == reverse("dashboard", args=[fangshan.pk])
    client.force_login(member("水利部", "national_supervisor"))
    assert client.get("/")["Location"] == reverse("overview")
    client.force_login(f.UserFactory())
    response = client.get("/")
    assert response.status_code == 200 and response.context["pairings"] == []


def test_chart_data_comes_from_the_same_figures(admin_client, demo):
    pairing, _fangshan = demo
    figures = pairing_figures(actor=SYSTEM, pairing=pairing, year_from=2021, year_to=2025)
    data = admin_client.get(reverse("chart-funds-by-year", args=[pairing.pk]) + "?period=14th").json()
    assert data["categories"] == ["2021", "2022", "2023", "2024", "2025"]
    total = sum(Decimal(v) for s in data["series"] for v in s["data"])
    assert total == figures.aid_funds_yuan
    data = admin_client.get(reverse("chart-projects-by-task", args=[pairing.pk]) + "?period=14th").json()
    assert sum(data["series"][0]["data"]) == figures.projects
    data = admin_client.get(reverse("chart-funds-by-task", args=[pairing.pk]) + "?period=14th").json()
    by_task = sum(Decimal(v) for v in data["series"][0]["data"])
    assert by_task == sum(t.funds_yuan for t in figures.projects_by_task.values())
    data = admin_client.get(reverse("chart-progress", args=[pairing.pk]) + "?period=14th").json()
    assert Decimal(data["series"][0]["data"][0]) == figures.planned_funds_yuan


def test_national_overview_sorts_and_counts_every_pairing(client, demo):
    pairing, _fangshan = demo
    client.force_login(member("水利部", "national_supervisor"))
    response = client.get(reverse("overview"), {"period": "14th", "sort": "-funds"})
    assert response.status_code == 200
    rows = [p["row"] for p in response.context["pairings"]]
    assert [r.funds_yuan for r in rows] == sorted((r.funds_yuan for r in rows), reverse=True)
    badong = next(r for r in rows if r.pairing_id == pairing.pk)
    figures = pairing_figures(actor=SYSTEM, pairing=pairing, year_from=2021, year_to=2025)
    assert badong.funds_yuan == figures.aid_funds_yuan and badong.projects == figures.projects
    by_name = client.get(reverse("overview"), {"sort": "recipient"}).context["pairings"]
    names = [p["row"].recipient for p in by_name]
    assert names == sorted(names)
    chart = client.get(reverse("chart-overview"), {"period": "14th"}).json()
    assert "北京市" in chart["categories"]


def test_dashboard_queries_are_bounded(admin_client, demo):
    pairing, _fangshan = demo
    url = dashboard_url(pairing, "14th")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        admin_client.get(url)
    # session and user, the figures (one query per group), the KPIs and the monitoring rules (rules, envelopes,
    # funds, notices, catalogue, sales), the charts and the latest changes: a fixed number, whatever the data.
    assert len(ctx) <= 45, "\n".join(q["sql"][:150] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        admin_client.get(reverse("overview"))
    assert len(ctx) <= 15
