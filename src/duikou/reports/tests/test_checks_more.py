"""The monitoring rules added to ``reports.checks`` after the first set: remittances in tranches
(``funds.tranches``), publication of allocations (``disclosure.publish_within_wd_allocation``) and
the minimum sales of a catalogue product (``consumption.product_min_value``). Each: held, broken
(the warning names the records) and the parameter changed for the pairing."""

import datetime as dt
from decimal import Decimal

import pytest

from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundTransaction
from duikou.reports.checks import add_working_days, pairing_check, working_days_between
from duikou.rules.services import rule_set_from_year
from duikou.testing.factories import (
    CatalogueListingFactory,
    FundTransactionFactory,
    PairingFactory,
    ProductFactory,
    ProjectFactory,
    PublishedDisclosureFactory,
    SalesRecordFactory,
    SubPairingFactory,
)

pytestmark = pytest.mark.django_db

Kind = FundTransaction.Kind
Y = 2024
END = dt.date(Y, 12, 31)
ALLOCATED_ON = dt.date(Y, 3, 29)  # a Friday: + 15 working days = Friday 19 April (no holidays known)
DEADLINE = dt.date(Y, 4, 19)


@pytest.fixture
def pairing():
    return PairingFactory()


def project(pairing, **fields):
    return ProjectFactory(pairing=pairing, start_year=Y, end_year=Y, status="in_progress", **fields)


def money(pairing, kind, amount, **fields):
    fields.setdefault("year", Y)
    return FundTransactionFactory(pairing=pairing, kind=kind, amount=Decimal(amount), **fields)


def warnings(pairing, rule, on=END, year_from=Y, year_to=Y):
    report = pairing_check(actor=SYSTEM, pairing=pairing, year_from=year_from, year_to=year_to, on=on)
    return [w for w in report.warnings if w.rule == rule]


def set_rule(pairing, key, value, year=2021):
    return rule_set_from_year(actor=SYSTEM, key=key, value=value, year=year, supporter=pairing.supporter,
                              recipient=pairing.recipient)


# working days ----------------------------------------------------------------------------------------


def test_working_days_skip_weekends():
    friday = dt.date(2024, 3, 29)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(friday, 1) == dt.date(2024, 4, 1)  # Monday
    assert add_working_days(friday, 15) == DEADLINE
    assert add_working_days(dt.date(2024, 3, 30), 1) == dt.date(2024, 4, 1)  # from a Saturday
    assert working_days_between(friday, DEADLINE) == 15
    assert working_days_between(friday, dt.date(2024, 4, 21)) == 15  # the weekend after adds none
    assert working_days_between(DEADLINE, friday) == 0
    for days in range(40):
        assert working_days_between(friday, add_working_days(friday, days)) == days


# funds.tranches --------------------------------------------------------------------------------------


def tranched(pairing, count):
    p = project(pairing)
    alloc = money(pairing, Kind.ALLOCATION, 300, project=p)
    remittances = [money(pairing, Kind.REMITTANCE, 100 if count == 3 else 300 // count, allocation=alloc,
                         project=p, date=dt.date(Y, 4 + i, 1)) for i in range(count)]
    return alloc, remittances


def test_tranches_default_is_no_schedule(pairing):
    tranched(pairing, 3)
    assert warnings(pairing, "funds.tranches") == []


def test_tranches_held(pairing):
    tranched(pairing, 3)
    set_rule(pairing, "funds.tranches", "3")
    assert warnings(pairing, "funds.tranches") == []


def test_tranches_broken_names_the_allocation_and_its_remittances(pairing):
    alloc, remittances = tranched(pairing, 3)
    tranched(pairing, 2)  # within the rule
    money(pairing, Kind.REMITTANCE, 10)  # a lump sum naming no allocation: not counted
    set_rule(pairing, "funds.tranches", "2")
    [w] = warnings(pairing, "funds.tranches")
    assert (w.figure, w.threshold, w.unit, w.year) == (Decimal(3), Decimal(2), "remittances", Y)
    assert [(r.kind, r.id) for r in w.records] == [("fund_transaction", alloc.pk)] + [
        ("fund_transaction", r.pk) for r in remittances]
    assert "分 3 次拨付" in w.message and "规则规定的 2 次" in w.message
    # a remittance dated after the day of the check does not count yet
    assert warnings(pairing, "funds.tranches", on=dt.date(Y, 5, 31)) == []


