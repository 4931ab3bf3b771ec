import datetime as dt
from decimal import Decimal

import pytest

from duikou.investment.models import CooperationAgreement, EnterpriseIntroduction
from duikou.investment.services import cooperation_agreement_create, enterprise_introduction_create
from duikou.organisations.choices import OrganisationKind
from duikou.testing.asserts import changes_for, refused
from duikou.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def introduction(world, **fields):
    return {"pairing": world.pairings["beijing_badong"],
            "enterprise": OrganisationFactory(name="时珍堂药业", kind=OrganisationKind.ENTERPRISE),
            "introduced_on": dt.date(2022, 3, 1)} | fields


def test_introduction_is_audited(pairings):
    intro = enterprise_introduction_create(actor=pairings.user("supporter"),
                                           **introduction(pairings, agreed_amount=Decimal("50000000")))
    [change] = changes_for(intro)
    assert change.after["agreed_amount"] == "50000000.00"


def test_only_enterprises_are_introduced(pairings):
    data = introduction(pairings, enterprise=OrganisationFactory(kind=OrganisationKind.UNIVERSITY))
    with refused("enterprise", EnterpriseIntroduction):
        enterprise_introduction_create(actor=pairings.user("supporter"), **data)


@pytest.mark.parametrize("field", ["agreed_amount", "paid_in_amount"])
def test_investment_amounts_are_not_negative(pairings, field):
    data = introduction(pairings, **{field: Decimal("-1")})
    with refused(field, EnterpriseIntroduction) as info:
        enterprise_introduction_create(actor=pairings.user("supporter"), **data)
    assert len(info.value.message_dict) == 1  # the other amount is not blamed


def test_agreement_is_signed_after_the_introduction(pairings):
    data = introduction(pairings, agreement_signed_on=dt.date(2022, 2, 1))
    with refused("agreement_signed_on", EnterpriseIntroduction):
        enterprise_introduction_create(actor=pairings.user("supporter"), **data)


def test_introduction_lies_inside_the_pairing(pairings):
    data = introduction(pairings, pairing=pairings.pairings["fangshan_badong"], introduced_on=dt.date(2019, 1, 1))
    with refused("introduced_on", EnterpriseIntroduction):
        enterprise_introduction_create(actor=pairings.user("supporter"), **data)


def agreement(world, **fields):
    return {"pairing": world.pairings["beijing_badong"], "title": "首都医科大学中医药学院与巴东县战略合作协议",
            "kind": CooperationAgreement.Kind.STRATEGIC, "signed_on": dt.date(2024, 7, 1), "signed_year": 2024} | fields


def test_agreement_with_parties_is_audited(pairings):
    parties = [pairings.orgs["巴东县"], OrganisationFactory(name="首都医科大学中医药学院", kind=OrganisationKind.UNIVERSITY)]
    a = cooperation_agreement_create(actor=pairings.user("supporter"), m2m={"parties": parties}, **agreement(pairings))
    assert set(a.parties.all()) == set(parties)
    [change] = changes_for(a)
    assert sorted(change.after["parties"]) == sorted(p.pk for p in parties)


def test_agreement_year_matches_its_date_and_ends_after_it(pairings):
    with refused("signed_year", CooperationAgreement):
        cooperation_agreement_create(actor=pairings.user("supporter"), **agreement(pairings, signed_year=2023))
    with refused("valid_until", CooperationAgreement):
        cooperation_agreement_create(actor=pairings.user("supporter"),
                                     **agreement(pairings, valid_until=dt.date(2024, 6, 30)))
