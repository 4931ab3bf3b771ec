"""rule_value: the most specific row valid in the year, else the default; values read exactly."""

import datetime as dt
from decimal import Decimal

import pytest

from duikou.core.permissions import SYSTEM
from duikou.rules.defaults import DEFAULT_RULES
from duikou.rules.selectors import rule_resolve, rule_table, rule_value
from duikou.rules.services import rule_create, rule_set_from_year
from duikou.testing.factories import PairingFactory, ProgrammeFactory, RuleFactory, SubPairingFactory

pytestmark = pytest.mark.django_db

KEY = "alloc.max_mgmt_fee"


def general(programme=None, **kwargs):
    return RuleFactory(programme=programme, supporter=None, recipient=None, **kwargs)


def test_default_when_no_row():
    pairing = PairingFactory()
    assert rule_value(KEY, pairing=pairing, year=2022) == DEFAULT_RULES[KEY].default == Decimal("0.03")
    assert rule_value("disclosure.min_days", year=2022) == 10
    assert rule_value("progress.start_rate_by_date", pairing=pairing) == "04-01"
    assert rule_value("funds.carry_over_needs_approval", pairing=pairing) is True
    assert rule_resolve(KEY, pairing=pairing, year=2022).rule is None


def test_unknown_key_is_a_key_error():
    with pytest.raises(KeyError, match="unknown rule key"):
        rule_value("alloc.nothing")


def test_most_specific_row_wins():
    pairing = PairingFactory()
    other = PairingFactory(programme=pairing.programme)
    general(valid_from_year=2000, value="0.05")
    assert rule_value(KEY, pairing=pairing, year=2022) == Decimal("0.05")
    general(pairing.programme, valid_from_year=2000, value="0.04")
    assert rule_value(KEY, pairing=pairing, year=2022) == Decimal("0.04")
    RuleFactory(pairing=pairing, recipient=None, programme=None, valid_from_year=2000, value="0.025")
    assert rule_value(KEY, pairing=pairing, year=2022) == Decimal("0.025")
    RuleFactory(pairing=pairing, valid_from_year=2000, value="0.015")
    assert rule_value(KEY, pairing=pairing, year=2022) == Decimal("0.015")
    # another pairing of the programme sees only the programme's rule
    assert rule_value(KEY, pairing=other, year=2022) == Decimal("0.04")
    # a programme-only question sees the programme's rule; another programme the general one
    assert rule_value(KEY, programme=pairing.programme, year=2022) == Decimal("0.04")
    assert rule_value(KEY, programme=ProgrammeFactory(), year=2022) == Decimal("0.05")


def test_recipient_rule_ranks_below_the_supporters():
    pairing = PairingFactory()
    RuleFactory(pairing=pairing, supporter=None, valid_from_year=2000, value="0.02")
    assert rule_value(KEY, pairing=pairing, year=2022) == Decimal("0.02")
    RuleFactory(pairing=pairing, recipient=None, valid_from_year=2000, value="0.01")
    assert rule_value(KEY, pairing=pairing, year=2022) == Decimal("0.01")


def test_sub_pairing_inherits_its_parents_rule_and_may_override_it():
    sub = SubPairingFactory()
    RuleFactory(pairing=sub.parent, valid_from_year=2000, value="0.02")
    assert rule_value(KEY, pairing=sub, year=2022) == Decimal("0.02")
    RuleFactory(pairing=sub, recipient=None, valid_from_year=2000, value="0.01")
    assert rule_value(KEY, pairing=sub, year=2022) == Decimal("0.01")
    assert rule_value(KEY, pairing=sub.parent, year=2022) == Decimal("0.02")


def test_rule_holds_only_in_its_years():
    pairing = PairingFactory()
    RuleFactory(pairing=pairing, valid_from_year=2022, valid_to_year=2023, value="0.02")
    assert rule_value(KEY, pairing=pairing, year=2021) == Decimal("0.03")
    assert rule_value(KEY, pairing=pairing, year=2022) == Decimal("0.02")
    assert rule_value(KEY, pairing=pairing, year=2023) == Decimal("0.02")
    assert rule_value(KEY, pairing=pairing, year=2024) == Decimal("0.03")


def test_year_defaults_to_this_year(monkeypatch):
    pairing = PairingFactory()
    this_year = dt.date.today().year
    RuleFactory(pairing=pairing, valid_from_year=this_year, value="0.02")
    assert rule_value(KEY, pairing=pairing) == Decimal("0.02")


@pytest.mark.parametrize(("key", "text", "expected"), [
    (KEY, "0.0125", Decimal("0.0125")),
    ("approval.high_amount_threshold", "12345678.90", Decimal("12345678.90")),
    ("disclosure.min_days", "15", 15),
    ("progress.start_rate_by_date", "05-15", "05-15"),
    ("funds.carry_over_needs_approval", "false", False),
    ("acceptance.owner", "supporter_office", "supporter_office"),
])
def test_values_round_trip_exactly(key, text, expected):
    pairing = PairingFactory()
    rule_create(actor=SYSTEM, key=key, value=text, programme=pairing.programme, supporter=pairing.supporter,
                recipient=pairing.recipient, valid_from_year=2021)
    value = rule_value(key, pairing=pairing, year=2022)
    assert value == expected and type(value) is type(expected)
    if isinstance(expected, Decimal):
        assert str(value) == text  # the digits as written, not 0.01250000 or 1.2345678900E+7


def test_decimal_value_written_as_decimal_keeps_its_digits():
    pairing = PairingFactory()
    rule = rule_create(actor=SYSTEM, key=KEY, value=Decimal("0.010"), supporter=pairing.supporter,
                       valid_from_year=2021)
    assert rule.value == "0.010"
    assert str(rule_value(KEY, pairing=pairing, year=2021)) == "0.010"


def test_blocking_follows_the_row_or_the_default():
    pairing = PairingFactory()
    assert rule_resolve(KEY, pairing=pairing, year=2022).is_blocking is True
    assert rule_resolve("alloc.min_share_minsheng", pairing=pairing, year=2022).is_blocking is False
    RuleFactory(pairing=pairing, valid_from_year=2000, is_blocking=False)
    assert rule_resolve(KEY, pairing=pairing, year=2022).is_blocking is False


def test_set_from_year_keeps_the_earlier_value_for_earlier_years():
    pairing = PairingFactory()
    scope = {"programme": pairing.programme, "supporter": pairing.supporter, "recipient": pairing.recipient}
    first = rule_set_from_year(actor=SYSTEM, key=KEY, value="0.02", year=2021, **scope)
    rule_set_from_year(actor=SYSTEM, key=KEY, value="0.01", year=2023, **scope)
    first.refresh_from_db()
    assert (first.valid_from_year, first.valid_to_year) == (2021, 2022)
    assert [rule_value(KEY, pairing=pairing, year=y) for y in (2020, 2021, 2022, 2023, 2030)] == [
        Decimal("0.03"), Decimal("0.02"), Decimal("0.02"), Decimal("0.01"), Decimal("0.01")]


def test_rule_table_lists_every_key():
    table = rule_table(pairing=PairingFactory(), year=2022)
    assert [r.key for r in table] == sorted(DEFAULT_RULES)
    assert all(r.origin == "default" for r in table)
