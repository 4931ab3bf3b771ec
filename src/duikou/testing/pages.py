"""Helpers the page tests (``src/duikou/<app>/tests/test_pages.py``) share: open a register's pages,
read the rows, totals and exports, post its forms, and the checks every register's filters, search,
exports and forms go through.

Two ways in: ``listing``, ``post_form`` and the ``check_*`` helpers take a client that is already
signed in (``as_superuser``); ``open_page``, ``resubmit`` and ``post_form(..., user=...)`` sign
``user`` in first.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duikou.audit.models import ObjectChange
from duikou.organisations.models import Pairing
from duikou.reports.selectors import pairing_figures
from duikou.ui.registers import get_register

from . import factories as f
from .asserts import changes_for
from .entities import entity_for

__all__ = [
    "PERIODS",
    "as_superuser",
    "assert_refused",
    "check_choice_filter",
    "check_created",
    "check_formula_is_text",
    "check_money_is_a_number",
    "check_pairing_filter",
    "check_search",
    "check_service_error_shown",
    "check_year_filters",
    "create_form",
    "csv_rows",
    "demo_figures",
    "demo_top_pairing",
    "export_column",
    "listed",
    "listing",
    "login_member",
    "make",
    "open_page",
    "post_form",
    "resubmit",
    "summaries",
    "xlsx_rows",
]

# The periods the dashboard-link tests compare (the demo's whole span, the 14th plan, one year).
PERIODS = [(1992, 2024), (2021, 2025), (2024, 2024)]


# signing in ---------------------------------------------------------------------------------------


def as_superuser(client):
    """Sign ``client`` in as a new superuser and return the user."""
    user = f.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def login_member(client, organisation, role: str):
    """Sign ``client`` in as a new user holding ``role`` (a role code) in ``organisation``."""
    user = f.UserFactory()
    f.MembershipFactory(user=user, organisation=organisation, role=f.RoleFactory(code=role))
    client.force_login(user)
    return user


# pages --------------------------------------------------------------------------------------------


def listing(client, slug: str, **params):
    """GET a register's list page (``params`` become the query string); it must answer 200."""
    response = client.get(reverse(f"ui:{slug}-list"), params)
    assert response.status_code == 200
    return response


def open_page(client, user, slug: str, view: str = "list", *args, **params):
    """GET one page of a register as ``user`` (``params`` become the query string; a list shows up
    to 200 rows)."""
    client.force_login(user)
    return client.get(reverse(f"ui:{slug}-{view}", args=args), {"per_page": 200, **params} if view == "list" else params)


def listed(response) -> set[int]:
    """The primary keys of the rows a list page shows."""
    assert response.status_code == 200
    return {row["obj"].pk for row in response.context["rows"]}


def summaries(response) -> dict[str, str]:
    """A list page's summaries, key to shown value."""
    return {s["key"]: s["value"] for s in response.context["summaries"]}


def create_form(client, slug: str, **params):
    """The form of a register's create page (``params`` preset it)."""
    response = client.get(reverse(f"ui:{slug}-create"), params)
    assert response.status_code == 200
    return response.context["form"]


def make(model, pairing, **kwargs):
    """A row of ``model`` in ``pairing`` (through :func:`duikou.testing.entities.entity_for`)."""
    return entity_for(model).make(pairing, **kwargs)


# forms --------------------------------------------------------------------------------------------


def post_form(client, slug: str, data: dict, pk=None, *, user=None):
    """POST the create form (or, with ``pk``, that row's edit form), signed in as ``user`` if given."""
    if user is not None:
        client.force_login(user)
    url = reverse(f"ui:{slug}-edit", args=[pk]) if pk is not None else reverse(f"ui:{slug}-create")
    return client.post(url, data)


def resubmit(client, user, slug: str, pk):
    """POST the edit form back with the values it was rendered with."""
    form = open_page(client, user, slug, "edit", pk).context["form"]
    values = {name: form[name].value() for name in form.fields}
    return post_form(client, slug, {k: v for k, v in values.items() if v not in (None, False)}, pk, user=user)


def assert_refused(response, field: str, model, count_before: int):
    """The form came back with the error next to ``field`` and nothing was saved."""
    assert response.status_code == 200
    assert f'data-field="{field}"' in response.content.decode()
    assert model._base_manager.count() == count_before


