"""The cadre and training pages: filters, search, sorting, forms, exports and the dashboard links.

The contract every register keeps (scope, 404s, query counts, empty forms) is in
``tests/test_registers.py``; this module covers what is particular to these registers. Rows are
made in fresh pairings, so the tests hold whether or not the demo is loaded in the same database.
The helpers (names without ``test_``) are shared with the investment pages' tests.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duikou.audit.models import ObjectChange
from duikou.organisations.models import Pairing
from duikou.people.models import ExpertSupport, Field, Secondment, SecondmentBatch, TrainingSession
from duikou.reports.selectors import pairing_figures
from duikou.testing import factories as f
from duikou.testing.asserts import changes_for
from duikou.testing.entities import entity_for
from duikou.ui.registers import get_register

pytestmark = pytest.mark.django_db

# The periods the dashboard-link tests compare (the demo's whole span, the 14th plan, one year).
PERIODS = [(1992, 2024), (2021, 2025), (2024, 2024)]


# shared helpers ---------------------------------------------------------------------------


def as_superuser(client):
    user = f.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def listing(client, slug, **params):
    response = client.get(reverse(f"ui:{slug}-list"), params)
    assert response.status_code == 200
    return response


def listed(client, slug, **params) -> set[int]:
    return {row["obj"].pk for row in listing(client, slug, **params).context["rows"]}


def summaries(response) -> dict[str, str]:
    return {s["key"]: s["value"] for s in response.context["summaries"]}


def make(model, pairing, **kwargs):
    return entity_for(model).make(pairing, **kwargs)


def check_pairing_filter(client, slug, model):
    """``pairing`` selects a pairing with its sub-pairings, and nothing of another pairing."""
    top = f.PairingFactory()
    sub = f.SubPairingFactory(parent=top)
    in_top, in_sub, _elsewhere = make(model, top), make(model, sub), make(model, f.PairingFactory())
    assert listed(client, slug, pairing=top.pk) == {in_top.pk, in_sub.pk}
    assert listed(client, slug, pairing=sub.pk) == {in_sub.pk}


def check_choice_filter(client, slug, model, param, value, match: dict, other: dict):
    """``param=value`` keeps the row made with ``match`` and drops the one made with ``other``."""
    pairing = f.PairingFactory()
    kept, dropped = make(model, pairing, **match), make(model, pairing, **other)
    assert listed(client, slug, pairing=pairing.pk) == {kept.pk, dropped.pk}
    assert listed(client, slug, pairing=pairing.pk, **{param: value}) == {kept.pk}


def check_year_filters(client, slug, model, in_year):
    """``year_from``/``year_to`` bound the rows made with ``in_year(2022)`` and ``in_year(2024)``."""
    pairing = f.PairingFactory()
    early, late = make(model, pairing, **in_year(2022)), make(model, pairing, **in_year(2024))
    assert listed(client, slug, pairing=pairing.pk, year_from=2023) == {late.pk}
    assert listed(client, slug, pairing=pairing.pk, year_to=2023) == {early.pk}
    assert listed(client, slug, pairing=pairing.pk, year_from=2022, year_to=2022) == {early.pk}
    assert listed(client, slug, pairing=pairing.pk, year_from=2022, year_to=2024) == {early.pk, late.pk}


def check_search(client, slug, model, **match):
    """``q`` finds the row carrying the (unique) text of ``match`` and not its neighbour."""
    pairing = f.PairingFactory()
    found, _other = make(model, pairing, **match), make(model, pairing)
    assert listed(client, slug, pairing=pairing.pk, q=next(iter(match.values()))[1:]) == {found.pk}


def export_column(client, slug, name, **params) -> tuple[list, list[str]]:
    """The xlsx cells and the CSV texts of the column ``name`` (header left out)."""
    index = [c.name for c in get_register(slug).columns].index(name)
    response = client.get(reverse(f"ui:{slug}-export-xlsx"), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[index] for row in sheet.iter_rows(min_row=2)]
    response = client.get(reverse(f"ui:{slug}-export-csv"), params)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return cells, [row[index] for row in list(csv.reader(io.StringIO(text)))[1:]]


def check_formula_is_text(client, slug, model, name):
    """A text starting with "=" is exported as text, never as a formula."""
    pairing = f.PairingFactory()
    make(model, pairing, **{name: "=1+2"})
    cells, texts = export_column(client, slug, name, pairing=pairing.pk)
    assert [(c.value, c.data_type) for c in cells] == [("=1+2", "s")]
    assert texts == ["'=1+2"]


def check_money_is_a_number(client, slug, model, name):
    pairing = f.PairingFactory()
    make(model, pairing, **{name: Decimal("1234567.80")})
    cells, texts = export_column(client, slug, name, pairing=pairing.pk)
    assert len(cells) == 1 and cells[0].data_type == "n" and cells[0].value == pytest.approx(1234567.8)
    assert cells[0].number_format == "#,##0.00"
    assert texts == ["1234567.80"]


def post_form(client, slug, data, pk=None):
    url = reverse(f"ui:{slug}-edit", args=[pk]) if pk else reverse(f"ui:{slug}-create")
    return client.post(url, data)


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


def demo_top_pairing() -> Pairing:
    return Pairing.objects.get(supporter__name="北京市", recipient__name="巴东县", parent__isnull=True,
                               programme__code="three-gorges")


def demo_figures(user, period):
    """(the figures of the demo's 北京市 → 巴东县 for ``user``, the card link's query parameters)."""
    top = demo_top_pairing()
    year_from, year_to = period
    figures = pairing_figures(actor=user, pairing=top, year_from=year_from, year_to=year_to)
    return figures, {"pairing": top.pk, "year_from": year_from, "year_to": year_to}


# filters, search, sort --------------------------------------------------------------------


@pytest.fixture
def admin(client):
    as_superuser(client)
    return client


@pytest.mark.parametrize("slug,model", [
    ("secondment-batches", SecondmentBatch), ("secondments", Secondment), ("expert-supports", ExpertSupport),
    ("training-sessions", TrainingSession),
])
def test_pairing_filter_includes_sub_pairings(admin, slug, model):
    check_pairing_filter(admin, slug, model)


@pytest.mark.parametrize("slug,model,in_year", [
    ("secondment-batches", SecondmentBatch, lambda y: {"dispatched_on": dt.date(y, 3, 1)}),
    # the batch's dispatch bounds a secondment, not its own start (as the cadre figure counts)
    ("secondments", Secondment, lambda y: {"batch__dispatched_on": dt.date(y, 3, 1), "start_date": dt.date(2023, 1, 1)}),
    ("expert-supports", ExpertSupport, lambda y: {"start_date": dt.date(y, 5, 1)}),
    ("training-sessions", TrainingSession, lambda y: {"start_date": dt.date(y, 9, 1)}),
])
def test_year_filters(admin, slug, model, in_year):
    check_year_filters(admin, slug, model, in_year)


@pytest.mark.parametrize("slug,model,param,value,match,other", [
    ("secondments", Secondment, "kind", "professional", {"kind": Secondment.Kind.PROFESSIONAL}, {}),
    ("secondments", Secondment, "field", "education", {"field": Field.EDUCATION}, {"field": Field.FINANCE}),
    ("secondments", Secondment, "is_illustrative", "true", {"is_illustrative": True}, {}),
    ("secondment-batches", SecondmentBatch, "is_illustrative", "false", {}, {"is_illustrative": True}),
    ("expert-supports", ExpertSupport, "field", "education", {"field": Field.EDUCATION}, {}),
    ("training-sessions", TrainingSession, "category", "health", {"category": TrainingSession.Category.HEALTH}, {}),
    ("training-sessions", TrainingSession, "is_illustrative", "true", {"is_illustrative": True}, {}),
])
def test_choice_filters_narrow(admin, slug, model, param, value, match, other):
    check_choice_filter(admin, slug, model, param, value, match, other)


def test_batch_filter_lists_one_batch(admin):
    batch = f.SecondmentBatchFactory()
    kept = f.SecondmentFactory(batch=batch)
    f.SecondmentFactory(batch__pairing=batch.pairing)
    assert listed(admin, "secondments", pairing=batch.pairing.pk, batch=batch.pk) == {kept.pk}


@pytest.mark.parametrize("slug,model,match", [
    ("secondments", Secondment, {"person_name": "欧阳某某"}),
    ("secondments", Secondment, {"post": "副县长（挂职）"}),
    ("secondment-batches", SecondmentBatch, {"name": "第九十九批"}),
    ("expert-supports", ExpertSupport, {"topic": "高原病防治"}),
    ("training-sessions", TrainingSession, {"title": "电商直播培训班"}),
])
def test_search(admin, slug, model, match):
    check_search(admin, slug, model, **match)


def test_batches_sort_by_and_sum_their_cadres(admin):
    pairing = f.PairingFactory()
    batches = [f.SecondmentBatchFactory(pairing=pairing, number=n) for n in (1, 2, 3)]
    for batch, size in zip(batches, (0, 2, 1), strict=True):
        f.SecondmentFactory.create_batch(size, batch=batch)
    response = listing(admin, "secondment-batches", pairing=pairing.pk, sort="cadres")
    assert [row["obj"].pk for row in response.context["rows"]] == [batches[0].pk, batches[2].pk, batches[1].pk]
    assert [row["obj"].cadres for row in response.context["rows"]] == [0, 1, 2]
    assert summaries(response)["cadres"] == "3"
    response = listing(admin, "secondment-batches", pairing=pairing.pk, sort="-cadres")
    assert [row["obj"].pk for row in response.context["rows"]][0] == batches[1].pk


def test_secondments_sort_by_name(admin):
    batch = f.SecondmentBatchFactory()
    names = ["王某", "李某", "张某"]
    for name in names:
        f.SecondmentFactory(batch=batch, person_name=name)
    rows = listing(admin, "secondments", batch=batch.pk, sort="-person_name").context["rows"]
    assert [row["obj"].person_name for row in rows] == sorted(names, reverse=True)


def test_training_total_and_person_times(admin):
    pairing = f.PairingFactory()
    f.TrainingSessionFactory(pairing=pairing, participants=30, person_times=60, funds=Decimal("1000000"))
    f.TrainingSessionFactory(pairing=pairing, participants=20, person_times=20, funds=None)
    response = listing(admin, "training-sessions", pairing=pairing.pk)
    body = response.content.decode()
    assert '<strong data-total>1,000,000.00</strong>' in body
    assert '<strong data-summary="person_times">80</strong>' in body
    assert summaries(response)["participants"] == "50"


# forms --------------------------------------------------------------------------------------


def test_create_batch_through_the_form(admin):
    pairing = f.PairingFactory()
    batch = check_created(admin, "secondment-batches", SecondmentBatch, {
        "pairing": pairing.pk, "number": 5, "name": "第五批", "dispatched_on": "2024-07-15", "source": "通知",
    })
    assert (batch.pairing, batch.number, batch.dispatched_on) == (pairing, 5, dt.date(2024, 7, 15))


def test_add_on_a_batch_page_presets_the_batch(admin):
    batch = f.SecondmentBatchFactory()
    add_url = reverse("ui:secondments-create") + f"?batch={batch.pk}"
    assert f'href="{add_url}"' in admin.get(reverse("ui:secondment-batches-detail", args=[batch.pk])).content.decode()
    form = admin.get(add_url).context["form"]
    assert str(form["batch"].value()) == str(batch.pk)
    secondment = check_created(admin, "secondments", Secondment, {
        "batch": batch.pk, "person_name": "赵某", "kind": "cadre", "field": "finance", "start_date": "2024-07-15",
    })
    assert secondment.batch == batch
    body = admin.get(reverse("ui:secondment-batches-detail", args=[batch.pk])).content.decode()
    assert "赵某" in body


def test_batch_date_outside_the_pairing_is_refused_next_to_the_field(admin):
    pairing = f.PairingFactory()  # from 2021
    check_service_error_shown(admin, "secondment-batches", SecondmentBatch, {
        "pairing": pairing.pk, "number": 1, "dispatched_on": "2000-07-15",
    }, "dispatched_on")


def test_training_person_times_below_participants_is_refused(admin):
    pairing = f.PairingFactory()
    check_service_error_shown(admin, "training-sessions", TrainingSession, {
        "pairing": pairing.pk, "title": "培训班", "category": "health", "start_date": "2024-05-01",
        "participants": 50, "person_times": 10,
    }, "person_times")


def test_batch_choices_are_those_the_user_may_write(client):
    own, foreign = f.SecondmentBatchFactory(), f.SecondmentBatchFactory()
    user = f.UserFactory()
    f.MembershipFactory(user=user, organisation=own.pairing.supporter,
                        role=f.RoleFactory(code="supporter_office"))
    client.force_login(user)
    choices = client.get(reverse("ui:secondments-create")).context["form"].fields["batch"].queryset
    assert own in choices and foreign not in choices


# exports ------------------------------------------------------------------------------------


def test_export_training_funds_are_numbers(admin):
    check_money_is_a_number(admin, "training-sessions", TrainingSession, "funds")


@pytest.mark.parametrize("slug,model,name", [
    ("training-sessions", TrainingSession, "title"), ("secondments", Secondment, "post"),
])
def test_export_formula_is_text(admin, slug, model, name):
    check_formula_is_text(admin, slug, model, name)


def test_export_carries_illustrative_and_source(admin):
    pairing = f.PairingFactory()
    make(Secondment, pairing, is_illustrative=True, source="简报")
    assert export_column(admin, "secondments", "source", pairing=pairing.pk)[1] == ["简报"]
    assert export_column(admin, "secondments", "is_illustrative", pairing=pairing.pk)[1][0] in ("是", "yes")


# dashboard links (the demo) -----------------------------------------------------------------


@pytest.fixture
def demo_extras(demo_db):
    """Rows that make the link rules matter: a cadre who started in 2024 in a 2021 batch (counted
    by the batch's date) and a 2024 batch and course of the 房山区 sub-pairing."""
    top = demo_top_pairing()
    batch_2021 = SecondmentBatch.objects.get(pairing=top, dispatched_on__year=2021)
    f.SecondmentFactory(batch=batch_2021, start_date=dt.date(2024, 1, 1))
    sub = top.sub_pairings.get()
    f.SecondmentFactory.create_batch(2, batch=f.SecondmentBatchFactory(pairing=sub, dispatched_on=dt.date(2024, 5, 1)))
    f.TrainingSessionFactory(pairing=sub, start_date=dt.date(2024, 6, 1), participants=7, person_times=9)
    return top


def test_cadre_and_training_cards_show_their_rows(client, demo_extras):
    """One test for every period, so that a parallel run loads the demo once for this module."""
    user = as_superuser(client)
    for period in PERIODS:
        figures, params = demo_figures(user, period)
        assert figures.cadres_seconded > 0 and figures.training_person_times > 0, period
        response = listing(client, "secondments", **params)
        assert response.context["paginator"].count == figures.cadres_seconded, period
        assert f'data-count="{figures.cadres_seconded}"' in response.content.decode()
        assert summaries(response)["batches"] == str(figures.cadre_batches), period
        body = listing(client, "training-sessions", **params).content.decode()
        assert f'<strong data-summary="person_times">{figures.training_person_times}</strong>' in body, period
