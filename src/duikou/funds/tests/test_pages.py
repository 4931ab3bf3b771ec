"""The fund pages: filters, search, sorting, forms, exports and the free-aid card's link.

The contract every register keeps (scope, 404s, query counts, empty forms) is in
``tests/test_registers.py``; this module covers what is particular to these registers. Rows are
made in fresh pairings, so the tests hold whether or not the demo is loaded in the same database.
The helpers are :mod:`duikou.testing.pages`.
"""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from duikou.core.choices import FundLevel, FundStream
from duikou.funds.models import FundAllocation, FundTransaction
from duikou.organisations.selectors import pairing_tree_ids
from duikou.reports.views import figure_cards
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
    make,
)
from duikou.ui.registers import format_money

pytestmark = pytest.mark.django_db

BOTH = [("fund-transactions", FundTransaction), ("fund-allocations", FundAllocation)]
ALLOCATION = FundTransaction.Kind.ALLOCATION


@pytest.fixture
def admin(client):
    as_superuser(client)
    return client


def preset(form) -> dict:
    return {name: str(form[name].value()) for name in form.fields if form[name].value() not in (None, "", False)}


# filters, search, sort --------------------------------------------------------------------


@pytest.mark.parametrize("slug,model", BOTH)
def test_pairing_filter_includes_sub_pairings(admin, slug, model):
    check_pairing_filter(admin, slug, model)


@pytest.mark.parametrize("slug,model", BOTH)
def test_year_filters_bound_the_budget_year(admin, slug, model):
    check_year_filters(admin, slug, model, lambda y: {"year": y})


@pytest.mark.parametrize("slug,model,param,value,match,other", [
    ("fund-transactions", FundTransaction, "kind", "expenditure", {"kind": FundTransaction.Kind.EXPENDITURE}, {}),
    ("fund-transactions", FundTransaction, "kind", "allocation", {"kind": ALLOCATION}, {}),
    ("fund-transactions", FundTransaction, "stream", "econ", {"stream": FundStream.ECON}, {}),
    ("fund-transactions", FundTransaction, "level", "district", {"level": FundLevel.DISTRICT}, {}),
    ("fund-transactions", FundTransaction, "is_illustrative", "true", {"is_illustrative": True}, {}),
    ("fund-allocations", FundAllocation, "stream", "grant", {}, {"stream": FundStream.ECON}),
    ("fund-allocations", FundAllocation, "level", "city", {}, {"level": FundLevel.OTHER}),
    ("fund-allocations", FundAllocation, "is_illustrative", "false", {}, {"is_illustrative": True}),
])
def test_choice_filters_narrow(admin, slug, model, param, value, match, other):
    check_choice_filter(admin, slug, model, param, value, match, other)


@pytest.mark.parametrize("slug,model", BOTH)
def test_project_filter_takes_an_id_or_part_of_the_code(admin, slug, model):
    pairing = f.PairingFactory()
    project = f.ProjectFactory(pairing=pairing, code="XYBD-2024-77")
    kept, _other = make(model, pairing, project=project), make(model, pairing)
    assert listed(listing(admin, slug, pairing=pairing.pk, project=project.pk)) == {kept.pk}
    assert listed(listing(admin, slug, pairing=pairing.pk, project="xybd-2024-7")) == {kept.pk}
    assert listed(listing(admin, slug, pairing=pairing.pk, project="nothing-like-it")) == set()


def test_allocations_register_lists_allocations_only(admin):
    pairing = f.PairingFactory()
    allocation, _receipt = make(FundAllocation, pairing), make(FundTransaction, pairing)
    response = listing(admin, "fund-allocations", pairing=pairing.pk, kind="receipt")
    assert listed(response) == {allocation.pk}
    assert "kind" not in response.context["filterset"].form.fields
    assert "kind" not in create_form(admin, "fund-allocations").fields


@pytest.mark.parametrize("slug,model,match", [
    ("fund-transactions", FundTransaction, {"doc_no": "京巴援〔2099〕7号"}),
    ("fund-transactions", FundTransaction, {"note": "一次性汇入财政专户"}),
    ("fund-allocations", FundAllocation, {"doc_no": "房援〔2099〕3号"}),
])
def test_search(admin, slug, model, match):
    check_search(admin, slug, model, **match)


def test_sort_by_amount_and_total(admin):
    pairing = f.PairingFactory()
    rows = [make(FundTransaction, pairing, amount=Decimal(a)) for a in ("300.00", "100.25", "200.00")]
    response = listing(admin, "fund-transactions", pairing=pairing.pk, sort="amount")
    assert [row["obj"].pk for row in response.context["rows"]] == [rows[1].pk, rows[2].pk, rows[0].pk]
    assert "<strong data-total>600.25</strong>" in response.content.decode()
    response = listing(admin, "fund-transactions", pairing=pairing.pk, sort="-amount")
    assert response.context["rows"][0]["obj"].pk == rows[0].pk


# forms --------------------------------------------------------------------------------------


def test_create_a_receipt_through_the_form(admin):
    pairing = f.PairingFactory()
    receipt = check_created(admin, "fund-transactions", FundTransaction, {
        "kind": "receipt", "pairing": pairing.pk, "stream": "grant", "level": "city", "year": 2024,
        "date": "2024-04-28", "amount": "51130000", "account": "县财政局对口支援资金专户", "source": "拨款通知",
    })
    assert (receipt.kind, receipt.amount, receipt.year) == ("receipt", Decimal("51130000"), 2024)


