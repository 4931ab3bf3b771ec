"""Rule writes: validated (key, value, no overlapping years), versioned from a year on, audited,
and written only by those whose scope reaches the rule's organisations."""

from decimal import Decimal

import pytest

from duikou.core.errors import PermissionDenied
from duikou.core.permissions import SYSTEM, can
from duikou.rules.models import Rule
from duikou.rules.selectors import rule_list, rule_value
from duikou.rules.services import rule_create, rule_delete, rule_set_from_year, rule_update
from duikou.testing.asserts import changes_for, refused

pytestmark = pytest.mark.django_db

KEY = "alloc.max_mgmt_fee"


@pytest.fixture
def city(pairings):
    return pairings.pairings["beijing_badong"]


def scope_of(pairing) -> dict:
    return {"programme": pairing.programme, "supporter": pairing.supporter, "recipient": pairing.recipient}


@pytest.mark.parametrize(("key", "value"), [
    (KEY, "abc"), (KEY, "1.5"), (KEY, "-0.1"), ("disclosure.min_days", "ten"), ("disclosure.min_days", "-3"),
    ("progress.start_rate_by_date", "13-01"), ("progress.start_rate_by_date", "4-1"),
    ("funds.carry_over_needs_approval", "maybe"), ("approval.change_threshold", "-1"), ("acceptance.owner", " "),
])
def test_a_value_of_the_wrong_kind_is_refused(city, key, value):
    with refused("value", Rule):
        rule_create(actor=SYSTEM, key=key, value=value, valid_from_year=2021, **scope_of(city))


def test_an_unknown_key_is_refused(city):
    with refused("key", Rule) as info:
        rule_create(actor=SYSTEM, key="alloc.anything", value="1", valid_from_year=2021, **scope_of(city))
    assert "alloc.max_mgmt_fee" in " ".join(info.value.message_dict["key"])  # the known keys are listed


def test_values_are_stored_in_their_canonical_form(city):
    rule = rule_create(actor=SYSTEM, key="funds.carry_over_needs_approval", value="是", valid_from_year=2021,
                       **scope_of(city))
    assert rule.value == "true"
    assert Rule.objects.get(pk=rule.pk).typed_value is True
    yuan = rule_create(actor=SYSTEM, key="approval.high_amount_threshold", value="1E+7", valid_from_year=2021,
                       **scope_of(city))
    assert yuan.value == "10000000" and yuan.typed_value == Decimal("10000000")


def test_overlapping_years_of_one_key_and_scope_are_refused(city):
    rule_create(actor=SYSTEM, key=KEY, value="0.02", valid_from_year=2021, valid_to_year=2023, **scope_of(city))
    for start, end in ((2023, None), (2019, 2021), (2022, 2022), (2000, None)):
        with refused("valid_from_year", Rule) as info:
            rule_create(actor=SYSTEM, key=KEY, value="0.01", valid_from_year=start, valid_to_year=end,
                        **scope_of(city))
        assert "2021" in " ".join(info.value.message_dict["valid_from_year"])
    rule_create(actor=SYSTEM, key=KEY, value="0.01", valid_from_year=2024, **scope_of(city))
    rule_create(actor=SYSTEM, key=KEY, value="0.01", valid_from_year=2021, programme=city.programme)  # another scope
    rule_create(actor=SYSTEM, key="alloc.min_share_minsheng", value="0.7", valid_from_year=2021, **scope_of(city))


def test_last_year_before_first_is_refused(city):
    with refused("valid_to_year", Rule):
        rule_create(actor=SYSTEM, key=KEY, value="0.02", valid_from_year=2023, valid_to_year=2022, **scope_of(city))


def test_set_from_year_closes_the_rule_in_force_and_records_both(city):
    old = rule_create(actor=SYSTEM, key=KEY, value="0.02", valid_from_year=2021, **scope_of(city))
    new = rule_set_from_year(actor=SYSTEM, key=KEY, value="0.01", year=2024, source="京援发〔2024〕1号",
                             **scope_of(city))
    old.refresh_from_db()
    assert (old.valid_to_year, new.valid_from_year, new.valid_to_year) == (2023, 2024, None)
    assert [c.action for c in changes_for(old)] == ["create", "update"]
    assert changes_for(new)[0].after["source"] == "京援发〔2024〕1号"
    assert rule_value(KEY, pairing=city, year=2023) == Decimal("0.02")
    assert rule_value(KEY, pairing=city, year=2024) == Decimal("0.01")


def test_set_from_year_refuses_a_year_a_row_already_starts_in(city):
    rule_create(actor=SYSTEM, key=KEY, value="0.02", valid_from_year=2024, **scope_of(city))
    with refused("valid_from_year", Rule):
        rule_set_from_year(actor=SYSTEM, key=KEY, value="0.01", year=2023, **scope_of(city))
    with refused("key", Rule):
        rule_set_from_year(actor=SYSTEM, key="nothing", value="1", year=2023, **scope_of(city))


def test_set_from_year_with_a_bad_value_saves_nothing(city):
    old = rule_create(actor=SYSTEM, key=KEY, value="0.02", valid_from_year=2021, **scope_of(city))
    with refused("value", Rule):
        rule_set_from_year(actor=SYSTEM, key=KEY, value="2", year=2024, **scope_of(city))
    old.refresh_from_db()
    assert old.valid_to_year is None  # the closing of the old row was rolled back too


# who may write ---------------------------------------------------------------------------------------


def general(**fields):
    return rule_create(actor=SYSTEM, key=KEY, value="0.02", valid_from_year=2021, **fields)


def test_general_rules_are_read_by_everyone_and_written_by_no_pairing_role(pairings, city):
    rule = general(programme=city.programme)
    for who in ("supporter", "district", "recipient", "read_only", "national", "foreign"):
        user = pairings.user(who)
        assert rule_list(actor=user).filter(pk=rule.pk).exists(), who
        assert not can(user, "change", rule)
        with pytest.raises(PermissionDenied):
            rule_update(actor=user, instance=rule, value="0.5")
    with pytest.raises(PermissionDenied):
        rule_create(actor=pairings.user("supporter"), key=KEY, value="0.5", valid_from_year=2030,
                    programme=city.programme)
    assert not rule_list(actor=pairings.user("anonymous")).exists()
    rule_update(actor=pairings.user("admin"), instance=rule, value="0.01")


def test_the_supporters_office_writes_the_rules_of_its_pairings(pairings, city):
    supporter, foreign = pairings.user("supporter"), pairings.user("foreign")
    rule = rule_set_from_year(actor=supporter, key=KEY, value="0.02", year=2022, **scope_of(city))
    assert rule_list(actor=supporter).filter(pk=rule.pk).exists()
    assert not rule_list(actor=foreign).filter(pk=rule.pk).exists()
    with pytest.raises(PermissionDenied):
        rule_set_from_year(actor=foreign, key=KEY, value="0.5", year=2023, **scope_of(city))
    with pytest.raises(PermissionDenied):
        rule_delete(actor=foreign, instance=rule)
    rule_delete(actor=supporter, instance=rule)


def test_refused_rule_write_leaves_no_record(city):
    with refused("value", Rule):
        rule_create(actor=SYSTEM, key=KEY, value="x", valid_from_year=2021, **scope_of(city))
