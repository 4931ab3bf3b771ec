"""The organisation, pairing and programme pages beyond the register contract
(``tests/test_registers.py``): filters, search, sorting, writes through the forms, the link to the
pairing dashboard and who is offered which form. The helpers are :mod:`duikou.testing.pages`.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duikou.audit.models import ObjectChange
from duikou.organisations.models import AdminDivision, Organisation, Pairing, Programme
from duikou.testing.asserts import changes_for
from duikou.testing.factories import OrganisationFactory, OrganisationNameFactory
from duikou.testing.pages import assert_refused, listed, open_page, post_form, resubmit, xlsx_rows

pytestmark = pytest.mark.django_db


# organisations ----------------------------------------------------------------------------------


def orgs(world, *names) -> set[int]:
    return {world.orgs[n].pk for n in names}


def test_organisations_are_listed_to_every_signed_in_user_but_only_writers_are_offered_the_form(client, world):
    response = open_page(client, world.user("read_only"), "organisations")
    assert orgs(world, "北京市", "上海市") <= listed(response)
    assert reverse("ui:organisations-create") not in response.content.decode()
    response = open_page(client, world.user("supporter"), "organisations")
    assert reverse("ui:organisations-create") in response.content.decode()


def test_organisation_filters_narrow_the_list(client, world):
    user = world.user("supporter")
    beijing = AdminDivision.objects.get(code="110000")
    assert listed(open_page(client, user, "organisations", pairing=world.pairings["beijing_badong"].pk)) == orgs(
        world, "北京市", "房山区", "巴东县"  # the sub-pairing's supporter too
    )
    by_kind = listed(open_page(client, user, "organisations", kind="recipient_county"))
    assert orgs(world, "巴东县", "夷陵区") <= by_kind and not orgs(world, "北京市") & by_kind
    assert listed(open_page(client, user, "organisations", province=beijing.pk)) == orgs(world, "北京市", "房山区")
    top = listed(open_page(client, user, "organisations", top_level="true"))
    assert orgs(world, "北京市", "上海市") <= top and not orgs(world, "房山区") & top


def test_former_names_find_the_organisation_once(client, world):
    badong = world.orgs["巴东县"]
    OrganisationNameFactory(organisation=badong, name="旧称巴东一")
    OrganisationNameFactory(organisation=badong, name="旧称巴东二")
    response = open_page(client, world.user("supporter"), "organisations", former_name="旧称巴东")
    assert listed(response) == {badong.pk}
    assert response.context["paginator"].count == 1


def test_search_and_sort(client, world):
    user = world.user("supporter")
    assert listed(open_page(client, user, "organisations", q="房山")) == orgs(world, "房山区")
    names = [row["obj"].name for row in open_page(client, user, "organisations", sort="-name").context["rows"]]
    assert names == sorted(names, reverse=True)


def test_list_queries_do_not_grow_with_organisations(client, world):
    user = world.user("supporter")
    open_page(client, user, "organisations")
    with CaptureQueriesContext(connection) as few:
        open_page(client, user, "organisations")
    for _ in range(5):
        OrganisationFactory(parent=world.orgs["北京市"], division=AdminDivision.objects.get(code="110105"))
    with CaptureQueriesContext(connection) as many:
        open_page(client, user, "organisations")
    assert len(many) == len(few) <= 20


def test_supporter_adds_a_unit_below_its_own_organisation(client, world):
    data = {"name": "北京市某局", "kind": "member_unit", "parent": world.orgs["北京市"].pk, "source": "通知"}
    response = post_form(client, "organisations", data, user=world.user("supporter"))
    assert response.status_code == 302
    unit = Organisation.objects.get(name="北京市某局")
    assert unit.parent == world.orgs["北京市"]
    assert len(changes_for(unit, "create")) == 1


def test_organisation_form_errors_stay_next_to_their_fields(client, world):
    user, before = world.user("supporter"), Organisation.objects.count()
    # A unit must sit below an organisation of the user's (the form asks for it) …
    assert_refused(post_form(client, "organisations", {"name": "无上级单位", "kind": "other"}, user=user),
                   "parent", Organisation, before)
    # … and the service's rule (the end not before the start) lands next to valid_to.
    data = {"name": "北京市某中心", "kind": "other", "parent": world.orgs["北京市"].pk,
            "valid_from": "2024-01-01", "valid_to": "2023-01-01"}
    assert_refused(post_form(client, "organisations", data, user=user), "valid_to", Organisation, before)


@pytest.mark.parametrize(("user", "slug", "row"), [
    ("supporter", "organisations", lambda world: world.orgs["北京市"]),
    ("admin", "programmes", lambda world: world.programme),
])
def test_edit_form_saved_unchanged_records_nothing(client, world, user, slug, row):
    changes = ObjectChange.objects.count()
    assert resubmit(client, world.user(user), slug, row(world).pk).status_code == 302
    assert ObjectChange.objects.count() == changes


def test_organisation_page_lists_its_units_and_pairings(client, world):
    body = open_page(client, world.user("supporter"), "organisations", "detail", world.orgs["北京市"].pk).content.decode()
    assert "房山区" in body
    assert f'href="{reverse("ui:pairings-detail", args=[world.pairings["beijing_badong"].pk])}"' in body
    assert reverse("ui:pairings-create") + f"?supporter={world.orgs['北京市'].pk}" in body


# pairings ----------------------------------------------------------------------------------------


def pairings(world, *keys) -> set[int]:
    return {world.pairings[k].pk for k in keys}


def test_pairing_filters_narrow_the_list(client, world):
    user = world.user("national")
    assert listed(open_page(client, user, "pairings")) == pairings(world, "beijing_badong", "fangshan_badong",
                                                                    "shanghai_yiling")
    # the pairing filter takes in the sub-pairings
    assert listed(open_page(client, user, "pairings", pairing=world.pairings["beijing_badong"].pk)) == pairings(
        world, "beijing_badong", "fangshan_badong")
    assert listed(open_page(client, user, "pairings", top_level="true")) == pairings(world, "beijing_badong",
                                                                                     "shanghai_yiling")
    assert listed(open_page(client, user, "pairings", level="district_county")) == pairings(world, "fangshan_badong")
    # in force in 2020: 房山区 → 巴东县 starts in 2021
    assert listed(open_page(client, user, "pairings", year_to=2020)) == pairings(world, "beijing_badong",
                                                                                 "shanghai_yiling")
    assert listed(open_page(client, user, "pairings", q="房山")) == pairings(world, "fangshan_badong")


def test_pairing_page_links_to_its_dashboard_and_adds_sub_pairings(client, world):
    pairing = world.pairings["beijing_badong"]
    user = world.user("supporter")
    body = open_page(client, user, "pairings", "detail", pairing.pk).content.decode()
    assert f'href="{reverse("dashboard", args=[pairing.pk])}"' in body
    assert f'href="{reverse("ui:pairings-detail", args=[world.pairings["fangshan_badong"].pk])}"' in body
    add = reverse("ui:pairings-create") + f"?parent={pairing.pk}"
    assert add in body
    initial = open_page(client, user, "pairings", "create", parent=pairing.pk).context["form"].initial
    assert (initial["programme"], initial["recipient"]) == (pairing.programme_id, pairing.recipient_id)


def _sub_pairing_data(world, **fields) -> dict:
    parent = world.pairings["beijing_badong"]
    return {"programme": parent.programme_id, "supporter": world.orgs["北京市教育委员会"].pk,
            "recipient": parent.recipient_id, "recipient_division": parent.recipient_division_id,
            "level": "institution", "parent": parent.pk, "valid_from": "2023-01-01", "round": 1, **fields}


def test_supporter_adds_a_sub_pairing_through_the_form(client, world):
    response = post_form(client, "pairings", _sub_pairing_data(world), user=world.user("supporter"))
    assert response.status_code == 302
    pairing = Pairing.objects.get(supporter=world.orgs["北京市教育委员会"])
    assert pairing.parent == world.pairings["beijing_badong"]
    assert len(changes_for(pairing, "create")) == 1


def test_pairing_rule_is_shown_next_to_the_field(client, world):
    before = Pairing.objects.count()
    beijing = world.orgs["北京市"].pk
    data = _sub_pairing_data(world, supporter=beijing, recipient=beijing, parent="")  # supporter = recipient
    assert_refused(post_form(client, "pairings", data, user=world.user("supporter")), "recipient", Pairing, before)


# programmes --------------------------------------------------------------------------------------


def _programme_data() -> dict:
    return {"code": "east-west-test", "name": "东西部协作（测试）", "kind": "east_west", "started_on": "2016-01-01",
            "covered_divisions": [AdminDivision.objects.get(code="422823").pk]}


def test_only_users_whose_scope_is_everything_write_programmes(client, world):
    programme = world.programme
    response = open_page(client, world.user("supporter"), "programmes")
    assert programme.pk in listed(response)
    assert reverse("ui:programmes-create") not in response.content.decode()
    assert open_page(client, world.user("supporter"), "programmes", "create").status_code == 403
    assert open_page(client, world.user("supporter"), "programmes", "edit", programme.pk).status_code == 403
    assert post_form(client, "programmes", _programme_data(), user=world.user("admin")).status_code == 302
    created = Programme.objects.get(code="east-west-test")
    assert [d.code for d in created.covered_divisions.all()] == ["422823"]
    assert len(changes_for(created, "create")) == 1


def test_programme_filters_and_export(client, world):
    user = world.user("supporter")
    assert listed(open_page(client, user, "programmes", pairing=world.pairings["fangshan_badong"].pk)) == {
        world.programme.pk}
    assert listed(open_page(client, user, "programmes", kind="east_west")) == set()
    rows = xlsx_rows(open_page(client, user, "programmes", "export-xlsx"))
    [row] = [r for r in rows[1:] if r[0].value == world.programme.name]
    assert row[3].value.date() == dt.date(1992, 1, 1)  # a date stays a date


def test_page_of_a_programme_created_with_covered_divisions(client, world):
    response = post_form(client, "programmes", _programme_data(), user=world.user("admin"))
    assert client.get(response["Location"]).status_code == 200
