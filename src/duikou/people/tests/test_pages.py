"""The cadre and training pages: filters, search, sorting, forms, exports and the dashboard links.

The contract every register keeps (scope, 404s, query counts, empty forms) is in
``tests/test_registers.py``; this module covers what is particular to these registers. Rows are
made in fresh pairings, so the tests hold whether or not the demo is loaded in the same database.
The helpers are :mod:`duikou.testing.pages`.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from duikou.people.models import ExpertSupport, Field, Secondment, SecondmentBatch, TrainingSession
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
    export_column,
    listed,
    listing,
    login_member,
    make,
    summaries,
)

pytestmark = pytest.mark.django_db


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
    assert listed(listing(admin, "secondments", pairing=batch.pairing.pk, batch=batch.pk)) == {kept.pk}


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
    login_member(client, own.pairing.supporter, "supporter_office")
    choices = create_form(client, "secondments").fields["batch"].queryset
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
