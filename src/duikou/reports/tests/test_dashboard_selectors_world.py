"""The dashboard and national-overview selectors on the standard world, with the rows each test needs.

北京市 → 巴东县 ("city", from 1992) with 房山区 → 巴东县 inside it ("sub", from 2021), and the unrelated
上海市 → 夷陵区 ("foreign"), one user per role. (The demo's checks are in ``test_dashboard_selectors``;
the two cannot share a module: both make 北京市.)
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duikou.audit.models import ObjectChange
from duikou.core.choices import FundLevel, FundStream
from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundTransaction
from duikou.plans.choices import PlanKind
from duikou.projects.choices import COUNTED_STATUSES, ProjectStatus
from duikou.projects.models import Project
from duikou.projects.selectors import project_counted
from duikou.projects.services import project_update
from duikou.reports import selectors as s
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

CITY, SUB, FOREIGN = "beijing_badong", "fangshan_badong", "shanghai_yiling"
TODAY = dt.date(2024, 6, 1)


def project(pairing, *, year=2023, status=ProjectStatus.IN_PROGRESS, **kwargs):
    return f.ProjectFactory(pairing=pairing, start_year=year, end_year=year, status=status, **kwargs)


def allocate(pairing, amount, *, year=2023, level=FundLevel.CITY, stream=FundStream.GRANT, to=None):
    return f.FundAllocationFactory(pairing=pairing, project=to or project(pairing, year=year), year=year, level=level,
                                   stream=stream, amount=Decimal(amount))


def move(pairing, kind, amount, year=2023):
    return f.FundTransactionFactory(pairing=pairing, kind=kind, year=year, amount=Decimal(amount))


# the shared constant ------------------------------------------------------------------------


def test_counted_statuses_are_one_constant(pairings):
    assert s.COUNTED_PROJECT_STATUSES is COUNTED_STATUSES
    assert ProjectStatus.CANCELLED not in COUNTED_STATUSES and ProjectStatus.IN_LIBRARY not in COUNTED_STATUSES
    city = pairings.pairings[CITY]
    counted = project(city, status=ProjectStatus.PLANNED)
    project(city, status=ProjectStatus.CANCELLED)
    project(city, status=ProjectStatus.DRAFT)
    assert list(project_counted(Project.objects.filter(pairing=city))) == [counted]


# periods ------------------------------------------------------------------------------------


def test_a_pairing_still_running_offers_years_up_to_this_year(pairings):
    sub = pairings.pairings[SUB]
    assert s.pairing_years(sub, TODAY) == [2021, 2022, 2023, 2024]
    assert s.period_years(sub, "all", TODAY) == (2021, 2024)
    with pytest.raises(ValidationError):
        s.period_years(sub, "2025", TODAY)  # inside the pairing, but not yet
    later = f.PairingFactory(valid_from=dt.date(2026, 1, 1))
    assert s.pairing_years(later, TODAY) == []
    assert s.period_years(later, "all", TODAY) == (2026, 2026)


def test_selectors_refuse_years_in_the_wrong_order(pairings):
    city = pairings.pairings[CITY]
    for selector in (s.funds_by_year, s.funds_progress, s.projects_by_task, s.project_locations):
        with pytest.raises(ValidationError):
            selector(actor=SYSTEM, pairing=city, year_from=2024, year_to=2023)
    with pytest.raises(ValidationError):
        s.national_overview(actor=SYSTEM, year_from=2024, year_to=2023)


# funds --------------------------------------------------------------------------------------


def test_funds_by_year_by_level_with_the_sub_pairing_and_zeros(pairings):
    city, sub = pairings.pairings[CITY], pairings.pairings[SUB]
    allocate(city, "100.50", year=2022)
    allocate(city, "200", year=2022)
    allocate(sub, "30", year=2022, level=FundLevel.DISTRICT)
    allocate(city, "7", year=2024, level=FundLevel.OTHER)
    allocate(city, "1000", year=2022, stream=FundStream.ECON)  # the other stream: never added in
    move(city, FundTransaction.Kind.RECEIPT, "999", 2022)  # not an allocation
    allocate(pairings.pairings[FOREIGN], "5000", year=2022)

    rows = s.funds_by_year(actor=SYSTEM, pairing=city, year_from=2021, year_to=2024)
    assert rows == [
        s.YearFunds(2021, Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        s.YearFunds(2022, Decimal("300.50"), Decimal("30.00"), Decimal("0.00")),
        s.YearFunds(2023, Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        s.YearFunds(2024, Decimal("0.00"), Decimal("0.00"), Decimal("7.00")),
    ]
    assert rows[1].total == Decimal("330.50")
    figures = s.pairing_figures(actor=SYSTEM, pairing=city, year_from=2021, year_to=2024)
    assert sum((r.total for r in rows), Decimal(0)) == figures.aid_funds_yuan
    assert s.funds_by_year(actor=SYSTEM, pairing=sub, year_from=2022, year_to=2022)[0].district == Decimal("30.00")


def test_funds_by_year_are_restricted(pairings):
    city, sub = pairings.pairings[CITY], pairings.pairings[SUB]
    allocate(city, "100", year=2022)
    allocate(sub, "30", year=2022, level=FundLevel.DISTRICT)

    def year_2022(key):
        [row] = s.funds_by_year(actor=pairings.user(key), pairing=city, year_from=2022, year_to=2022)
        return row.city, row.district

    assert year_2022("supporter") == year_2022("recipient") == year_2022("national") == (100, 30)
    assert year_2022("district") == (0, 30)
    assert year_2022("foreign") == (0, 0)


def test_funds_progress_definitions(pairings):
    city, sub = pairings.pairings[CITY], pairings.pairings[SUB]
    allocate(city, "100", year=2022)
    allocate(sub, "50", year=2023, level=FundLevel.DISTRICT)
    move(city, FundTransaction.Kind.REMITTANCE, "90", 2022)
    move(city, FundTransaction.Kind.RECEIPT, "80", 2022)
    move(sub, FundTransaction.Kind.RECEIPT, "40", 2023)
    move(city, FundTransaction.Kind.DISBURSEMENT, "70", 2022)  # 县级拨付: not one of the steps shown
    move(city, FundTransaction.Kind.EXPENDITURE, "60", 2022)
    move(city, FundTransaction.Kind.EXPENDITURE, "1", 2020)  # before the years
    f.FundTransactionFactory(pairing=city, kind=FundTransaction.Kind.EXPENDITURE, year=2022, amount=Decimal("500"),
                             stream=FundStream.ECON)

    progress = s.funds_progress(actor=SYSTEM, pairing=city, year_from=2021, year_to=2025)
    assert progress == s.FundsProgress(year_from=2021, year_to=2025, planned=None, allocated=Decimal("150.00"),
                                       remitted=Decimal("90.00"), received=Decimal("120.00"), spent=Decimal("60.00"))
    assert s.funds_progress(actor=pairings.user("foreign"), pairing=city, year_from=2021, year_to=2025) == (
        s.FundsProgress(2021, 2025, None, *[Decimal("0.00")] * 4))


def test_planned_funds_from_the_five_year_plan_or_the_annual_plans(pairings):
    city, sub = pairings.pairings[CITY], pairings.pairings[SUB]
    five_year = f.PlanFactory(pairing=city, start_year=2021, end_year=2025)
    f.PlanEnvelopeFactory(plan=five_year, amount=Decimal("260000000"))
    f.PlanEnvelopeFactory(plan=five_year, stream=FundStream.ECON, amount=Decimal("1"))
    for year, amount, pairing in ((2022, "40000000", city), (2023, "45000000", city), (2023, "5000000", sub)):
        annual = f.PlanFactory(pairing=pairing, kind=PlanKind.ANNUAL, start_year=year, end_year=year, parent=five_year)
        f.PlanEnvelopeFactory(plan=annual, amount=Decimal(amount))
    f.PlanFactory(pairing=city, kind=PlanKind.ANNUAL, start_year=2024, end_year=2024)  # no envelope

    def planned(y1, y2):
        return s.funds_progress(actor=SYSTEM, pairing=city, year_from=y1, year_to=y2).planned

    assert planned(2021, 2025) == Decimal("260000000.00")  # exactly the five-year plan's years
    assert planned(2022, 2023) == Decimal("90000000.00")  # the annual plans, the district's included
    assert planned(2021, 2024) == Decimal("90000000.00")
    assert planned(2023, 2023) == Decimal("50000000.00")
    assert planned(2024, 2024) is None  # an annual plan without an envelope plans nothing shown
    figures = s.pairing_figures(actor=SYSTEM, pairing=city, year_from=2022, year_to=2023)
    assert figures.planned_funds_yuan is None, "the headline figure keeps to the five-year plan"
    assert s.funds_progress(actor=pairings.user("foreign"), pairing=city, year_from=2021, year_to=2025).planned is None


# projects -----------------------------------------------------------------------------------


def test_projects_by_task_count_counted_projects_and_their_allocations(pairings):
    city, sub = pairings.pairings[CITY], pairings.pairings[SUB]
    ecology = f.KeyTaskFactory(code="ecology")
    school = project(city, key_task=f.KeyTaskFactory(code="public_services"))
    allocate(city, "900", to=school)
    allocate(sub, "100", to=project(sub, key_task=ecology), level=FundLevel.DISTRICT)
    project(city, key_task=ecology, status=ProjectStatus.CANCELLED)
    project(city, key_task=ecology, year=2020)

    rows = {r.code: r for r in s.projects_by_task(actor=SYSTEM, pairing=city, year_from=2021, year_to=2024)}
    assert list(rows) == ["ecology", "industry", "public_services", "urban_rural", "opening_up"]
    assert (rows["public_services"].projects, rows["public_services"].funds_yuan) == (1, Decimal("900.00"))
    assert (rows["ecology"].projects, rows["ecology"].funds_yuan) == (1, Decimal("100.00"))
    assert rows["industry"] == s.TaskRow("industry", "支持产业高质量发展", 0, Decimal("0.00"))
    district = {r.code: r.projects for r in s.projects_by_task(actor=pairings.user("district"), pairing=city,
                                                                year_from=2021, year_to=2024)}
    assert district == {"ecology": 1, "industry": 0, "public_services": 0, "urban_rural": 0, "opening_up": 0}


@pytest.mark.parametrize(("location", "township"), [
    ("信陵镇", "信陵镇"),
    ("信陵镇 青龙桥村", "信陵镇"),
    ("  信陵镇　青龙桥村", "信陵镇"),  # a full-width space
    ("野三关镇，石桥坪村", "野三关镇"),
    ("野三关镇,石桥坪村", "野三关镇"),
    ("溪丘湾乡、金果坪乡", "溪丘湾乡"),
    ("水布垭镇/岩板村", "水布垭镇"),
    ("官渡口镇（移民小区）", "官渡口镇"),
    ("茶店子镇·龙池村", "茶店子镇"),
    ("信陵镇青龙桥村", "信陵镇青龙桥村"),  # no separator: the whole text
    ("", ""),
    ("  ", ""),
])
def test_township_of_a_location(location, township):
    assert s.township_of(location) == township


def test_project_locations_by_township_and_points(pairings):
    city, sub = pairings.pairings[CITY], pairings.pairings[SUB]
    a = project(city, location="信陵镇 青龙桥村", budget=Decimal("100"), latitude=Decimal("31.041234"),
                longitude=Decimal("110.34"), code="P-B")
    project(city, location="信陵镇，东村", budget=Decimal("50"))
    b = project(sub, location="野三关镇", budget=Decimal("70"), latitude=Decimal("30.6"), longitude=Decimal("110.1"),
                code="P-A")
    project(city, location="", budget=Decimal("5"))
    project(city, location="野三关镇", budget=Decimal("999"), status=ProjectStatus.DRAFT)  # not counted
    project(city, location="信陵镇", budget=Decimal("1"), latitude=Decimal("31"))  # no longitude: no point

    locations = s.project_locations(actor=SYSTEM, pairing=city, year_from=2021, year_to=2024)
    assert [(r.township, r.projects, r.budget_yuan) for r in locations.townships] == [
        ("信陵镇", 3, Decimal("151.00")), ("野三关镇", 1, Decimal("70.00")), ("", 1, Decimal("5.00"))]
    assert [str(r.name) for r in locations.townships[:2]] == ["信陵镇", "野三关镇"]
    assert locations.points == [
        {"id": b.pk, "code": "P-A", "name": b.name, "latitude": "30.600000", "longitude": "110.100000"},
        {"id": a.pk, "code": "P-B", "name": a.name, "latitude": "31.041234", "longitude": "110.340000"},
    ]
    district = s.project_locations(actor=pairings.user("district"), pairing=city, year_from=2021, year_to=2024)
    assert [(r.township, r.projects) for r in district.townships] == [("野三关镇", 1)]
    assert [p["code"] for p in district.points] == ["P-A"]


# recent changes -----------------------------------------------------------------------------


def test_recent_changes_are_the_pairings_and_the_actors(pairings):
    city, foreign = pairings.pairings[CITY], pairings.pairings[FOREIGN]
    ours, theirs = project(city), project(foreign)
    project_update(actor=SYSTEM, instance=ours, name="北京援建项目")
    project_update(actor=SYSTEM, instance=theirs, name="上海援建项目")
    [our_change] = ObjectChange.objects.filter(object_id=str(ours.pk), content_type__model="project")

    for key in ("supporter", "recipient", "national", "admin"):
        changes = s.recent_changes(actor=pairings.user(key), pairing=city)
        assert changes[0] == our_change, key
        assert "上海援建项目" not in {c.object_repr for c in changes}
        assert changes[0].content_type.model == "project"
    assert s.recent_changes(actor=pairings.user("foreign"), pairing=city) == []
    assert s.recent_changes(actor=pairings.user("district"), pairing=city) == []  # the city's project
    assert [c.object_repr for c in s.recent_changes(actor=pairings.user("foreign"), pairing=foreign)] == [
        str(theirs)]


def test_recent_changes_include_organisations_under_the_two_sides(pairings):
    """A change to 房山区's project shows on 北京市 → 巴东县 (房山区 is under 北京市)."""
    city, sub = pairings.pairings[CITY], pairings.pairings[SUB]
    district_project = project(sub)
    project_update(actor=SYSTEM, instance=district_project, name="房山援建项目")
    assert [c.object_repr for c in s.recent_changes(actor=SYSTEM, pairing=city, limit=1)] == [str(district_project)]