def test_create_an_allocation_through_its_form(admin):
    project = f.ProjectFactory()
    allocation = check_created(admin, "fund-allocations", FundAllocation, {
        "pairing": project.pairing_id, "project": project.pk, "stream": "grant", "level": "city", "year": 2024,
        "amount": "9000000",
    })
    assert allocation.kind == ALLOCATION and allocation.project == project


@pytest.mark.parametrize("slug,model,data,field", [
    ("fund-transactions", FundTransaction, {"kind": "receipt", "year": 2000}, "year"),  # the pairing starts in 2021
    ("fund-transactions", FundTransaction, {"kind": "allocation", "year": 2024}, "project"),  # free aid to a project
    ("fund-allocations", FundAllocation, {"year": 2024}, "project"),
])
def test_service_errors_are_shown_next_to_the_field(admin, slug, model, data, field):
    pairing = f.PairingFactory()
    check_service_error_shown(admin, slug, model, {
        "pairing": pairing.pk, "stream": "grant", "level": "city", "amount": "1000", **data,
    }, field)


def test_add_on_a_project_page_presets_the_project_and_its_pairing(admin):
    project = f.ProjectFactory()
    add_url = reverse("ui:fund-transactions-create") + f"?project={project.pk}"
    body = admin.get(reverse("ui:projects-detail", args=[project.pk])).content.decode()
    assert f'href="{add_url}"' in body
    form = admin.get(add_url).context["form"]
    assert (preset(form)["project"], preset(form)["pairing"]) == (str(project.pk), str(project.pairing_id))


def test_add_on_an_allocation_page_presets_what_it_draws_on(admin):
    allocation = make(FundAllocation, f.PairingFactory(), stream=FundStream.ECON, level=FundLevel.DISTRICT)
    add_url = reverse("ui:fund-transactions-create") + f"?allocation={allocation.pk}"
    assert f'href="{add_url}"' in admin.get(reverse("ui:fund-allocations-detail", args=[allocation.pk])).content.decode()
    expected = {"allocation": allocation.pk, "pairing": allocation.pairing_id, "project": allocation.project_id,
                "stream": "econ", "level": "district"}
    assert preset(create_form(admin, "fund-transactions", allocation=allocation.pk)) == {
        k: str(v) for k, v in expected.items()}
    spent = check_created(admin, "fund-transactions", FundTransaction, {
        **expected, "kind": "expenditure", "year": allocation.year, "amount": "1000"})
    assert spent.allocation_id == allocation.pk
    body = admin.get(reverse("ui:fund-allocations-detail", args=[allocation.pk])).content.decode()
    assert reverse("ui:fund-transactions-detail", args=[spent.pk]) in body
    body = admin.get(reverse("ui:fund-transactions-detail", args=[allocation.pk])).content.decode()
    assert f'href="{reverse("ui:fund-allocations-detail", args=[allocation.pk])}"' in body


def test_presets_read_only_rows_the_user_may_see(client):
    own, foreign = f.ProjectFactory(), f.ProjectFactory()
    login_member(client, own.pairing.supporter, "supporter_office")
    assert "pairing" not in preset(create_form(client, "fund-transactions", project=foreign.pk))
    form = create_form(client, "fund-transactions", project=own.pk)
    assert preset(form)["pairing"] == str(own.pairing_id)
    assert own in form.fields["project"].queryset and foreign not in form.fields["project"].queryset
    assert "pairing" not in preset(create_form(client, "fund-transactions", project="not-a-number"))


# exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug,model", BOTH)
def test_export_amounts_are_numbers(admin, slug, model):
    check_money_is_a_number(admin, slug, model, "amount")


@pytest.mark.parametrize("name", ["doc_no", "note", "account"])
def test_export_formula_is_text(admin, name):
    check_formula_is_text(admin, "fund-transactions", FundTransaction, name)


# the free-aid card's link (the demo) --------------------------------------------------------


@pytest.mark.xdist_group("demo-pages")
@pytest.mark.parametrize("period", PERIODS)
def test_aid_funds_card_link_shows_the_allocations_behind_it(client, demo_db, period):
    figures, params = demo_figures(as_superuser(client), period)
    top = demo_top_pairing()
    [card] = [c for c in figure_cards(figures, top, *period) if c["key"] == "aid_funds"]
    url = urlsplit(card["url"])
    assert url.path == reverse("ui:fund-transactions-list")
    assert parse_qs(url.query) == {k: [str(v)] for k, v in {**params, "kind": "allocation", "stream": "grant"}.items()}
    response = client.get(card["url"])
    rows = FundTransaction.objects.filter(pairing_id__in=pairing_tree_ids(top), kind=ALLOCATION,
                                          stream=FundStream.GRANT, year__gte=period[0], year__lte=period[1])
    assert response.context["paginator"].count == rows.count() > 0
    body = response.content.decode()
    assert f'data-count="{rows.count()}"' in body
    assert f"<strong data-total>{format_money(figures.aid_funds_yuan)}</strong>" in body
