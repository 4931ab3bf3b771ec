"""The consumption-assistance pages beyond the register contract (``tests/test_registers.py``):
every filter narrows, search, sorting, totals, writes through the forms, exports, and the
dashboard's consumption card.

The filter tests build a small ledger of their own (a pairing with a sub-pairing) and filter on it;
the writes and the dashboard card use the Beijing → Badong demo.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from duikou.consumption.models import SalesContract, SalesRecord
from duikou.core.permissions import SYSTEM
from duikou.organisations.models import AdminDivision, Pairing
from duikou.organisations.selectors import pairing_find
from duikou.reports.selectors import pairing_figures
from duikou.reports.views import figure_cards
from duikou.testing import factories as f
from duikou.testing.asserts import changes_for
from duikou.testing.pages import assert_refused, csv_rows, listed, open_page, post_form, summaries, xlsx_rows
from duikou.ui.registers import format_money, get_register

pytestmark = pytest.mark.django_db
DEMO = pytest.mark.xdist_group("demo-pages")  # the demo is loaded once, in one worker, for all page tests


def division(code: str) -> AdminDivision:
    return AdminDivision.objects.get(code=code)


@pytest.fixture
def ledger(db):
    """Rows in a pairing ``p`` and its sub-pairing ``s`` (names as in the filter cases below)."""
    p = f.PairingFactory()
    s = f.SubPairingFactory(parent=p)
    n = SimpleNamespace(p=p, s=s)
    n.supplier_a = f.SupplierFactory(pairing=p, households=12)
    n.supplier_b = f.SupplierFactory(pairing=s)
    n.product_a = f.ProductFactory(pairing=p, supplier=n.supplier_a, category="中药材", in_supporter_system=True)
    n.product_b = f.ProductFactory(pairing=s, category="饮用水")
    n.product_c = f.ProductFactory(pairing=p)
    n.channel_cat = f.SalesChannelFactory(pairing=p, kind="catalogue", market_division=division("110111"),
                                          opened_on=dt.date(2023, 3, 1))
    n.channel_pav = f.SalesChannelFactory(pairing=s, kind="pavilion", market_division=division("310000"),
                                          opened_on=dt.date(2024, 5, 1))
    n.listing_a = f.CatalogueListingFactory(product=n.product_a, channel=n.channel_cat, listed_on=dt.date(2023, 3, 1),
                                            delisted_on=dt.date(2023, 12, 31))
    n.listing_b = f.CatalogueListingFactory(product=n.product_b, channel=n.channel_cat, listed_on=dt.date(2024, 3, 1))
    record = f.SalesRecordFactory
    n.r1 = record(pairing=p, product=n.product_a, channel=n.channel_cat, market_division=division("110111"),
                  date=dt.date(2023, 5, 1), amount=Decimal("100.00"), buyer_type="budget_unit")
    n.r2 = record(pairing=s, product=n.product_b, channel=n.channel_pav, market_division=division("310000"),
                  date=dt.date(2024, 5, 1), amount=Decimal("200.00"), buyer_type="union")
    n.r3 = record(pairing=p, product=n.product_a, channel=n.channel_cat, market_division=division("110000"),
                  date=dt.date(2024, 6, 1), amount=Decimal("300.50"), buyer_type="public", buyer="=HYPERLINK(1)")
    n.c1 = f.SalesContractFactory(pairing=p, product=n.product_a, market_division=division("110000"),
                                  signed_on=dt.date(2023, 8, 1), amount=Decimal("1000.00"), is_illustrative=True)
    n.c2 = f.SalesContractFactory(pairing=s, product=n.product_b, market_division=division("310000"),
                                  signed_on=dt.date(2024, 8, 1), amount=Decimal("2000.00"))
    return n


def shown(client, superuser, ledger, slug: str, **params) -> set[str]:
    """The names (in ``ledger``) of the rows the list shows, filtered by ``params`` (default: pairing p).
    A value naming a ledger row stands for its key; ``div:<code>`` for a division."""
    query = {"pairing": "p"} | params
    for key, value in query.items():
        if isinstance(value, str) and hasattr(ledger, value):
            query[key] = getattr(ledger, value).pk
        elif isinstance(value, str) and value.startswith("div:"):
            query[key] = division(value[4:]).pk
    pks = listed(open_page(client, superuser, slug, **query))
    model = get_register(slug).model
    return {name for name, obj in vars(ledger).items() if isinstance(obj, model) and obj.pk in pks}


@pytest.mark.parametrize(("slug", "params", "expected"), [
    # the pairing filter takes in the sub-pairing's rows; the sub-pairing alone only its own
    ("suppliers", {}, {"supplier_a", "supplier_b"}),
    ("suppliers", {"pairing": "s"}, {"supplier_b"}),
    ("suppliers", {"households": "true"}, {"supplier_a"}),
    ("products", {}, {"product_a", "product_b", "product_c"}),
    ("products", {"pairing": "s"}, {"product_b"}),
    ("products", {"supplier": "supplier_a"}, {"product_a"}),
    ("products", {"category": "中药"}, {"product_a"}),
    ("products", {"in_supporter_system": "true"}, {"product_a"}),
    ("products", {"listed": "false"}, {"product_c"}),
    ("sales-channels", {"pairing": "s"}, {"channel_pav"}),
    ("sales-channels", {"kind": "catalogue"}, {"channel_cat"}),
    ("sales-channels", {"market": "div:310000"}, {"channel_pav"}),
    ("sales-channels", {"year_from": 2024}, {"channel_pav"}),
    ("catalogue-listings", {}, {"listing_a", "listing_b"}),
    ("catalogue-listings", {"pairing": "s"}, {"listing_b"}),
    ("catalogue-listings", {"product": "product_a"}, {"listing_a"}),
    ("catalogue-listings", {"current": "true"}, {"listing_b"}),
    ("catalogue-listings", {"year_to": 2023}, {"listing_a"}),
    ("sales-records", {}, {"r1", "r2", "r3"}),
    ("sales-records", {"pairing": "s"}, {"r2"}),
    ("sales-records", {"product": "product_a"}, {"r1", "r3"}),
    ("sales-records", {"channel": "channel_pav"}, {"r2"}),
    ("sales-records", {"market": "div:110000"}, {"r1", "r3"}),  # 北京市 takes in 房山区
    ("sales-records", {"market": "div:110111"}, {"r1"}),
    ("sales-records", {"buyer_type": "public"}, {"r3"}),
    ("sales-records", {"year_from": 2024}, {"r2", "r3"}),
    ("sales-records", {"year_to": 2023}, {"r1"}),
    ("sales-contracts", {}, {"c1", "c2"}),
    ("sales-contracts", {"pairing": "s"}, {"c2"}),
    ("sales-contracts", {"product": "product_b"}, {"c2"}),
    ("sales-contracts", {"market": "div:310000"}, {"c2"}),
    ("sales-contracts", {"year_from": 2024, "year_to": 2024}, {"c2"}),
    ("sales-contracts", {"is_illustrative": "true"}, {"c1"}),
])
def test_each_filter_narrows(client, superuser, ledger, slug, params, expected):
    assert shown(client, superuser, ledger, slug, **params) == expected


def test_totals_and_summaries_are_those_of_the_filtered_rows(client, superuser, ledger):
    response = open_page(client, superuser, "sales-records", pairing=ledger.p.pk)
    body = response.content.decode()
    assert 'data-count="3"' in body
    assert "<strong data-total>600.50</strong>" in body
    assert summaries(response) == {"products": "2"}
    response = open_page(client, superuser, "sales-contracts", pairing=ledger.p.pk, year_to=2023)
    assert response.context["total"] == "1,000.00"
    response = open_page(client, superuser, "suppliers", pairing=ledger.p.pk)
    assert response.context["summaries"][0]["value"] == "12"


def test_search_and_sort(client, superuser, ledger):
    assert shown(client, superuser, ledger, "sales-records", q=ledger.product_b.name) == {"r2"}
    assert shown(client, superuser, ledger, "products", q="饮用") == {"product_b"}
    rows = open_page(client, superuser, "sales-records", pairing=ledger.p.pk, sort="-amount").context["rows"]
    assert [r["obj"].pk for r in rows] == [ledger.r3.pk, ledger.r2.pk, ledger.r1.pk]


def test_export_keeps_money_a_number_and_formulas_text(client, superuser, ledger):
    names = [c.name for c in get_register("sales-records").columns]
    amount, buyer = names.index("amount"), names.index("buyer")
    rows = xlsx_rows(open_page(client, superuser, "sales-records", "export-xlsx", pairing=ledger.p.pk))
    [r3] = [r for r in rows[1:] if r[buyer].value == "=HYPERLINK(1)"]
    assert r3[buyer].data_type == "s"
    assert r3[amount].value == pytest.approx(300.5) and not isinstance(r3[amount].value, str)
    lines = csv_rows(open_page(client, superuser, "sales-records", "export-csv", pairing=ledger.p.pk))
    [r3] = [r for r in lines[1:] if r[buyer].endswith("HYPERLINK(1)")]
    assert (r3[buyer], r3[amount]) == ("'=HYPERLINK(1)", "300.50")


# writes through the forms, as the demo's 北京市 office -----------------------------------------------


def demo_write_data(**fields) -> dict:
    top = pairing_find(actor=SYSTEM, supporter="北京市", recipient="巴东县")
    fangshan = Pairing.objects.get(parent=top, supporter__name="房山区")
    product = fangshan.products.order_by("name").first()
    return {"pairing": fangshan.pk, "product": product.pk, "channel": fangshan.sales_channels.get(kind="pavilion").pk,
            "market_division": division("110111").pk, "date": "2025-01-10", "amount": "12345.00",
            "buyer_type": "public", **fields}


@DEMO
def test_sales_record_added_through_the_form_is_audited(client, demo_db):
    beijing = get_user_model().objects.get(username="beijing")
    response = post_form(client, "sales-records", demo_write_data(), user=beijing)
    assert response.status_code == 302
    record = SalesRecord.objects.get(date=dt.date(2025, 1, 10), amount=Decimal("12345.00"))
    assert len(changes_for(record, "create")) == 1


@DEMO
def test_product_of_another_pairing_is_refused_next_to_the_product(client, demo_db):
    beijing = get_user_model().objects.get(username="beijing")
    water = SalesContract.objects.filter(buyer="北京市场经销商").get().product  # a product of 北京市 → 巴东县
    before = SalesRecord.objects.count()
    response = post_form(client, "sales-records", demo_write_data(product=water.pk), user=beijing)
    assert_refused(response, "product", SalesRecord, before)


@DEMO
def test_product_page_adds_sales_in_its_pairing(client, demo_db):
    beijing = get_user_model().objects.get(username="beijing")
    product_id = demo_write_data()["product"]
    body = open_page(client, beijing, "products", "detail", product_id).content.decode()
    assert f"?product={product_id}" in body
    initial = open_page(client, beijing, "sales-records", "create", product=product_id).context["form"].initial
    assert initial["pairing"] == demo_write_data()["pairing"]


# the dashboard's consumption card --------------------------------------------------------------


@DEMO
@pytest.mark.parametrize(("year_from", "year_to"), [(1992, 2024), (2021, 2025), (2024, 2024), (2020, 2023)])
def test_consumption_card_links_to_the_contracts_behind_it(client, demo_db, superuser, year_from, year_to):
    pairing = pairing_find(actor=SYSTEM, supporter="北京市", recipient="巴东县")
    figures = pairing_figures(actor=superuser, pairing=pairing, year_from=year_from, year_to=year_to)
    [card] = [c for c in figure_cards(figures, pairing, year_from, year_to) if c["key"] == "consumption"]
    client.force_login(superuser)
    response = client.get(card["url"])
    assert f"<strong data-total>{format_money(figures.contract_sales_yuan)}</strong>" in response.content.decode()
    assert response.context["paginator"].count == SalesContract.objects.filter(
        pairing__in=[pairing, *pairing.sub_pairings.all()],
        signed_on__year__gte=year_from, signed_on__year__lte=year_to,
    ).count()
    # the products sold in the supporter's market are the sales register's summary with the same filters
    response = open_page(client, superuser, "sales-records", pairing=pairing.pk, year_from=year_from, year_to=year_to,
                         market=pairing.supporter.division_id)
    assert response.context["summaries"][0]["value"] == str(figures.consumption_products)