# national overview --------------------------------------------------------------------------


def test_national_overview_rows(pairings):
    city, sub, foreign = pairings.pairings[CITY], pairings.pairings[SUB], pairings.pairings[FOREIGN]
    allocate(city, "100", year=2022)
    allocate(sub, "30", year=2022, level=FundLevel.DISTRICT)
    allocate(foreign, "500", year=2023)
    project(foreign, status=ProjectStatus.DRAFT)
    allocate(city, "1", year=2020)  # before the years

    overview = s.national_overview(actor=pairings.user("national"), year_from=2021, year_to=2024)
    assert [(r.supporter, r.recipient, r.funds_yuan, r.projects) for r in overview.pairings] == [
        ("上海市", "夷陵区", Decimal("500.00"), 1), ("北京市", "巴东县", Decimal("130.00"), 2)]
    assert overview.pairings[1].pairing_id == city.pk and overview.pairings[1].programme == city.programme.name
    assert [(t.name, t.pairings, t.funds_yuan, t.projects) for t in overview.supporters] == [
        ("上海市", 1, Decimal("500.00"), 1), ("北京市", 1, Decimal("130.00"), 2)]
    assert [(t.name, t.organisation_id) for t in overview.recipients] == [
        ("夷陵区", foreign.recipient_id), ("巴东县", city.recipient_id)]
    assert (overview.funds_yuan, overview.projects) == (Decimal("630.00"), 3)

    supporter = s.national_overview(actor=pairings.user("supporter"), year_from=2021, year_to=2024)
    assert [(r.supporter, r.funds_yuan) for r in supporter.pairings] == [("北京市", Decimal("130.00"))]


def test_national_overview_runs_a_fixed_number_of_queries(pairings):
    """Four queries for three pairings or ten, with or without sub-pairings."""
    allocate(pairings.pairings[CITY], "100", year=2022)
    allocate(pairings.pairings[SUB], "30", year=2022)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            overview = s.national_overview(actor=SYSTEM, year_from=2021, year_to=2024)
        return len(captured), overview

    few, overview = queries()
    assert len(overview.pairings) == 2
    for _ in range(4):
        top = f.PairingFactory(programme=pairings.programme)
        allocate(top, "10", year=2023)
        allocate(f.SubPairingFactory(parent=top), "1", year=2023)
    many, overview = queries()
    assert few == many == 4
    assert len(overview.pairings) == 6
    assert [r.funds_yuan for r in overview.pairings] == [Decimal("130.00"), *[Decimal("11.00")] * 4, Decimal("0.00")]
