"""The contract every register page keeps, for every register at once.

The standard world has one row of every pairing model in each of its three pairings (北京市 →
巴东县, 房山区 → 巴东县 inside it, and the unrelated 上海市 → 夷陵区). For each register: the
supporter's office sees its rows and never 上海市's (404, not 403, so nobody learns a row exists),
exports hold the same rows, the number of queries a list page makes does not grow with its rows,
and the create/edit pages are open only to those who may write.
"""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duikou.testing.entities import PAIRED_ENTITIES
from duikou.testing.pages import csv_rows, xlsx_rows
from duikou.ui.registers import all_registers, register_for, url_for

pytestmark = pytest.mark.django_db

REGISTERS = {reg.slug: reg for reg in all_registers()}
SLUGS = sorted(REGISTERS)


def entity_of(reg):
    for entity in PAIRED_ENTITIES:
        if entity.model is reg.model:
            return entity
    return None


PAIRED_SLUGS = [slug for slug in SLUGS if entity_of(REGISTERS[slug]) is not None]


def login(client, world, key):
    client.force_login(world.user(key))
    return client


def own_and_foreign(world, reg):
    return world.row(reg.model, "beijing_badong"), world.row(reg.model, "shanghai_yiling")


def test_every_pairing_model_has_a_register():
    missing = [e.model.__name__ for e in PAIRED_ENTITIES if register_for(e.model) is None]
    assert missing == []


@pytest.mark.parametrize("slug", SLUGS)
def test_anonymous_is_sent_to_sign_in(client, slug):
    response = client.get(REGISTERS[slug].list_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ui:login"))


@pytest.mark.parametrize("slug", PAIRED_SLUGS)
def test_list_shows_own_rows_and_never_another_organisations(client, world, slug):
    reg = REGISTERS[slug]
    own, foreign = own_and_foreign(world, reg)
    body = login(client, world, "supporter").get(reg.list_url()).content.decode()
    assert f'href="{url_for(own)}"' in body
    assert f'href="{url_for(foreign)}"' not in body


@pytest.mark.parametrize("slug", PAIRED_SLUGS)
def test_detail_is_404_for_another_organisations_row(client, world, slug):
    reg = REGISTERS[slug]
    own, foreign = own_and_foreign(world, reg)
    login(client, world, "supporter")
    response = client.get(url_for(own))
    assert response.status_code == 200
    assert str(own) in response.content.decode()
    assert client.get(url_for(foreign)).status_code == 404
    if reg.update is not None:
        assert client.get(reverse(reg.url_name("edit"), args=[foreign.pk])).status_code == 404


@pytest.mark.parametrize("slug", PAIRED_SLUGS)
def test_national_supervisor_reads_everything_writes_nothing(client, world, slug):
    reg = REGISTERS[slug]
    own, foreign = own_and_foreign(world, reg)
    login(client, world, "national")
    assert client.get(url_for(foreign)).status_code == 200
    if reg.create is not None:
        assert client.get(reverse(reg.url_name("create"))).status_code == 403
    if reg.update is not None:
        assert client.get(reverse(reg.url_name("edit"), args=[own.pk])).status_code == 403


@pytest.mark.parametrize("slug", PAIRED_SLUGS)
def test_read_only_user_gets_no_forms(client, world, slug):
    reg = REGISTERS[slug]
    own, _foreign = own_and_foreign(world, reg)
    login(client, world, "read_only")
    assert client.get(url_for(own)).status_code == 200
    body = client.get(reg.list_url()).content.decode()
    if reg.create is not None:
        assert reverse(reg.url_name("create")) not in body
        assert client.get(reverse(reg.url_name("create"))).status_code == 403
        assert client.post(reverse(reg.url_name("create")), {}).status_code == 403
    if reg.update is not None:
        assert client.get(reverse(reg.url_name("edit"), args=[own.pk])).status_code == 403


@pytest.mark.parametrize("slug", PAIRED_SLUGS)
def test_exports_hold_the_listed_rows(client, world, slug):
    reg = REGISTERS[slug]
    login(client, world, "supporter")
    expected = reg.queryset(world.user("supporter")).count()
    assert expected > 0
    response = client.get(reverse(reg.url_name("export-xlsx")))
    assert response.status_code == 200
    assert len(xlsx_rows(response)) == expected + 1  # header + rows
    assert len(csv_rows(client.get(reverse(reg.url_name("export-csv"))))) == expected + 1


@pytest.mark.parametrize("slug", PAIRED_SLUGS)
def test_list_queries_do_not_grow_with_rows(client, world, slug):
    reg = REGISTERS[slug]
    entity = entity_of(reg)
    login(client, world, "supporter")
    url = reg.list_url()
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        entity.make(world.pairings["beijing_badong"])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 20


@pytest.mark.parametrize("slug", PAIRED_SLUGS)
def test_detail_queries_are_bounded(client, world, slug):
    reg = REGISTERS[slug]
    own, _foreign = own_and_foreign(world, reg)
    login(client, world, "supporter")
    client.get(url_for(own))
    with CaptureQueriesContext(connection) as ctx:
        client.get(url_for(own))
    assert len(ctx) <= 25, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("slug", [s for s in PAIRED_SLUGS if REGISTERS[s].create is not None])
def test_empty_create_form_shows_errors_and_saves_nothing(client, world, slug):
    reg = REGISTERS[slug]
    login(client, world, "supporter")
    assert client.get(reverse(reg.url_name("create"))).status_code == 200
    before = reg.model._base_manager.count()
    response = client.post(reverse(reg.url_name("create")), {})
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode() or 'class="errors"' in response.content.decode()
    assert reg.model._base_manager.count() == before


@pytest.mark.parametrize("slug", [s for s in PAIRED_SLUGS if REGISTERS[s].update is not None])
def test_edit_form_round_trips_without_a_change(client, world, slug):
    """Saving the edit form unchanged succeeds and writes no audit record."""
    from duikou.audit.models import ObjectChange

    reg = REGISTERS[slug]
    own, _foreign = own_and_foreign(world, reg)
    login(client, world, "supporter")
    edit = reverse(reg.url_name("edit"), args=[own.pk])
    form = client.get(edit).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            shown = field.widget.format_value(value)
            if shown is not None:
                data[name] = shown
    changes = ObjectChange.objects.count()
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert ObjectChange.objects.count() == changes


def test_menu_shows_what_the_user_may_see(client, world):
    body = login(client, world, "supporter").get(REGISTERS["projects"].list_url()).content.decode()
    assert 'data-nav="projects"' in body
    assert 'data-nav="overview"' not in body
    body = login(client, world, "national").get(REGISTERS["projects"].list_url()).content.decode()
    assert 'data-nav="overview"' in body