def test_tranches_rule_changed_for_the_pairing_from_a_year(pairing):
    tranched(pairing, 3)
    set_rule(pairing, "funds.tranches", "2")
    assert len(warnings(pairing, "funds.tranches")) == 1
    set_rule(pairing, "funds.tranches", "4", year=Y)
    assert warnings(pairing, "funds.tranches") == []
    assert warnings(pairing, "funds.tranches", on=dt.date(Y + 1, 1, 1)) == []


# disclosure.publish_within_wd_allocation -----------------------------------------------------------


def allocation(pairing, on=ALLOCATED_ON, **fields):
    p = fields.pop("project", None) or project(pairing)
    return p, money(pairing, Kind.ALLOCATION, 1000, project=p, date=on, **fields)


def notice(pairing, p, start, kind="pre_implementation", **fields):
    return PublishedDisclosureFactory(pairing=pairing, project=p, kind=kind, start_date=start, **fields)


def plan_notice(pairing, projects, start, year=Y):
    return PublishedDisclosureFactory(
        pairing=pairing, project=None, kind="annual_plan", year=year, start_date=start,
        content_snapshot={"version": 1, "project_ids": [p.pk for p in projects]})


def test_publication_held_by_a_project_notice_by_the_deadline(pairing):
    p, _alloc = allocation(pairing)
    notice(pairing, p, DEADLINE)
    assert warnings(pairing, "disclosure.publish_within_wd_allocation") == []


def test_publication_held_by_the_years_annual_plan_announcement(pairing):
    p, _alloc = allocation(pairing)
    plan_notice(pairing, [p], dt.date(Y, 3, 1))  # the year's announcement may come before the allocation's date
    assert warnings(pairing, "disclosure.publish_within_wd_allocation") == []


def test_publication_not_checked_before_the_deadline_nor_for_undated_allocations(pairing):
    allocation(pairing)
    money(pairing, Kind.ALLOCATION, 500, project=project(pairing))  # undated
    assert warnings(pairing, "disclosure.publish_within_wd_allocation", on=DEADLINE) == []
    assert len(warnings(pairing, "disclosure.publish_within_wd_allocation", on=DEADLINE + dt.timedelta(1))) == 1


def test_publication_broken_names_the_allocations(pairing):
    unpublished_project, unpublished = allocation(pairing)
    late_project, late = allocation(pairing)
    notice(pairing, late_project, dt.date(Y, 4, 22))  # the Monday after the deadline: 16 working days
    old_project, old = allocation(pairing)
    notice(pairing, old_project, dt.date(Y - 1, 11, 1), kind="library")  # before the allocation: not its publication
    other_year_project, other_year = allocation(pairing)
    plan_notice(pairing, [other_year_project], dt.date(Y, 3, 1), year=Y - 1)  # last year's plan
    withdrawn_project, withdrawn = allocation(pairing)
    notice(pairing, withdrawn_project, dt.date(Y, 4, 1), status="withdrawn", withdrawn_on=dt.date(Y, 4, 2),
           withdrawal_reason="错误")
    plan_notice(PairingFactory(), [], dt.date(Y, 3, 1))  # another pairing's announcement, not listing them
    published_project, _ok = allocation(pairing)
    notice(pairing, published_project, dt.date(Y, 4, 1))
    [w] = warnings(pairing, "disclosure.publish_within_wd_allocation", on=dt.date(Y, 5, 31))
    assert (w.threshold, w.unit, w.year, w.amount) == (Decimal(15), "working days", Y, Decimal(5000))
    assert w.figure == Decimal(working_days_between(ALLOCATED_ON, dt.date(Y, 5, 31)))  # none published yet
    assert {r.id for r in w.records} == {unpublished.pk, late.pk, old.pk, other_year.pk, withdrawn.pk}
    assert {r.kind for r in w.records} == {"fund_transaction"}
    assert "5 笔资金下达" in w.message and "15 个工作日" in w.message


def test_publication_of_a_sub_pairings_allocation_in_the_parents_plan(pairing):
    sub = SubPairingFactory(parent=pairing)
    p, _alloc = allocation(sub)
    assert len(warnings(pairing, "disclosure.publish_within_wd_allocation")) == 1
    plan_notice(pairing, [p], dt.date(Y, 4, 5))
    assert warnings(pairing, "disclosure.publish_within_wd_allocation") == []


