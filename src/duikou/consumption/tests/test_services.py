import datetime as dt
from decimal import Decimal

import pytest

from duikou.consumption.models import CatalogueListing, Product, SalesChannel, SalesContract, SalesRecord, Supplier
from duikou.consumption.services import (
    catalogue_listing_create,
    product_create,
    sales_channel_create,
    sales_contract_create,
    sales_record_create,
    supplier_create,
)
from duikou.organisations.selectors import division_by_code
from duikou.testing.asserts import changes_for, refused
from duikou.testing.factories import ProductFactory, SalesChannelFactory, SupplierFactory

pytestmark = pytest.mark.django_db

CITY = "beijing_badong"


@pytest.fixture
def city(pairings):
    return pairings.pairings[CITY]


@pytest.fixture
def user(pairings):
    return pairings.user("supporter")


def sale(city, **fields):
    return {"pairing": city, "product": ProductFactory(pairing=city), "channel": SalesChannelFactory(pairing=city),
            "market_division": division_by_code("110000"), "date": dt.date(2024, 11, 11),
            "amount": Decimal("35000.00")} | fields


def contract(city, **fields):
    return {"pairing": city, "product": ProductFactory(pairing=city, name="神农溪富锶矿泉水"), "buyer": "北京某商贸公司",
            "market_division": division_by_code("110000"), "signed_on": dt.date(2024, 8, 1),
            "amount": Decimal("18300000.00")} | fields


def test_sale_is_audited(city, user):
    record = sales_record_create(actor=user, **sale(city))
    [change] = changes_for(record)
    assert change.after["amount"] == "35000.00"


@pytest.mark.parametrize("amount", [Decimal("-0.01"), "abc"])
def test_sale_amount_is_a_non_negative_number(city, user, amount):
    data = sale(city, amount=amount)
    with refused("amount", SalesRecord):
        sales_record_create(actor=user, **data)


def test_sale_quantity_is_not_negative(city, user):
    data = sale(city, quantity=Decimal("-1"), unit="kg")
    with refused("quantity", SalesRecord):
        sales_record_create(actor=user, **data)


def test_sale_product_and_channel_belong_to_the_pairing(pairings, city):
    foreign = pairings.pairings["shanghai_yiling"]
    data = sale(city, product=ProductFactory(pairing=foreign), channel=SalesChannelFactory(pairing=foreign))
    with refused("product", SalesRecord) as info:
        sales_record_create(actor=pairings.user("admin"), **data)
    assert "channel" in info.value.message_dict


@pytest.mark.parametrize("amount", [Decimal("-1"), Decimal("0"), "abc"])
def test_contract_amount_is_a_positive_number(city, user, amount):
    data = contract(city, amount=amount)
    with refused("amount", SalesContract):
        sales_contract_create(actor=user, **data)


def test_product_comes_from_the_recipient_county(city, user):
    with refused("origin_division", Product):
        product_create(actor=user, pairing=city, name="宜昌蜜桔", origin_division=division_by_code("420506"))
    assert product_create(actor=user, pairing=city, name="巴东玄参", origin_division=division_by_code("422823")).pk


def test_product_and_supplier_names_are_unique_per_pairing(city, user):
    ProductFactory(pairing=city, name="巴东玄参")
    with refused("__all__", Product):
        product_create(actor=user, pairing=city, name="巴东玄参", origin_division=division_by_code("422823"))
    SupplierFactory(pairing=city, name="巴东县某合作社")
    with refused("__all__", Supplier):
        supplier_create(actor=user, pairing=city, name="巴东县某合作社", division=division_by_code("422823"))


def test_channel_closes_after_it_opens(city, user):
    with refused("closed_on", SalesChannel):
        sales_channel_create(actor=user, pairing=city, name="房山区对口支援巴东乡村振兴消费帮扶馆",
                             kind=SalesChannel.Kind.PAVILION, opened_on=dt.date(2024, 5, 1),
                             closed_on=dt.date(2024, 4, 30))


def test_listing_needs_a_catalogue_channel_and_sensible_dates(city, user):
    product = ProductFactory(pairing=city)
    pavilion = SalesChannelFactory(pairing=city, kind=SalesChannel.Kind.PAVILION)
    catalogue = SalesChannelFactory(pairing=city, kind=SalesChannel.Kind.CATALOGUE)
    with refused("channel", CatalogueListing):
        catalogue_listing_create(actor=user, product=product, channel=pavilion, listed_on=dt.date(2024, 1, 1))
    with refused("delisted_on", CatalogueListing):
        catalogue_listing_create(actor=user, product=product, channel=catalogue, listed_on=dt.date(2024, 1, 1),
                                 delisted_on=dt.date(2023, 12, 31))
    assert catalogue_listing_create(actor=user, product=product, channel=catalogue, listed_on=dt.date(2024, 1, 1)).pk
