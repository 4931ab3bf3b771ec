"""The dashboard and national-overview selectors on the Beijing → Badong demo.

Every expected value is computed here again with a plain ORM query of another shape (one year, one
level or one kind at a time, past ``restrict()``), so the selectors are checked against the records,
not against themselves.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from duikou.accounts.models import Membership, Role, User
from duikou.audit.models import ObjectChange
from duikou.core.choices import FundLevel, FundStream
from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundTransaction
from duikou.organisations.models import Organisation, Pairing
from duikou.projects.choices import COUNTED_STATUSES
from duikou.projects.models import Project
from duikou.reports import selectors as s

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 12, 31)  # the demo's records run to 2024
ALLOCATION = FundTransaction.Kind.ALLOCATION


@pytest.fixture
def bj_bd(demo_db):
    return Pairing.objects.get(supporter__name="北京市", recipient__name="巴东县", parent__isnull=True)


@pytest.fixture
def fs_bd(demo_db):
    return Pairing.objects.get(supporter__name="房山区", recipient__name="巴东县")


@pytest.fixture
def user(demo_db):
    return lambda name: User.objects.get(username=name)  # read again: no cached scopes


@pytest.fixture
def shanghai(demo_db):
    """A supporter office of 上海市, which supports 夷陵区 and 万州区, not 巴东县."""
    person = User.objects.create(username="shanghai-office")
    Membership.objects.create(user=person, organisation=Organisation.objects.get(name="上海市"),
                              role=Role.objects.get(code="supporter_office"))
    return User.objects.get(pk=person.pk)


def grants(*pairings, **filters):
    """Grant-stream allocations of these pairings, read past restrict() (the expected values)."""
    return FundTransaction.objects.filter(pairing__in=pairings, stream=FundStream.GRANT, kind=ALLOCATION, **filters)


def total(qs, field="amount") -> Decimal:
    return qs.aggregate(s=Sum(field))["s"] or Decimal("0")


# periods ------------------------------------------------------------------------------------


def test_periods_of_the_demo_pairings(bj_bd, fs_bd):
    assert s.period_years(bj_bd, "all", TODAY) == (1992, 2024)
    assert s.period_years(bj_bd, "14th", TODAY) == (2021, 2025)
    assert s.period_years(bj_bd, "2023", TODAY) == (2023, 2023)
    assert s.pairing_years(fs_bd, TODAY) == list(range(2017, 2025))  # the district pairing starts in 2017
    assert s.period_years(fs_bd, "all", TODAY) == (2017, 2024)
    ended = Pairing.objects.get(programme__code="east-west", recipient__name="巴东县")
    assert s.period_years(ended, "all", TODAY) == (2016, 2020)  # 2016–2020, over
    assert s.pairing_years(ended, TODAY) == [2016, 2017, 2018, 2019, 2020]


@pytest.mark.parametrize("period", ["2016", "2025", "1991", "abc", "", "14", "20233", " all x"])
def test_unknown_periods_are_refused_naming_the_period(fs_bd, period):
    with pytest.raises(ValidationError) as info:
        s.period_years(fs_bd, period, TODAY)
    assert list(info.value.message_dict) == ["period"]


def test_overview_periods_run_from_the_first_programme(demo_db):
    assert s.overview_years("all", TODAY) == (1992, 2024)
    assert s.overview_years("14th", TODAY) == (2021, 2025)
    assert s.overview_years("1992", TODAY) == (1992, 1992)
    for bad in ("1991", "2025", "x"):
        with pytest.raises(ValidationError):
            s.overview_years(bad, TODAY)


def test_period_choices_offer_cumulative_and_the_fourteenth_plan():
    assert [code for code, _label in s.PERIOD_CHOICES] == ["all", "14th"]
    with translation.override("en"):
        assert [str(label) for _code, label in s.PERIOD_CHOICES] == ["Cumulative", "14th Five-Year Plan"]


# funds by year ------------------------------------------------------------------------------


def test_funds_by_year_per_level_as_the_records_say(bj_bd, fs_bd):
    rows = s.funds_by_year(actor=SYSTEM, pairing=bj_bd, year_from=1992, year_to=2025)
    assert [r.year for r in rows] == list(range(1992, 2026))
    for row in rows:
        for level, value in ((FundLevel.CITY, row.city), (FundLevel.DISTRICT, row.district),
                             (FundLevel.OTHER, row.other)):
            assert value == total(grants(bj_bd, fs_bd, year=row.year, level=level)), (row.year, level)
    by_year = {r.year: r for r in rows}
    # 2021: 市级4513万元 + 房山区600万元 (the demo's cited figures); 2025: no records yet, zeros.
    assert (by_year[2021].city, by_year[2021].district) == (Decimal("45130000.00"), Decimal("6000000.00"))
    assert by_year[2020].total == Decimal("51130000.00")
    assert by_year[2025] == s.YearFunds(2025, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


@pytest.mark.parametrize(("y1", "y2"), [(1992, 2024), (2021, 2025), (2023, 2023)])
def test_funds_by_year_add_up_to_the_headline_figure(bj_bd, y1, y2):
    rows = s.funds_by_year(actor=SYSTEM, pairing=bj_bd, year_from=y1, year_to=y2)
    figures = s.pairing_figures(actor=SYSTEM, pairing=bj_bd, year_from=y1, year_to=y2)
    assert sum((r.total for r in rows), Decimal(0)) == figures.aid_funds_yuan


def test_district_office_sees_its_own_pairing_only(bj_bd, fs_bd, user):
    district = user("fangshan")
    rows = s.funds_by_year(actor=district, pairing=bj_bd, year_from=2021, year_to=2024)
    assert all(r.city == 0 for r in rows), "the city's allocations are not 房山区's to see"
    assert [r.district for r in rows] == [total(grants(fs_bd, year=y)) for y in range(2021, 2025)]
    assert s.funds_by_year(actor=district, pairing=fs_bd, year_from=2021, year_to=2024) == rows


# funds progress -----------------------------------------------------------------------------


def test_funds_progress_of_the_fourteenth_plan(bj_bd, fs_bd):
    progress = s.funds_progress(actor=SYSTEM, pairing=bj_bd, year_from=2021, year_to=2025)
    of_kind = {
        kind: total(FundTransaction.objects.filter(pairing__in=[bj_bd, fs_bd], stream=FundStream.GRANT, kind=kind,
                                                   year__range=(2021, 2025)))
        for kind in FundTransaction.Kind.values
    }
    assert progress.planned == Decimal("260000000.00")  # the five-year plan's envelope (2.6亿元)
    assert progress.allocated == of_kind["allocation"] == Decimal("228430000.00")
    assert (progress.remitted, progress.received, progress.spent) == (
        of_kind["remittance"], of_kind["receipt"], of_kind["expenditure"])
    assert progress.spent < progress.allocated  # 2024's projects are under way
    assert [value for _label, value in progress.rows()] == [
        progress.planned, progress.allocated, progress.remitted, progress.received, progress.spent]


def test_funds_progress_without_a_plan_for_the_years_plans_nothing(bj_bd):
    """The demo's annual plans carry no envelope, and no five-year plan covers exactly 2021–2024."""
    progress = s.funds_progress(actor=SYSTEM, pairing=bj_bd, year_from=2021, year_to=2024)
    assert progress.planned is None
    assert progress.allocated == s.pairing_figures(actor=SYSTEM, pairing=bj_bd, year_from=2021,
                                                   year_to=2024).aid_funds_yuan


