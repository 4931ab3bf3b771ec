"""DEFAULT_RULES: every key well-formed, its default readable as its kind, and documented."""

import re
from pathlib import Path

import pytest

from duikou.rules.defaults import BLOCKING, DEFAULT_RULES, FAMILIES, KINDS, MONITORING
from duikou.rules.values import format_value, parse_value

DOC = Path(__file__).resolve().parents[4] / "docs" / "user" / "rules.md"

# The keys the brief and domain guide §6 name; the others may be added, these may not go.
REQUIRED = {
    "alloc.min_share_minsheng", "alloc.min_share_grassroots", "alloc.target_share_industry", "alloc.max_mgmt_fee",
    "alloc.earmark_lianbuchou", "progress.start_rate_by_date", "progress.start_rate_min", "progress.q1_spend_min",
    "progress.q2_spend_min", "progress.q3_spend_min", "progress.q4_spend_min", "funds.idle_years_realloc",
    "funds.carry_over_needs_approval", "funds.tranches", "disclosure.min_days", "disclosure.publish_within_wd",
    "completeness.before_library", "consumption.canteen_share_min", "consumption.union_welfare_share_min",
    "consumption.reserve_entry_deadline", "consumption.product_min_value", "approval.change_threshold",
    "approval.high_amount_threshold", "acceptance.owner",
}


def test_every_required_key_is_there():
    assert REQUIRED <= set(DEFAULT_RULES)


@pytest.mark.parametrize("key", sorted(DEFAULT_RULES))
def test_default_is_well_formed(key):
    rule = DEFAULT_RULES[key]
    assert rule.key == key and rule.family in FAMILIES and rule.kind in KINDS
    assert rule.mode in (BLOCKING, MONITORING)
    assert rule.description and rule.precedent and rule.unit and rule.checked_by
    assert parse_value(rule.kind, format_value(rule.kind, rule.default)) == rule.default
    assert rule.source.startswith("http") or not rule.verified or rule.precedent, key


@pytest.mark.parametrize("key", sorted(DEFAULT_RULES))
def test_every_key_is_documented_with_its_default_and_mode(key):
    rule = DEFAULT_RULES[key]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z_.0-9]+)` \|.*$", DOC.read_text("utf-8"), re.M)}
    assert key in rows, f"docs/user/rules.md: add {key} to the table of rules"
    row = rows[key]
    assert f"`{format_value(rule.kind, rule.default)}`" in row
    assert ("blocks" if rule.is_blocking else "warns") in row
    if not rule.verified:
        assert "design default" in row, f"{key} is a design default: say so in docs/user/rules.md"


def test_documented_precedent_defaults():
    """The precedents of domain guide §6 are the defaults (where a figure is public)."""
    from decimal import Decimal

    expected = {"alloc.min_share_minsheng": Decimal("0.80"), "alloc.min_share_grassroots": Decimal("0.80"),
                "progress.start_rate_by_date": "04-01", "progress.start_rate_min": Decimal("1.00"),
                "progress.q1_spend_min": Decimal("0.30"), "funds.idle_years_realloc": 2, "disclosure.min_days": 10,
                "approval.change_threshold": Decimal("0"), "funds.carry_over_needs_approval": True}
    assert {k: DEFAULT_RULES[k].default for k in expected} == expected
