"""Money shown as offices write it: exact yuan strings, 万元 / 亿元, and the headline form."""

from decimal import Decimal

import pytest

from duikou.core.money import as_yuan_str, cn_amount, cn_amount_auto, floor_cn


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("51130000"), "51130000.00"), (Decimal("0.005"), "0.01"), (None, "0.00"), (Decimal("-1.2"), "-1.20"),
])
def test_as_yuan_str(value, expected):
    assert as_yuan_str(value) == expected


def test_cn_amount_in_wan_and_yi():
    assert cn_amount(Decimal("51130000")) == "5,113.00万元"
    assert cn_amount(Decimal("260000000"), "亿元") == "2.60亿元"
    assert cn_amount(None) == "0.00万元"


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("1146380000"), "11.46亿元"), (Decimal("100000000"), "1.00亿元"), (Decimal("99999999"), "10,000.00万元"),
    (Decimal("18360000"), "1,836.00万元"), (Decimal("0"), "0.00万元"),
])
def test_cn_amount_auto_switches_to_yi_from_one_hundred_million(value, expected):
    assert cn_amount_auto(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("1146380000"), "11.4亿多元"), (Decimal("51130000"), "5113万元"), (Decimal("18360000"), "1836万元"),
    (Decimal("51135000"), "5113万多元"), (Decimal("300000000"), "3亿元"),
])
def test_floor_cn_is_the_headline_form(value, expected):
    assert floor_cn(value) == expected