# projects by task ---------------------------------------------------------------------------


def test_projects_by_task_match_the_headline_figures(bj_bd, fs_bd):
    rows = s.projects_by_task(actor=SYSTEM, pairing=bj_bd, year_from=2021, year_to=2024)
    assert [r.code for r in rows] == ["ecology", "industry", "public_services", "urban_rural", "opening_up"]
    public = rows[2]
    assert (public.name, public.projects, public.funds_yuan) == (
        "提高基本公共服务和民生保障能力", 11, Decimal("77100000.00"))  # the article's 11 projects, 7710万元
    for row in rows:
        projects = Project.objects.filter(pairing__in=[bj_bd, fs_bd], key_task__code=row.code,
                                          start_year__range=(2021, 2024), status__in=COUNTED_STATUSES)
        assert row.projects == projects.count()
        assert row.funds_yuan == total(grants(bj_bd, fs_bd, project__in=projects, year__range=(2021, 2024)))
    figures = s.pairing_figures(actor=SYSTEM, pairing=bj_bd, year_from=2021, year_to=2024)
    assert {r.code: (r.projects, r.funds_yuan) for r in rows} == {
        code: (t.projects, t.funds_yuan) for code, t in figures.projects_by_task.items()}
    with translation.override("en"):
        english = s.projects_by_task(actor=SYSTEM, pairing=bj_bd, year_from=2021, year_to=2024)
    assert english[2].name == "Improve basic public services and livelihood security"


