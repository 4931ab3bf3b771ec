"""The investment pages: filters, search, sorting, forms, exports and the dashboard's investment link.

The contract every register keeps is in ``tests/test_registers.py``; the helpers are
:mod:`duikou.testing.pages`. Rows are made in fresh pairings, so the tests hold with or without the demo.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from duikou.investment.models import CooperationAgreement, EnterpriseIntroduction
from duikou.organisations.choices import OrganisationKind
from duikou.testing import factories as f
from duikou.testing.pages import (
    PERIODS,
    as_superuser,
    check_choice_filter,
    check_created,
    check_formula_is_text,
    check_money_is_a_number,
    check_pairing_filter,
    check_search,
    check_service_error_shown,
    check_year_filters,
    create_form,
    demo_figures,
    demo_top_pairing,
    listed,
    listing,
    login_member,
    post_form,
    summaries,
)

pytestmark = pytest.mark.django_db

Status = EnterpriseIntroduction.Status


@pytest.fixture
def admin(client):
    as_superuser(client)
    return client


def enterprise(name="巴东某某药业有限公司"):
    return f.OrganisationFactory(name=name, kind=OrganisationKind.ENTERPRISE)


# filters, search, sort --------------------------------------------------------------------


@pytest.mark.parametrize("slug,model", [
    ("enterprise-introductions", EnterpriseIntroduction), ("cooperation-agreements", CooperationAgreement),
])
def test_pairing_filter_includes_sub_pairings(admin, slug, model):
    check_pairing_filter(admin, slug, model)


@pytest.mark.parametrize("slug,model,in_year", [
    ("enterprise-introductions", EnterpriseIntroduction, lambda y: {"introduced_on": dt.date(y, 4, 1)}),
    ("cooperation-agreements", CooperationAgreement, lambda y: {"signed_year": y, "signed_on": dt.date(y, 7, 1)}),
])
def test_year_filters(admin, slug, model, in_year):
    check_year_filters(admin, slug, model, in_year)


@pytest.mark.parametrize("slug,model,param,value,match,other", [
    ("enterprise-introductions", EnterpriseIntroduction, "status", "visited", {"status": Status.VISITED}, {}),
    ("enterprise-introductions", EnterpriseIntroduction, "status_group", "counted", {"status": Status.AGREED},
     {"status": Status.LEAD}),
    ("enterprise-introductions", EnterpriseIntroduction, "status_group", "open", {"status": Status.LEAD},
     {"status": Status.DROPPED}),
    ("enterprise-introductions", EnterpriseIntroduction, "is_illustrative", "true", {"is_illustrative": True}, {}),
    ("cooperation-agreements", CooperationAgreement, "kind", "hospital",
     {"kind": CooperationAgreement.Kind.HOSPITAL}, {}),
])
def test_choice_filters_narrow(admin, slug, model, param, value, match, other):
    check_choice_filter(admin, slug, model, param, value, match, other)


def test_counted_means_agreed_or_landed(admin):
    pairing = f.PairingFactory()
    rows = {status: f.EnterpriseIntroductionFactory(pairing=pairing, status=status) for status in Status.values}
    kept = {rows[Status.AGREED].pk, rows[Status.LANDED].pk}
    assert listed(listing(admin, "enterprise-introductions", pairing=pairing.pk, status_group="counted")) == kept


@pytest.mark.parametrize("slug,model,match", [
    ("enterprise-introductions", EnterpriseIntroduction, {"industry": "富硒茶加工"}),
    ("enterprise-introductions", EnterpriseIntroduction, {"note": "已签约待落地"}),
    ("cooperation-agreements", CooperationAgreement, {"title": "医疗卫生合作框架协议"}),
])
def test_search(admin, slug, model, match):
    check_search(admin, slug, model, **match)


def test_search_by_enterprise_name(admin):
    pairing = f.PairingFactory()
    found = f.EnterpriseIntroductionFactory(pairing=pairing, enterprise=enterprise("湖北巴东魔芋科技有限公司"))
    f.EnterpriseIntroductionFactory(pairing=pairing)
    assert listed(listing(admin, "enterprise-introductions", pairing=pairing.pk, q="魔芋科技")) == {found.pk}


def test_sort_by_agreed_amount(admin):
    pairing = f.PairingFactory()
    amounts = [Decimal("300"), Decimal("100"), Decimal("200")]
    for amount in amounts:
        f.EnterpriseIntroductionFactory(pairing=pairing, agreed_amount=amount)
    rows = listing(admin, "enterprise-introductions", pairing=pairing.pk, sort="-agreed_amount").context["rows"]
    assert [row["obj"].agreed_amount for row in rows] == sorted(amounts, reverse=True)


def test_total_and_summaries(admin):
    top = f.PairingFactory()
    sub = f.SubPairingFactory(parent=top)
    company = enterprise()
    f.EnterpriseIntroductionFactory(pairing=top, enterprise=company, agreed_amount=Decimal("100000000"),
                                    paid_in_amount=Decimal("25000000.50"), jobs=120)
    f.EnterpriseIntroductionFactory(pairing=sub, enterprise=company, agreed_amount=Decimal("46380000"), jobs=30)
    f.EnterpriseIntroductionFactory(pairing=top)
    response = listing(admin, "enterprise-introductions", pairing=top.pk)
    body = response.content.decode()
    assert 'data-count="3"' in body
    assert "<strong data-total>146,380,000.00</strong>" in body
    assert summaries(response) == {"paid_in": "25,000,000.50", "enterprises": "2", "jobs": "150"}


# forms --------------------------------------------------------------------------------------


def introduction_data(pairing, company, **extra) -> dict:
    return {"pairing": pairing.pk, "enterprise": company.pk, "status": "agreed", "introduced_on": "2024-04-01",
            **extra}


def test_create_introduction_through_the_form(admin):
    pairing = f.PairingFactory()
    cadre = f.SecondmentFactory(batch__pairing=pairing)
    intro = check_created(admin, "enterprise-introductions", EnterpriseIntroduction, introduction_data(
        pairing, enterprise(), agreement_signed_on="2024-05-01", agreed_amount="50000000.00", jobs="80",
        responsible_cadre=cadre.pk, industry="中药材",
    ))
    assert (intro.status, intro.agreed_amount, intro.responsible_cadre) == (Status.AGREED, Decimal("50000000.00"), cadre)


def test_enterprise_choices_are_enterprises_only(admin):
    company, other = enterprise(), f.OrganisationFactory(kind=OrganisationKind.UNIVERSITY)
    form = create_form(admin, "enterprise-introductions")
    assert company in form.fields["enterprise"].queryset
    assert other not in form.fields["enterprise"].queryset
    pairing = f.PairingFactory()
    response = post_form(admin, "enterprise-introductions", introduction_data(pairing, other))
    assert 'data-field="enterprise"' in response.content.decode()
    assert not EnterpriseIntroduction.objects.filter(pairing=pairing).exists()


def test_responsible_cadre_choices_are_cadres_the_office_sent(client):
    pairing = f.PairingFactory()
    here, elsewhere = f.SecondmentFactory(batch__pairing=pairing), f.SecondmentFactory()
    login_member(client, pairing.supporter, "supporter_office")
    form = create_form(client, "enterprise-introductions")
    choices = form.fields["responsible_cadre"].queryset
    assert here in choices and elsewhere not in choices
    assert list(form.fields["pairing"].queryset) == [pairing]


def test_signing_before_the_introduction_is_refused_next_to_the_field(admin):
    check_service_error_shown(admin, "enterprise-introductions", EnterpriseIntroduction, introduction_data(
        f.PairingFactory(), enterprise(), agreement_signed_on="2024-01-01",
    ), "agreement_signed_on")


def test_create_agreement_with_parties(admin):
    pairing = f.PairingFactory()
    parties = [f.OrganisationFactory(kind=OrganisationKind.HOSPITAL), f.OrganisationFactory()]
    agreement = check_created(admin, "cooperation-agreements", CooperationAgreement, {
        "pairing": pairing.pk, "title": "医疗卫生合作协议", "kind": "hospital", "parties": [p.pk for p in parties],
        "signed_on": "2024-07-01", "signed_year": "2024",
    })
    assert set(agreement.parties.all()) == set(parties)


def test_page_of_an_agreement_created_with_parties(admin):
    parties = [f.OrganisationFactory(kind=OrganisationKind.HOSPITAL)]
    check_created(admin, "cooperation-agreements", CooperationAgreement, {
        "pairing": f.PairingFactory().pk, "title": "医院合作协议", "kind": "hospital", "parties": [parties[0].pk],
        "signed_year": "2024",
    })
    agreement = CooperationAgreement.objects.order_by("-pk").first()
    body = admin.get(reverse("ui:cooperation-agreements-detail", args=[agreement.pk])).content.decode()
    assert parties[0].name in body


def test_agreement_year_differing_from_the_date_is_refused(admin):
    check_service_error_shown(admin, "cooperation-agreements", CooperationAgreement, {
        "pairing": f.PairingFactory().pk, "title": "协议", "kind": "strategic", "signed_on": "2024-07-01",
        "signed_year": "2023",
    }, "signed_year")


# exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["agreed_amount", "paid_in_amount"])
def test_export_money_is_a_number(admin, name):
    check_money_is_a_number(admin, "enterprise-introductions", EnterpriseIntroduction, name)


@pytest.mark.parametrize("slug,model,name", [
    ("enterprise-introductions", EnterpriseIntroduction, "industry"),
    ("cooperation-agreements", CooperationAgreement, "content"),
])
def test_export_formula_is_text(admin, slug, model, name):
    check_formula_is_text(admin, slug, model, name)


# the dashboard link (the demo) --------------------------------------------------------------


def test_investment_card_shows_its_enterprises(client, demo_db):
    """A lead (not counted) and a second agreement of a demo enterprise in the 房山区 sub-pairing
    (counted once) make the rule matter; one test for every period loads the demo once."""
    top = demo_top_pairing()
    landed = EnterpriseIntroduction.objects.filter(pairing=top).order_by("introduced_on").last()
    f.EnterpriseIntroductionFactory(pairing=top.sub_pairings.get(), enterprise=landed.enterprise,
                                    status=Status.AGREED, introduced_on=dt.date(2024, 2, 1))
    f.EnterpriseIntroductionFactory(pairing=top, status=Status.LEAD, introduced_on=dt.date(2024, 3, 1))
    user = as_superuser(client)
    for period in PERIODS:
        figures, params = demo_figures(user, period)
        assert figures.enterprises_introduced > 0, period
        response = listing(client, "enterprise-introductions", status_group="counted", **params)
        assert summaries(response)["enterprises"] == str(figures.enterprises_introduced), period
        assert f'<strong data-summary="enterprises">{figures.enterprises_introduced}</strong>' in (
            response.content.decode())
