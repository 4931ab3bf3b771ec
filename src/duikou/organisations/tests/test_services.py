import datetime as dt

import pytest

from duikou.core.errors import PermissionDenied
from duikou.organisations.choices import OrganisationKind, PairingLevel
from duikou.organisations.models import AdminDivision, Organisation, Pairing, Programme
from duikou.organisations.services import (
    division_create,
    organisation_create,
    organisation_update,
    pairing_create,
    pairing_update,
    programme_create,
)
from duikou.testing.asserts import changes_for, refused
from duikou.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(pairings):
    return pairings.pairings["beijing_badong"]


def sub_pairing_data(world, **fields):
    city = world.pairings["beijing_badong"]
    supporter = OrganisationFactory(kind=OrganisationKind.DISTRICT, parent=world.orgs["北京市"])
    return {
        "programme": city.programme, "supporter": supporter, "recipient": city.recipient,
        "recipient_division": city.recipient_division, "level": PairingLevel.DISTRICT_COUNTY, "parent": city,
        "valid_from": dt.date(2021, 1, 1),
    } | fields


def test_supporter_office_creates_a_district_sub_pairing(pairings):
    user = pairings.user("supporter")
    p = pairing_create(actor=user, **sub_pairing_data(pairings))
    assert p.parent == pairings.pairings["beijing_badong"]
    [change] = changes_for(p)
    assert (change.action, change.actor, change.after["parent"]) == ("create", user, p.parent_id)


def test_pairing_ends_after_it_starts(pairings):
    with refused("valid_to", Pairing):
        pairing_create(actor=pairings.user("admin"),
                       **sub_pairing_data(pairings, valid_from=dt.date(2022, 1, 1), valid_to=dt.date(2021, 12, 31)))


def test_sub_pairing_lies_inside_its_parent(pairings, city):
    admin = pairings.user("admin")
    pairing_update(actor=admin, instance=city, valid_to=dt.date(2025, 12, 31))
    with refused("valid_from", Pairing):
        pairing_create(actor=admin, **sub_pairing_data(pairings, valid_from=dt.date(2021, 1, 1),
                                                        valid_to=dt.date(2026, 12, 31)))


def test_sub_pairing_has_its_parents_recipient(pairings):
    yiling = pairings.orgs["夷陵区"]
    with refused("parent", Pairing):
        pairing_create(actor=pairings.user("admin"),
                       **sub_pairing_data(pairings, recipient=yiling, recipient_division=yiling.division))


def test_pairing_starts_with_its_programme(pairings):
    with refused("valid_from", Pairing):
        pairing_create(actor=pairings.user("admin"), **sub_pairing_data(pairings, parent=None,
                                                                         valid_from=dt.date(1990, 1, 1)))


def test_pairing_starts_once_per_date(pairings, city):
    with refused("__all__", Pairing):
        pairing_create(actor=pairings.user("admin"), **sub_pairing_data(
            pairings, supporter=city.supporter, parent=None, valid_from=city.valid_from))


def test_changing_the_period_is_audited_with_dates_as_iso_strings(pairings, city):
    pairing_update(actor=pairings.user("supporter"), instance=city, valid_to=dt.date(2025, 12, 31))
    [change] = changes_for(city, "update")
    assert change.before["valid_to"] is None and change.after["valid_to"] == "2025-12-31"


def test_organisation_names_are_unique_per_kind(pairings):
    beijing = pairings.orgs["北京市"]
    with refused("__all__", Organisation):
        organisation_create(actor=pairings.user("admin"), name=beijing.name, kind=beijing.kind)
    organisation_create(actor=pairings.user("admin"), name=beijing.name, kind=OrganisationKind.OTHER)


def test_organisation_validity_ends_after_it_starts(pairings):
    with refused("valid_to", Organisation):
        organisation_create(actor=pairings.user("admin"), name="北京市扶贫支援办", kind=OrganisationKind.OTHER,
                            valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2019, 1, 1))


def test_programme_ends_after_it_starts(pairings):
    with refused("ended_on", Programme):
        programme_create(actor=pairings.user("admin"), code="east-west", name="东西部协作", kind="east_west",
                         started_on=dt.date(2016, 1, 1), ended_on=dt.date(2015, 12, 31))


def test_supporter_creates_organisations_below_its_own_only(pairings):
    user = pairings.user("supporter")
    unit = organisation_create(actor=user, name="北京市卫生健康委员会", kind=OrganisationKind.MEMBER_UNIT,
                               parent=pairings.orgs["北京市"])
    assert unit.parent.name == "北京市"
    with pytest.raises(PermissionDenied):
        organisation_create(actor=user, name="无主单位", kind=OrganisationKind.OTHER)
    with pytest.raises(PermissionDenied):  # nor adopt another supporter's organisation
        organisation_update(actor=user, instance=pairings.orgs["上海市"], parent=pairings.orgs["北京市"])


def test_divisions_are_written_by_national_scope_only(pairings):
    with pytest.raises(PermissionDenied):
        division_create(actor=pairings.user("national"), code="T99999", name="测试县", level="county")
    assert not AdminDivision.objects.filter(code="T99999").exists()
    division_create(actor=pairings.user("admin"), code="T99999", name="测试县", level="county")
    assert AdminDivision.objects.filter(code="T99999").exists()
