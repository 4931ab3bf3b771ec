"""``duikou check``, the KPIs and the dashboard's KPI row and warnings card on the Beijing → Badong demo.

The KPIs are compared with figures computed independently: ORM aggregates and raw SQL over the
same records.
"""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q, Sum
from django.urls import reverse

from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundTransaction
from duikou.organisations.selectors import pairing_find, pairing_tree_ids
from duikou.projects.choices import COUNTED_STATUSES
from duikou.projects.models import Project
from duikou.reports.checks import pairing_check
from duikou.reports.kpis import pairing_kpis, pairing_kpis_by_year
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def demo(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        return pairing_find(actor=SYSTEM, supporter="北京市", recipient="巴东县")


def run(*args) -> str:
    out = io.StringIO()
    call_command("check", *args, "--language", "en", stdout=out)
    return out.getvalue()


# KPIs against independent figures ------------------------------------------------------------------


def orm_kpis(pairing, year_from, year_to):
    ids = pairing_tree_ids(pairing)
    grant = FundTransaction.objects.filter(pairing_id__in=ids, stream="grant", year__gte=year_from, year__lte=year_to)

    def total(kind):
        return grant.filter(kind=kind).aggregate(s=Sum("amount"))["s"] or Decimal(0)

    planned = Project.objects.filter(pairing_id__in=ids, status__in=COUNTED_STATUSES).filter(
        Q(annual_plan__kind="annual", annual_plan__start_year__gte=year_from, annual_plan__start_year__lte=year_to)
        | Q(fund_transactions__kind="allocation", fund_transactions__stream="grant",
            fund_transactions__year__gte=year_from, fund_transactions__year__lte=year_to)
    ).distinct()
    started = ["in_progress", "completed", "accepted", "handed_over", "evaluated", "audited", "closed"]
    paused = ["change_pending", "suspended"]

    def count(statuses):
        return planned.filter(Q(status__in=statuses) | Q(status__in=paused, return_status__in=statuses)).count()

    return {"allocated": total("allocation"), "received": total("receipt"), "spent": total("expenditure"),
            "planned": planned.count(), "started": count(started), "completed": count(started[1:])}


@pytest.mark.parametrize(("year_from", "year_to"), [(2024, 2024), (2021, 2024), (2020, 2020), (1992, 2025)])
def test_kpis_equal_independent_orm_figures(demo, year_from, year_to):
    k = pairing_kpis(actor=SYSTEM, pairing=demo, year_from=year_from, year_to=year_to)
    expected = orm_kpis(demo, year_from, year_to)
    assert (k.allocated, k.received, k.spent) == (expected["allocated"], expected["received"], expected["spent"])
    assert (k.planned_projects, k.started_projects, k.completed_projects) == (
        expected["planned"], expected["started"], expected["completed"])
    assert k.planned_projects > 0
    assert k.funds_in_place_rate == (expected["received"] / expected["allocated"]).quantize(Decimal("0.0001"))
    assert k.start_rate == (Decimal(expected["started"]) / expected["planned"]).quantize(Decimal("0.0001"))


def test_funds_kpis_equal_raw_sql(demo):
    ids = ",".join(str(i) for i in pairing_tree_ids(demo))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, SUM(amount) FROM funds_fundtransaction "
            f"WHERE stream = 'grant' AND year = 2024 AND pairing_id IN ({ids}) GROUP BY kind"
        )
        sums = {kind: Decimal(str(total)) for kind, total in cursor.fetchall()}
    k = pairing_kpis(actor=SYSTEM, pairing=demo, year_from=2024, year_to=2024)
    assert k.spend_rate == (sums["expenditure"] / sums["allocation"]).quantize(Decimal("0.0001"))
    assert k.funds_in_place_rate == (sums["receipt"] / sums["allocation"]).quantize(Decimal("0.0001"))
    assert k.spend_rate == Decimal("0.7166")  # 2024's projects are under way: 60 % spent on most


def test_kpis_by_year_add_up_to_the_range(demo):
    years = pairing_kpis_by_year(actor=SYSTEM, pairing=demo, year_from=2021, year_to=2024)
    whole = pairing_kpis(actor=SYSTEM, pairing=demo, year_from=2021, year_to=2024)
    assert [k.year_from for k in years] == [2021, 2022, 2023, 2024]
    assert sum(k.allocated for k in years) == whole.allocated
    assert sum(k.spent for k in years) == whole.spent


def test_a_scoped_user_sees_the_kpis_of_the_records_they_may_read(demo):
    foreign = f.UserFactory()
    f.MembershipFactory(user=foreign, organisation=f.OrganisationFactory(), role=f.RoleFactory(code="supporter_office"))
    k = pairing_kpis(actor=foreign, pairing=demo, year_from=2024, year_to=2024)
    assert (k.allocated, k.planned_projects, k.start_rate) == (0, 0, None)


# duikou check ---------------------------------------------------------------------------------------