def check_service_error_shown(client, slug, model, data, field):
    """The service's ValidationError comes back next to ``field``; nothing is saved or recorded."""
    rows, changes = model._base_manager.count(), ObjectChange.objects.count()
    response = post_form(client, slug, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'class="field-error" role="alert" data-field="{field}"' in body
    assert 'lang="zh-CN"' in body
    assert model._base_manager.count() == rows and ObjectChange.objects.count() == changes


def check_created(client, slug, model, data) -> object:
    """The form saves a new row through the service, which records its creation."""
    response = post_form(client, slug, data)
    assert response.status_code == 302, response.context["form"].errors
    obj = model._base_manager.order_by("-pk").first()
    assert response["Location"] == reverse(f"ui:{slug}-detail", args=[obj.pk])
    assert len(changes_for(obj, ObjectChange.Action.CREATE)) == 1
    return obj


# filters and search -------------------------------------------------------------------------------


def check_pairing_filter(client, slug, model):
    """``pairing`` selects a pairing with its sub-pairings, and nothing of another pairing."""
    top = f.PairingFactory()
    sub = f.SubPairingFactory(parent=top)
    in_top, in_sub, _elsewhere = make(model, top), make(model, sub), make(model, f.PairingFactory())
    assert listed(listing(client, slug, pairing=top.pk)) == {in_top.pk, in_sub.pk}
    assert listed(listing(client, slug, pairing=sub.pk)) == {in_sub.pk}


def check_choice_filter(client, slug, model, param, value, match: dict, other: dict):
    """``param=value`` keeps the row made with ``match`` and drops the one made with ``other``."""
    pairing = f.PairingFactory()
    kept, dropped = make(model, pairing, **match), make(model, pairing, **other)
    assert listed(listing(client, slug, pairing=pairing.pk)) == {kept.pk, dropped.pk}
    assert listed(listing(client, slug, pairing=pairing.pk, **{param: value})) == {kept.pk}


def check_year_filters(client, slug, model, in_year):
    """``year_from``/``year_to`` bound the rows made with ``in_year(2022)`` and ``in_year(2024)``."""
    pairing = f.PairingFactory()
    early, late = make(model, pairing, **in_year(2022)), make(model, pairing, **in_year(2024))
    assert listed(listing(client, slug, pairing=pairing.pk, year_from=2023)) == {late.pk}
    assert listed(listing(client, slug, pairing=pairing.pk, year_to=2023)) == {early.pk}
    assert listed(listing(client, slug, pairing=pairing.pk, year_from=2022, year_to=2022)) == {early.pk}
    assert listed(listing(client, slug, pairing=pairing.pk, year_from=2022, year_to=2024)) == {early.pk, late.pk}


def check_search(client, slug, model, **match):
    """``q`` finds the row carrying the (unique) text of ``match`` and not its neighbour."""
    pairing = f.PairingFactory()
    found, _other = make(model, pairing, **match), make(model, pairing)
    assert listed(listing(client, slug, pairing=pairing.pk, q=next(iter(match.values()))[1:])) == {found.pk}


# exports ------------------------------------------------------------------------------------------


def xlsx_rows(response) -> list[list]:
    """The exported sheet's rows of cells (``.value``, ``.data_type``), the header first."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows()]


def csv_rows(response) -> list[list[str]]:
    """The exported CSV's rows of texts, the header first."""
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def export_column(client, slug, name, **params) -> tuple[list, list[str]]:
    """The xlsx cells and the CSV texts of the column ``name`` (header left out)."""
    index = [c.name for c in get_register(slug).columns].index(name)
    cells = [row[index] for row in xlsx_rows(client.get(reverse(f"ui:{slug}-export-xlsx"), params))[1:]]
    texts = [row[index] for row in csv_rows(client.get(reverse(f"ui:{slug}-export-csv"), params))[1:]]
    return cells, texts


def check_formula_is_text(client, slug, model, name):
    """A text starting with "=" is exported as text, never as a formula."""
    pairing = f.PairingFactory()
    make(model, pairing, **{name: "=1+2"})
    cells, texts = export_column(client, slug, name, pairing=pairing.pk)
    assert [(c.value, c.data_type) for c in cells] == [("=1+2", "s")]
    assert texts == ["'=1+2"]


def check_money_is_a_number(client, slug, model, name):
    """An amount is exported as a number with two decimals (and as its plain digits in the CSV)."""
    pairing = f.PairingFactory()
    make(model, pairing, **{name: Decimal("1234567.80")})
    cells, texts = export_column(client, slug, name, pairing=pairing.pk)
    assert len(cells) == 1 and cells[0].data_type == "n" and cells[0].value == pytest.approx(1234567.8)
    assert cells[0].number_format == "#,##0.00"
    assert texts == ["1234567.80"]


# the demo's dashboard -----------------------------------------------------------------------------


def demo_top_pairing() -> Pairing:
    """The demo's 北京市 → 巴东县 (the three-gorges top pairing)."""
    return Pairing.objects.get(supporter__name="北京市", recipient__name="巴东县", parent__isnull=True,
                               programme__code="three-gorges")


def demo_figures(user, period):
    """(the figures of the demo's 北京市 → 巴东县 for ``user``, the card link's query parameters)."""
    top = demo_top_pairing()
    year_from, year_to = period
    figures = pairing_figures(actor=user, pairing=top, year_from=year_from, year_to=year_to)
    return figures, {"pairing": top.pk, "year_from": year_from, "year_to": year_to}
