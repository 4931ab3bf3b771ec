"""The monitoring rules of ``reports.checks``, family by family: held (no warning), broken (a
warning with the rule, the figure, the threshold and the records), the parameter changed for the
pairing (a pairing rule overriding the default changes the outcome) and versioned by year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundTransaction
from duikou.organisations.choices import DivisionLevel
from duikou.projects.choices import ProjectStatus, Sector, WorkField
from duikou.reports.checks import check_pairings, is_minsheng, pairing_check
from duikou.rules.services import rule_set_from_year
from duikou.testing.factories import (
    AdminDivisionFactory,
    ApprovalRecordFactory,
    FundTransactionFactory,
    KeyTaskFactory,
    PairingFactory,
    PlanEnvelopeFactory,
    PlanFactory,
    ProjectFactory,
    SubPairingFactory,
)

pytestmark = pytest.mark.django_db

Kind = FundTransaction.Kind
Y = 2024
END = dt.date(Y, 12, 31)


@pytest.fixture
def pairing():
    return PairingFactory()


def project(pairing, **fields):
    fields.setdefault("status", ProjectStatus.IN_PROGRESS)
    return ProjectFactory(pairing=pairing, start_year=Y, end_year=Y, **fields)


def money(pairing, kind, amount, **fields):
    """A row as it stands in the table (the services' invariants are not what these tests are about)."""
    fields.setdefault("year", Y)
    return FundTransactionFactory(pairing=pairing, kind=kind, amount=Decimal(amount), **fields)


def funded(pairing, amount, *, spent=None, spent_on=END, **project_fields):
    """A project with an allocation, remitted in full, spent (in full by default) on ``spent_on``."""
    p = project(pairing, **project_fields)
    alloc = money(pairing, Kind.ALLOCATION, amount, project=p)
    money(pairing, Kind.REMITTANCE, amount)
    money(pairing, Kind.RECEIPT, amount)
    if spent != 0:
        money(pairing, Kind.EXPENDITURE, amount if spent is None else spent, allocation=alloc, project=p,
              date=spent_on)
    return p, alloc


def warnings(pairing, rule=None, on=END, year_from=Y, year_to=Y):
    report = pairing_check(actor=SYSTEM, pairing=pairing, year_from=year_from, year_to=year_to, on=on)
    return [w for w in report.warnings if rule is None or w.rule == rule]


def livelihood(**fields):
    return {"work_field": WorkField.LIVELIHOOD, "sector": Sector.EDUCATION,
            "key_task": KeyTaskFactory(code="public_services"), **fields}


def industry(**fields):
    return {"work_field": WorkField.INDUSTRY, "sector": Sector.AGRICULTURE,
            "key_task": KeyTaskFactory(code="industry"), **fields}


def set_rule(pairing, key, value, year=2021, **kwargs):
    return rule_set_from_year(actor=SYSTEM, key=key, value=value, year=year, supporter=pairing.supporter,
                              recipient=pairing.recipient, **kwargs)


# 民生 share ------------------------------------------------------------------------------------------


def test_minsheng_mapping():
    def p(**fields):
        return type("P", (), {"work_field": "", "key_task": "", "sector": "", **fields})()

    assert is_minsheng(p(work_field=WorkField.LIVELIHOOD))
    assert is_minsheng(p(key_task="public_services"))
    assert is_minsheng(p(sector=Sector.HEALTH))
    assert not is_minsheng(p(work_field=WorkField.INDUSTRY, key_task="industry", sector=Sector.AGRICULTURE))


def test_minsheng_share_held(pairing):
    funded(pairing, 80, **livelihood())
    funded(pairing, 20, **industry())
    assert warnings(pairing, "alloc.min_share_minsheng") == []


def test_minsheng_share_broken_names_the_figure_threshold_and_projects(pairing):
    funded(pairing, 70, **livelihood())
    other, _alloc = funded(pairing, 30, **industry())
    [w] = warnings(pairing, "alloc.min_share_minsheng")
    assert (w.figure, w.threshold, w.unit, w.year) == (Decimal("0.7000"), Decimal("0.80"), "share", Y)
    assert "70.0 %" in w.message and "80.0 %" in w.message
    assert [(r.kind, r.id, r.label) for r in w.records] == [("project", other.pk, other.code)]


def test_minsheng_share_with_a_pairing_rule(pairing):
    funded(pairing, 70, **livelihood())
    funded(pairing, 30, **industry())
    set_rule(pairing, "alloc.min_share_minsheng", "0.60")
    assert warnings(pairing, "alloc.min_share_minsheng") == []


def test_minsheng_share_rule_versioned_by_year(pairing):
    funded(pairing, 70, **livelihood())
    funded(pairing, 30, **industry())
    set_rule(pairing, "alloc.min_share_minsheng", "0.60", year=Y + 1)  # from next year only
    assert len(warnings(pairing, "alloc.min_share_minsheng")) == 1


# county level and below ------------------------------------------------------------------------------


def test_grassroots_share(pairing):
    prefecture = AdminDivisionFactory(level=DivisionLevel.PREFECTURE)
    funded(pairing, 85)  # at the recipient county
    high, _alloc = funded(pairing, 15, location_division=prefecture)
    assert warnings(pairing, "alloc.min_share_grassroots") == []
    money(pairing, Kind.ALLOCATION, 10, project=high)  # now 85 / 110 = 77 %
    [w] = warnings(pairing, "alloc.min_share_grassroots")
    assert w.figure == Decimal("0.7727") and [r.id for r in w.records] == [high.pk]
    set_rule(pairing, "alloc.min_share_grassroots", "0.75")
    assert warnings(pairing, "alloc.min_share_grassroots") == []


# industry target -------------------------------------------------------------------------------------


def test_industry_target_share(pairing):
    funded(pairing, 60, **industry())
    funded(pairing, 40, **livelihood())
    assert warnings(pairing, "alloc.target_share_industry") == []
    set_rule(pairing, "alloc.target_share_industry", "0.70")
    [w] = warnings(pairing, "alloc.target_share_industry")
    assert (w.figure, w.threshold) == (Decimal("0.6000"), Decimal("0.70"))


# 开工率 by a date ----------------------------------------------------------------------------------------


def test_start_rate_by_the_date(pairing):
    started, _a = funded(pairing, 50)  # under way, no recorded start: counts by its status
    waiting, _b = funded(pairing, 50, status=ProjectStatus.AGREED)
    assert warnings(pairing, "progress.start_rate_min", on=dt.date(Y, 3, 31)) == []  # before 04-01
    [w] = warnings(pairing, "progress.start_rate_min", on=dt.date(Y, 4, 1))
    assert (w.figure, w.threshold) == (Decimal("0.5000"), Decimal("1.00"))
    assert [r.id for r in w.records] == [waiting.pk] and "2024-04-01" in w.message
    set_rule(pairing, "progress.start_rate_min", "0.50")
    assert warnings(pairing, "progress.start_rate_min", on=dt.date(Y, 4, 1)) == []


def test_start_rate_date_changed_for_the_pairing(pairing):
    funded(pairing, 50, status=ProjectStatus.AGREED)
    set_rule(pairing, "progress.start_rate_by_date", "06-30")
    assert warnings(pairing, "progress.start_rate_min", on=dt.date(Y, 6, 29)) == []
    assert len(warnings(pairing, "progress.start_rate_min", on=dt.date(Y, 6, 30))) == 1


def test_start_rate_reads_the_recorded_start_date(pairing):
    late, _a = funded(pairing, 50)
    ApprovalRecordFactory(project=late, transition="start", from_status="preparing", to_status="in_progress",
                          decided_on=dt.date(Y, 5, 10))
    [w] = warnings(pairing, "progress.start_rate_min", on=dt.date(Y, 6, 1))  # started, but after 04-01
    assert [r.id for r in w.records] == [late.pk]
    ApprovalRecordFactory(project=late, transition="start", from_status="preparing", to_status="in_progress",
                          decided_on=dt.date(Y, 3, 10))
    assert warnings(pairing, "progress.start_rate_min", on=dt.date(Y, 6, 1)) == []


# 支出进度 by quarter --------------------------------------------------------------------------------------


def test_spending_progress_by_quarter(pairing):
    _p, alloc = funded(pairing, 100, spent=25, spent_on=dt.date(Y, 3, 15), **livelihood())
    assert warnings(pairing, on=dt.date(Y, 3, 30)) == []  # no quarter has ended
    [w] = warnings(pairing, "progress.q1_spend_min", on=dt.date(Y, 4, 1))
    assert (w.figure, w.threshold) == (Decimal("0.2500"), Decimal("0.30"))
    assert [r.id for r in w.records] == [alloc.pk] and "第1季度" in w.message
    set_rule(pairing, "progress.q1_spend_min", "0.25")
    assert warnings(pairing, "progress.q1_spend_min", on=dt.date(Y, 4, 1)) == []


def test_spending_progress_counts_spending_dated_by_the_quarters_end(pairing):
    _p, alloc = funded(pairing, 100, spent=40, spent_on=dt.date(Y, 4, 15))  # in Q2
    assert len(warnings(pairing, "progress.q1_spend_min", on=dt.date(Y, 4, 20))) == 1
    [w] = warnings(pairing, "progress.q2_spend_min", on=dt.date(Y, 7, 1))  # 40 % < 50 %
    assert w.figure == Decimal("0.4000")
    money(pairing, Kind.EXPENDITURE, 10, allocation=alloc)  # undated: counted
    assert warnings(pairing, "progress.q2_spend_min", on=dt.date(Y, 7, 1)) == []


# idle funds ------------------------------------------------------------------------------------------


def test_idle_funds(pairing):
    _p, alloc = funded(pairing, 100, spent=60, spent_on=dt.date(Y, 6, 1))
    assert warnings(pairing, "funds.idle_years_realloc", on=dt.date(Y + 1, 12, 31)) == []
    [w] = warnings(pairing, "funds.idle_years_realloc", on=dt.date(Y + 2, 1, 1))
    assert (w.figure, w.threshold, w.unit, w.amount) == (Decimal(2), Decimal(2), "years", Decimal(40))
    assert [r.id for r in w.records] == [alloc.pk]
    set_rule(pairing, "funds.idle_years_realloc", "3")
    assert warnings(pairing, "funds.idle_years_realloc", on=dt.date(Y + 2, 1, 1)) == []


def test_fully_spent_money_is_not_idle(pairing):
    funded(pairing, 100)
    assert warnings(pairing, "funds.idle_years_realloc", on=dt.date(Y + 5, 1, 1)) == []


# breaches of the blocking rules in the records -------------------------------------------------------


def test_management_fee_over_a_non_blocking_cap_is_a_warning(pairing):
    funded(pairing, 1000, spent=0)
    money(pairing, Kind.EXPENDITURE, 50, is_management_fee=True, date=dt.date(Y, 6, 1))
    set_rule(pairing, "alloc.max_mgmt_fee", "0.03", is_blocking=False)
    [w] = warnings(pairing, "alloc.max_mgmt_fee")
    assert (w.figure, w.threshold, w.unit) == (Decimal(50), Decimal("30.00"), "yuan")
    set_rule(pairing, "alloc.max_mgmt_fee", "0.05", year=Y, is_blocking=False)
    assert warnings(pairing, "alloc.max_mgmt_fee") == []


def test_money_invariants_broken_in_old_data_are_listed(pairing):
    funded(pairing, 100)
    extra = money(pairing, Kind.REMITTANCE, 5)  # entered before the rules, straight into the table
    [w] = warnings(pairing, "money.remitted_within_allocated")
    assert (w.figure, w.threshold) == (Decimal(105), Decimal(100))
    assert ("fund_transaction", extra.pk) in {(r.kind, r.id) for r in w.records}


def test_envelope_breach_is_listed(pairing):
    plan = PlanFactory(pairing=pairing, start_year=2021, end_year=2025)
    PlanEnvelopeFactory(plan=plan, amount=Decimal(100))
    funded(pairing, 120)
    [w] = warnings(pairing, "money.allocated_within_envelope")
    assert [(r.kind, r.id) for r in w.records] == [("plan", plan.pk)]


def test_sub_pairings_records_count_for_the_pairing(pairing):
    sub = SubPairingFactory(parent=pairing)
    funded(pairing, 70, **livelihood())
    funded(sub, 30, **industry())
    [w] = warnings(pairing, "alloc.min_share_minsheng")
    assert w.figure == Decimal("0.7000")


def test_a_clean_pairing_has_no_warnings(pairing):
    funded(pairing, 100, **livelihood())
    assert warnings(pairing, on=dt.date(Y, 12, 31)) == []


# selection and cost ----------------------------------------------------------------------------------


def test_check_pairings_picks_top_level_pairings_by_name(pairing):
    sub = SubPairingFactory(parent=pairing)
    PairingFactory()
    assert pairing in check_pairings(actor=SYSTEM)
    assert sub not in check_pairings(actor=SYSTEM)
    assert check_pairings(actor=SYSTEM, supporter=pairing.supporter.name, recipient=pairing.recipient.name) == [
        pairing]
    assert check_pairings(actor=SYSTEM, supporter=sub.supporter.name) == [sub]
    assert check_pairings(actor=SYSTEM, supporter=pairing.supporter.name, year_to=2020) == []  # starts 2021


def test_queries_do_not_grow_with_years(pairing):
    for year in range(2021, 2025):
        funded(pairing, 100, spent=50, **livelihood())
        money(pairing, Kind.ALLOCATION, 10, year=year, project=project(pairing))

    def count(year_from, year_to):
        with CaptureQueriesContext(connection) as ctx:
            pairing_check(actor=SYSTEM, pairing=pairing, year_from=year_from, year_to=year_to, on=dt.date(2026, 1, 1))
        return len(ctx)

    assert count(2021, 2025) == count(2024, 2024) <= 12