def test_check_on_the_demo_lists_the_warnings_of_2024(demo):
    out = run("--supporter", "北京市", "--recipient", "巴东县", "--year", "2024", "--date", "2024-12-31")
    assert out.startswith("北京市 → 巴东县 · budget year 2024 · as of 2024-12-31")
    assert "Funds in place (资金到位率): 100.0 %" in out
    assert "Spending progress (资金支出进度): 71.7 % (spent 49,160,000.00 of 68,600,000.00 yuan allocated)" in out
    assert "[alloc.min_share_minsheng] 2024: 25.5 %" in out
    assert "[progress.q4_spend_min] By the end of Q4 2024 (2024-12-31)" in out
    assert "BJBD-2024-SJK" in out  # a project named as a record involved
    assert "[funds.idle_years_realloc]" not in out  # not yet two years old


def test_check_finds_idle_money_two_years_on(demo):
    out = run("--supporter", "北京市", "--recipient", "巴东县", "--from", "2024", "--date", ON.isoformat())
    assert "[funds.idle_years_realloc] 19,440,000.00 yuan allocated for 2024 is still unspent after 2 years" in out


def test_check_json_holds_the_kpis_and_warnings(demo):
    data = json.loads(run("--supporter", "北京市", "--recipient", "巴东县", "--year", "2024", "--date", "2024-12-31",
                          "--json"))
    [report] = data["pairings"]
    k = pairing_kpis(actor=SYSTEM, pairing=demo, year_from=2024, year_to=2024)
    assert report["kpis"] == k.as_json()
    assert report["kpis"]["spend_rate"] == "0.7166" and report["kpis"]["allocated_yuan"] == "68600000.00"
    assert data["warnings"] == len(report["warnings"]) > 0
    minsheng = next(w for w in report["warnings"] if w["rule"] == "alloc.min_share_minsheng")
    assert (minsheng["figure"], minsheng["threshold"], minsheng["unit"]) == ("0.2547", "0.80", "share")
    assert all(r["kind"] == "project" and r["id"] and r["label"] for r in minsheng["records"])


def test_check_exit_code(demo):
    run("--supporter", "北京市", "--recipient", "巴东县", "--year", "2024", "--date", "2024-12-31")  # 0
    with pytest.raises(CommandError) as info:
        run("--supporter", "北京市", "--recipient", "巴东县", "--year", "2024", "--date", "2024-12-31",
            "--fail-on-warning")
    assert info.value.returncode == 1 and "warnings" in str(info.value)


def test_a_pairing_rule_changes_the_check(demo):
    from duikou.rules.services import rule_set_from_year

    rule_set_from_year(actor=SYSTEM, key="alloc.min_share_minsheng", value="0.25", year=2024,
                       supporter=demo.supporter, recipient=demo.recipient, source="test")
    out = run("--supporter", "北京市", "--recipient", "巴东县", "--year", "2024", "--date", "2024-12-31")
    assert "alloc.min_share_minsheng" not in out
    out = run("--supporter", "北京市", "--recipient", "巴东县", "--year", "2023", "--date", "2023-12-31")
    assert "[alloc.min_share_minsheng] 2023" in out  # the rule holds from 2024 on


@pytest.mark.parametrize(("args", "option"), [
    (["--date", "2024-13-01"], "--date"),
    (["--year", "1800"], "--year"),
    (["--year", "2024", "--from", "2023"], "--year"),
    (["--from", "2024", "--to", "2023"], "--to"),
    (["--supporter", "火星市"], "--supporter"),
])
def test_check_errors_name_the_option(demo, args, option):
    with pytest.raises(CommandError, match=option):
        run(*args)


def test_check_without_filters_checks_every_top_level_pairing(demo):
    out = run("--year", "2024", "--date", "2024-12-31")
    assert "北京市 → 巴东县 · budget year 2024" in out
    assert not any(block.startswith("房山区 → 巴东县") for block in out.split("\n\n"))  # inside 北京市's


# the dashboard ---------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(f.UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_dashboard_shows_the_kpis_and_the_warnings_with_links(admin_client, demo):
    url = reverse("dashboard", args=[demo.pk]) + "?period=2024"
    response = admin_client.get(url)
    assert response.status_code == 200
    kpis = {k["key"]: k for k in response.context["kpis"]}
    expected = pairing_kpis(actor=SYSTEM, pairing=demo, year_from=2024, year_to=2024)
    assert Decimal(kpis["spend_rate"]["raw"]) == expected.spend_rate
    assert Decimal(kpis["start_rate"]["raw"]) == expected.start_rate
    assert kpis["funds_in_place"]["value"] == "100.0 %"
    report = pairing_check(actor=SYSTEM, pairing=demo, year_from=2024, year_to=2024)
    assert response.context["warnings_total"] == len(report.warnings)
    body = response.content.decode()
    assert 'data-kpi="completion_rate"' in body and 'data-rule="alloc.min_share_minsheng"' in body
    project = Project.objects.get(code="BJBD-2024-SJK")
    assert reverse("ui:projects-detail", args=[project.pk]) in body
    assert reverse("ui:rules-list") in body
    spend = admin_client.get(kpis["spend_rate"]["url"])
    assert spend.status_code == 200
    assert Decimal(spend.context["total"].replace(",", "")) == expected.spent


def test_dashboard_lists_at_most_twenty_warnings(admin_client, demo):
    response = admin_client.get(reverse("dashboard", args=[demo.pk]) + "?period=all")
    assert len(response.context["warnings"]) <= 20
    if response.context["warnings_total"] > 20:
        assert response.context["warnings_more"] == response.context["warnings_total"] - 20
        assert "请运行 duikou check 查看" in response.content.decode()
