import datetime as dt
from decimal import Decimal

import pytest

from duikou.organisations.models import AdminDivision
from duikou.testing.asserts import clean_errors as errors_of
from duikou.testing.factories import PairingFactory, ProjectBeneficiaryFactory, ProjectFactory, ProjectOutputFactory


@pytest.fixture
def pairing():
    badong = AdminDivision(pk=3, code="422823", level="county", name="巴东县")
    return PairingFactory.build(pk=1, valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2025, 12, 31),
                                recipient_division=badong)



def test_valid_project(pairing):
    ProjectFactory.build(pairing=pairing, location_division=pairing.recipient_division, start_year=2023).clean()


def test_years_outside_the_pairing(pairing):
    assert "start_year" in errors_of(ProjectFactory.build(pairing=pairing, location_division=pairing.recipient_division,
                                                          start_year=2020, end_year=2022))
    errors = errors_of(ProjectFactory.build(pairing=pairing, location_division=pairing.recipient_division,
                                            start_year=2025, end_year=2026))
    assert list(errors) == ["end_year"] and "2021–2025" in errors["end_year"][0]


def test_location_outside_the_recipient(pairing):
    yiling = AdminDivision(pk=2, code="420506", level="county", name="夷陵区")
    errors = errors_of(ProjectFactory.build(pairing=pairing, location_division=yiling, start_year=2023))
    assert "巴东县" in errors["location_division"][0]


def test_a_prefecture_recipient_takes_its_counties():
    enshi = AdminDivision(code="422800", level="prefecture", name="恩施州")
    pairing = PairingFactory.build(pk=1, valid_from=dt.date(2021, 1, 1), recipient_division=enshi)
    ProjectFactory.build(pairing=pairing, start_year=2023,
                         location_division=AdminDivision(pk=3, code="422823", level="county")).clean()


def test_str():
    assert str(ProjectFactory.build(code="P1", name="水健康产业园")) == "P1 水健康产业园"
    assert str(ProjectOutputFactory.build(name="道路", quantity=Decimal("3.20"), unit="km")) == "道路 3.2 km"
    assert str(ProjectBeneficiaryFactory.build(group="师生", count=1200)) == "师生 1200+"
