"""Row rules of organisations, checked on unsaved objects (no rows needed)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from duikou.organisations.choices import DivisionLevel
from duikou.organisations.models import AdminDivision, Organisation
from duikou.testing.factories import PairingFactory, ProgrammeFactory, SubPairingFactory


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [("110000", DivisionLevel.PROVINCE, "11"), ("422800", DivisionLevel.PREFECTURE, "4228"),
     ("422823", DivisionLevel.COUNTY, "422823")],
)
def test_code_prefix_is_what_descendants_share(code, level, prefix):
    assert AdminDivision(code=code, level=level).code_prefix == prefix


def test_division_str():
    assert str(AdminDivision(code="422823", name="巴东县")) == "巴东县 (422823)"


def test_organisation_cannot_be_its_own_parent():
    with pytest.raises(ValidationError) as info:
        Organisation(pk=7, parent_id=7, name="北京市").clean()
    assert "parent" in info.value.message_dict


def pairing(**kwargs):
    """An unsaved pairing whose related rows carry ids, so ``clean()`` sees them."""
    programme = ProgrammeFactory.build(pk=1, started_on=dt.date(1992, 1, 1))
    return PairingFactory.build(programme=programme, valid_from=dt.date(1992, 1, 1), supporter__pk=10,
                                recipient__pk=20, **kwargs)


def test_covers_year_uses_the_whole_years_of_the_period():
    p = PairingFactory.build(valid_from=dt.date(2021, 7, 1), valid_to=dt.date(2025, 3, 31))
    assert [p.covers_year(y) for y in (2020, 2021, 2025, 2026)] == [False, True, True, False]
    assert PairingFactory.build(valid_from=dt.date(1992, 1, 1)).covers_year(2100)


def test_pairing_str():
    p = PairingFactory.build(supporter__name="北京市", recipient__name="巴东县", programme__name="全国对口支援三峡库区",
                             valid_from=dt.date(1992, 1, 1), valid_to=None)
    assert p.short_label == "北京市 → 巴东县"
    assert str(p) == "北京市 → 巴东县 · 全国对口支援三峡库区 (1992–)"
    p.valid_to = dt.date(2020, 12, 31)
    assert str(p).endswith("(1992–2020)")


def test_recipient_differs_from_supporter():
    p = pairing()
    p.recipient_id = p.supporter_id
    with pytest.raises(ValidationError) as info:
        p.clean()
    assert "recipient" in info.value.message_dict


def test_pairing_cannot_start_before_its_programme():
    p = pairing()
    p.valid_from = dt.date(1991, 12, 31)
    with pytest.raises(ValidationError) as info:
        p.clean()
    assert "valid_from" in info.value.message_dict


def sub(parent, **kwargs):
    return SubPairingFactory.build(parent=parent, **kwargs)


def test_sub_pairing_lies_inside_its_parents_period():
    parent = pairing(valid_to=dt.date(2025, 12, 31))
    sub(parent, valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2025, 12, 31)).clean()
    for kwargs in (
        {"valid_from": dt.date(1991, 1, 1), "valid_to": dt.date(2000, 1, 1)},  # starts before
        {"valid_from": dt.date(2021, 1, 1), "valid_to": dt.date(2026, 1, 1)},  # ends after
        {"valid_from": dt.date(2021, 1, 1), "valid_to": None},  # open-ended inside a closed parent
    ):
        with pytest.raises(ValidationError) as info:
            sub(parent, **kwargs).clean()
        assert "valid_from" in info.value.message_dict, kwargs


def test_sub_pairing_supports_its_parents_recipient_in_its_programme():
    parent = pairing()
    s = sub(parent)
    s.recipient_id = 99
    with pytest.raises(ValidationError) as info:
        s.clean()
    assert "parent" in info.value.message_dict
    s = sub(parent)
    s.programme = ProgrammeFactory.build(pk=2, started_on=dt.date(1992, 1, 1))
    with pytest.raises(ValidationError) as info:
        s.clean()
    assert "parent" in info.value.message_dict