def test_publication_period_changed_for_the_pairing(pairing):
    p, _alloc = allocation(pairing)
    notice(pairing, p, dt.date(Y, 4, 22))  # 16 working days
    [w] = warnings(pairing, "disclosure.publish_within_wd_allocation")
    assert (w.figure, w.threshold) == (Decimal(16), Decimal(15))
    set_rule(pairing, "disclosure.publish_within_wd_allocation", "20")
    assert warnings(pairing, "disclosure.publish_within_wd_allocation") == []
    set_rule(pairing, "disclosure.publish_within_wd_allocation", "10", year=Y)
    [w] = warnings(pairing, "disclosure.publish_within_wd_allocation")
    assert w.threshold == Decimal(10)


# consumption.product_min_value -----------------------------------------------------------------------


def listed(pairing, sales=(), listed_on=dt.date(Y, 3, 1), **fields):
    product = ProductFactory(pairing=pairing)
    CatalogueListingFactory(product=product, channel__pairing=pairing, listed_on=listed_on, **fields)
    for day, amount in sales:
        SalesRecordFactory(pairing=pairing, product=product, channel__pairing=pairing, date=day,
                           amount=Decimal(amount))
    return product


def test_product_sales_held(pairing):
    listed(pairing, [(dt.date(Y, 5, 1), 300000), (dt.date(Y, 11, 1), 200000)])
    assert warnings(pairing, "consumption.product_min_value", on=dt.date(Y + 1, 1, 1)) == []


def test_product_sales_broken_names_the_products(pairing):
    listed(pairing, [(dt.date(Y, 5, 1), 600000)])
    low = listed(pairing, [(dt.date(Y, 5, 1), 300000), (dt.date(Y + 1, 1, 5), 400000)])  # next year's does not count
    none = listed(pairing)  # listed, nothing sold
    ProductFactory(pairing=pairing)  # not listed: not checked
    listed(pairing, listed_on=dt.date(Y - 1, 1, 1), delisted_on=dt.date(Y - 1, 12, 31))  # delisted before the year
    listed(pairing, listed_on=dt.date(Y + 1, 1, 1))  # listed after the year
    assert warnings(pairing, "consumption.product_min_value", on=END) == []  # the year has not ended
    [w] = warnings(pairing, "consumption.product_min_value", on=dt.date(Y + 1, 1, 1))
    assert (w.figure, w.threshold, w.unit, w.year) == (Decimal(0), Decimal(500000), "yuan", Y)
    assert [(r.kind, r.id, r.label) for r in w.records] == [("product", none.pk, none.name),
                                                            ("product", low.pk, low.name)]
    assert "3 种产品中有 2 种" in w.message and "500,000.00" in w.message
    assert w.as_json()["records"][0] == {"kind": "product", "id": none.pk, "label": none.name}


def test_product_sales_of_a_sub_pairing_count(pairing):
    sub = SubPairingFactory(parent=pairing)
    product = listed(sub, [(dt.date(Y, 5, 1), 100000)])
    [w] = warnings(pairing, "consumption.product_min_value", on=dt.date(Y + 1, 1, 1))
    assert [r.id for r in w.records] == [product.pk] and w.figure == Decimal(100000)


def test_product_minimum_changed_for_the_pairing(pairing):
    listed(pairing, [(dt.date(Y, 5, 1), 300000)])
    assert len(warnings(pairing, "consumption.product_min_value", on=dt.date(Y + 1, 1, 1))) == 1
    set_rule(pairing, "consumption.product_min_value", "300000")
    assert warnings(pairing, "consumption.product_min_value", on=dt.date(Y + 1, 1, 1)) == []
    set_rule(pairing, "consumption.product_min_value", "1000000", year=Y + 1)  # from next year only
    assert warnings(pairing, "consumption.product_min_value", on=dt.date(Y + 1, 1, 1)) == []


def test_dashboard_links_a_product_record(pairing):
    from django.urls import reverse

    from duikou.consumption.models import Product
    from duikou.reports.views import warning_rows
    from duikou.ui.registers import register_for

    product = listed(pairing, [(dt.date(Y, 5, 1), 100)])
    [w] = warnings(pairing, "consumption.product_min_value", on=dt.date(Y + 1, 1, 1))
    [row] = warning_rows([w])
    assert row["records"] == [{"label": product.name, "url": reverse(register_for(Product).url_name("detail"), args=[product.pk])}]
    assert row["records"][0]["url"].endswith(f"/{product.pk}/")
