"""What keeps a register list fast at national scale: the options of its filters rendered in Python
(``FastSelect``), only the fields a pairing's label reads, and the page's keys first."""

from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from lxml import html

from duikou.funds.models import FundTransaction
from duikou.testing import factories as f
from duikou.ui.registers import get_register
from duikou.ui.widgets import FastSelect, FastSelectMultiple

pytestmark = pytest.mark.django_db


def options(markup: str) -> list[tuple]:
    tree = html.fromstring(markup)
    return [(o.getparent().get("label"), o.get("value"), o.text_content(), o.get("selected") is not None)
            for o in tree.iter("option")]


CHOICES = [("", "---------"), ("1", "北京市 → 巴东县"), ("2", "<b>&amp; 上海</b>"),
           ("组", [("3", "甲"), ("4", "乙")])]


@pytest.mark.parametrize("value", [None, "2", "4"])
def test_fast_select_renders_what_djangos_select_renders(value):
    attrs = {"id": "id_pairing", "class": "x"}
    ours = FastSelect(choices=CHOICES).render("pairing", value, attrs)
    theirs = forms.Select(choices=CHOICES).render("pairing", value, attrs)
    assert options(ours) == options(theirs)
    tree = html.fromstring(ours)
    assert (tree.tag, tree.get("name"), tree.get("id"), tree.get("class")) == ("select", "pairing", "id_pairing", "x")
    assert "<b>" not in ours  # labels escaped


def test_fast_select_multiple_marks_every_chosen_value():
    ours = FastSelectMultiple(choices=CHOICES).render("t", ["1", "3"], {"id": "id_t"})
    theirs = forms.SelectMultiple(choices=CHOICES).render("t", ["1", "3"], {"id": "id_t"})
    assert options(ours) == options(theirs)
    assert html.fromstring(ours).get("multiple") is not None
    assert FastSelectMultiple().value_from_datadict(QueryDict("t=1&t=3"), {}, "t") == ["1", "3"]


def list_queries(client, user, slug, query=""):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(get_register(slug).list_url() + query)
    assert response.status_code == 200
    return response, len(captured)


def test_more_pairings_in_the_filter_cost_no_more_queries(client, world, superuser):
    _r, before = list_queries(client, superuser, "fund-transactions")
    for _ in range(6):
        f.PairingFactory()
    response, after = list_queries(client, superuser, "fund-transactions")
    assert after == before
    assert response.content.decode().count('name="pairing"') == 1


def test_the_page_keeps_the_lists_order_and_shows_every_row_once(client, world, superuser):
    pairing = world.pairings["beijing_badong"]
    for i in range(7):
        f.FundTransactionFactory(pairing=pairing, year=2020 + i % 3, amount=Decimal(100 + i))
    client.force_login(superuser)
    wanted = list(FundTransaction.objects.order_by("-amount", "-pk").values_list("pk", flat=True))
    seen = []
    for page in (1, 2, 3):
        response = client.get(get_register("fund-transactions").list_url() + f"?sort=-amount&per_page=25&page={page}")
        seen += [row["obj"].pk for row in response.context["rows"]]
        if not response.context["page"].has_next():
            break
    assert seen == wanted