# locations ----------------------------------------------------------------------------------


def test_projects_by_township(bj_bd, fs_bd):
    locations = s.project_locations(actor=SYSTEM, pairing=bj_bd, year_from=2021, year_to=2024)
    counted = Project.objects.filter(pairing__in=[bj_bd, fs_bd], start_year__range=(2021, 2024),
                                     status__in=COUNTED_STATUSES)
    rows = {r.township: r for r in locations.townships}
    assert set(rows) == set(counted.values_list("location", flat=True))  # the demo writes the township alone
    for township, row in rows.items():
        assert row.projects == counted.filter(location=township).count()
        assert row.budget_yuan == total(counted.filter(location=township), "budget")
    assert sum(r.projects for r in locations.townships) == counted.count() == 45
    # the article's named projects have no township: last, "not stated"
    assert locations.townships[-1].township == "" and locations.townships[-1].projects == 4
    with translation.override("en"):
        assert str(locations.townships[-1].name) == "not stated"
    assert [r.projects for r in locations.townships[:-1]] == sorted((r.projects for r in locations.townships[:-1]),
                                                                    reverse=True)
    assert locations.points == []  # the demo records no coordinates


# recent changes -----------------------------------------------------------------------------


def test_recent_changes_newest_first_within_the_pairings_organisations(bj_bd, user):
    beijing, badong = Organisation.objects.get(name="北京市"), Organisation.objects.get(name="巴东县")
    trees = set(Organisation.objects.filter(parent__in=[beijing, badong]).values_list("id", flat=True))
    trees |= set(Organisation.objects.filter(parent__in=trees).values_list("id", flat=True)) | {beijing.pk, badong.pk}
    expected = list(
        ObjectChange.objects.filter(scopes__organisation_id__in=trees).distinct().order_by("-time", "-id")
        .values_list("id", flat=True)[:10]
    )
    changes = s.recent_changes(actor=user("supervisor"), pairing=bj_bd)
    assert [c.pk for c in changes] == expected and len(expected) == 10
    assert [(c.time, c.pk) for c in changes] == sorted(((c.time, c.pk) for c in changes), reverse=True)
    assert {c.action for c in changes} <= set(ObjectChange.Action.values)
    assert all(c.actor_name and c.object_repr for c in changes)


def test_recent_changes_run_a_fixed_number_of_queries(bj_bd, user):
    supervisor = user("supervisor")
    s.recent_changes(actor=supervisor, pairing=bj_bd)  # the scope is cached on the user

    def queries(limit):
        with CaptureQueriesContext(connection) as captured:
            changes = s.recent_changes(actor=supervisor, pairing=bj_bd, limit=limit)
            [c.content_type.model for c in changes]  # fetched with the changes
        assert len(changes) == limit
        return len(captured)

    assert queries(3) == queries(40)


def test_recent_changes_for_the_recipient_and_the_district(bj_bd, fs_bd, user):
    badong = user("badong")
    seen = s.recent_changes(actor=badong, pairing=bj_bd, limit=50)
    assert seen and all(ObjectChange.objects.restrict(badong).filter(pk=c.pk).exists() for c in seen)
    fangshan = user("fangshan")
    for change in s.recent_changes(actor=fangshan, pairing=fs_bd, limit=50):
        assert ObjectChange.objects.restrict(fangshan).filter(pk=change.pk).exists()


# national overview --------------------------------------------------------------------------


