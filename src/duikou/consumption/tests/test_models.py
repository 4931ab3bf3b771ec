import datetime as dt
from decimal import Decimal

from duikou.consumption.models import SalesChannel
from duikou.organisations.models import AdminDivision
from duikou.testing.asserts import clean_errors as errors_of
from duikou.testing.factories import (
    CatalogueListingFactory,
    PairingFactory,
    ProductFactory,
    SalesContractFactory,
    SalesRecordFactory,
)


def test_product_origin_lies_in_the_recipient_county():
    pairing = PairingFactory.build(pk=1, recipient_division=AdminDivision(pk=1, code="422823", level="county"))
    outside = AdminDivision(pk=2, code="420506", level="county")
    assert "origin_division" in errors_of(ProductFactory.build(pairing=pairing, origin_division=outside))
    ProductFactory.build(pairing=pairing, origin_division=pairing.recipient_division).clean()


def test_sale_product_and_channel_of_the_same_pairing():
    pairing, other = PairingFactory.build(pk=1), PairingFactory.build(pk=2)
    sale = SalesRecordFactory.build(pairing=pairing, product__pairing=other, product__pk=5, channel__pairing=other,
                                    channel__pk=6)
    assert set(errors_of(sale)) == {"product", "channel"}


def test_listing_channel_is_a_catalogue():
    listing = CatalogueListingFactory.build(channel__kind=SalesChannel.Kind.PAVILION, channel__pk=3)
    assert "channel" in errors_of(listing)


def test_str():
    contract = SalesContractFactory.build(product__name="神农溪富锶矿泉水", buyer="北京某商贸公司")
    assert str(contract) == "神农溪富锶矿泉水 · 北京某商贸公司"
    sale = SalesRecordFactory.build(date=dt.date(2024, 11, 11), product__name="玄参", amount=Decimal("35000.00"))
    assert str(sale) == "2024-11-11 玄参 35000.00"