def test_national_overview_rolls_sub_pairings_into_their_pairing(bj_bd, fs_bd, user):
    overview = s.national_overview(actor=user("supervisor"), year_from=1992, year_to=2024)
    row = next(r for r in overview.pairings if r.pairing_id == bj_bd.pk)
    figures = s.pairing_figures(actor=SYSTEM, pairing=bj_bd, year_from=1992, year_to=2024)
    assert (row.programme, row.supporter, row.recipient) == ("全国对口支援三峡库区", "北京市", "巴东县")
    assert (row.funds_yuan, row.projects) == (figures.aid_funds_yuan, figures.projects)
    assert row.funds_yuan == total(grants(bj_bd, fs_bd, year__range=(1992, 2024)))
    assert fs_bd.pk not in {r.pairing_id for r in overview.pairings}, "sub-pairings have no row of their own"
    top_level = Pairing.objects.filter(parent__isnull=True)
    assert {r.pairing_id for r in overview.pairings} == set(top_level.values_list("id", flat=True))
    everything = FundTransaction.objects.filter(stream=FundStream.GRANT, kind=ALLOCATION, year__range=(1992, 2024))
    assert overview.funds_yuan == total(everything)
    assert overview.projects == Project.objects.filter(start_year__range=(1992, 2024),
                                                       status__in=COUNTED_STATUSES).count()
    assert [r.funds_yuan for r in overview.pairings] == sorted((r.funds_yuan for r in overview.pairings), reverse=True)


def test_national_overview_per_supporter_and_recipient(demo_db, user):
    overview = s.national_overview(actor=user("supervisor"), year_from=2021, year_to=2025)
    for totals, side in ((overview.supporters, "supporter"), (overview.recipients, "recipient")):
        assert sum((t.funds_yuan for t in totals), Decimal(0)) == overview.funds_yuan
        for t in totals:
            mine = [r for r in overview.pairings if getattr(r, f"{side}_id") == t.organisation_id]
            assert (t.pairings, t.projects) == (len(mine), sum(r.projects for r in mine))
            assert t.name == getattr(mine[0], side)
    badong = next(t for t in overview.recipients if t.name == "巴东县")
    # 北京市 (with 房山区) and 拱墅区's pairing in the old-area programme (2023–); its east–west one ended in 2020
    assert badong.pairings == 2
    assert badong.funds_yuan == total(FundTransaction.objects.filter(
        pairing__recipient=badong.organisation_id, stream=FundStream.GRANT, kind=ALLOCATION, year__range=(2021, 2025)))
    beijing = next(t for t in overview.supporters if t.name == "北京市")
    assert beijing.funds_yuan == Decimal("228430000.00")


def test_national_overview_leaves_out_pairings_outside_the_years(demo_db, user):
    overview = s.national_overview(actor=user("supervisor"), year_from=2021, year_to=2024)
    programmes = {(r.programme, r.supporter) for r in overview.pairings if r.recipient == "巴东县"}
    assert ("东西部扶贫协作", "拱墅区") not in programmes  # 2016–2020
    assert ("革命老区重点城市对口合作", "拱墅区") in programmes


def test_national_overview_for_a_scoped_office(bj_bd, user):
    """Offices see their own pairings only; 房山区's office has no top-level pairing to show."""
    beijing = s.national_overview(actor=user("beijing"), year_from=1992, year_to=2024)
    assert {(r.supporter, r.recipient) for r in beijing.pairings} == set(
        Pairing.objects.filter(parent__isnull=True, supporter__name="北京市")
        .values_list("supporter__name", "recipient__name"))
    assert s.national_overview(actor=user("fangshan"), year_from=1992, year_to=2024).pairings == []


# the foreign user sees nothing of Badong ------------------------------------------------------


def test_foreign_office_sees_nothing_of_badong(bj_bd, shanghai):
    years = {"year_from": 1992, "year_to": 2024}
    assert all(r.total == 0 for r in s.funds_by_year(actor=shanghai, pairing=bj_bd, **years))
    progress = s.funds_progress(actor=shanghai, pairing=bj_bd, year_from=2021, year_to=2025)
    assert (progress.planned, progress.allocated, progress.spent) == (None, 0, 0)
    assert all((r.projects, r.funds_yuan) == (0, 0) for r in s.projects_by_task(actor=shanghai, pairing=bj_bd, **years))
    assert s.project_locations(actor=shanghai, pairing=bj_bd, **years) == s.ProjectLocations([], [])
    assert s.recent_changes(actor=shanghai, pairing=bj_bd, limit=50) == []
    overview = s.national_overview(actor=shanghai, **years)
    assert overview.pairings and all(r.supporter == "上海市" for r in overview.pairings)
    assert "巴东县" not in {t.name for t in overview.recipients}
