"""The events pages beyond the register contract (``tests/test_registers.py``): filters, search,
sorting, writes through the form and the export."""

import datetime as dt

import pytest

from duikou.events.models import Event
from duikou.testing.asserts import changes_for
from duikou.testing.factories import EventFactory, ProgrammeFactory
from duikou.testing.pages import assert_refused, csv_rows, listed, open_page, post_form
from duikou.ui.registers import get_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(world):
    """The world's event in each pairing plus a 2019 promotion and a programme-wide meeting."""
    promotion = EventFactory(pairing=world.pairings["beijing_badong"], kind=Event.Kind.PROMOTION, title="巴东农产品推介",
                             date=dt.date(2019, 6, 15), place="=长阳奥特莱斯")
    wide = EventFactory(pairing=None, programme=world.programme, title="库区工作会议", date=dt.date(2024, 3, 1))
    return {"promotion": promotion, "wide": wide, **{key: world.row(Event, key) for key in world.pairings}}


def shown(client, user, events, **params) -> set[str]:
    pks = listed(open_page(client, user, "events", **params))
    return {name for name, event in events.items() if event.pk in pks}


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"promotion", "wide", "beijing_badong", "fangshan_badong", "shanghai_yiling"}),
    ({"pairing": "beijing_badong"}, {"promotion", "beijing_badong", "fangshan_badong"}),  # with the sub-pairing
    ({"pairing": "fangshan_badong"}, {"fangshan_badong"}),
    ({"programme_wide": "true"}, {"wide"}),
    ({"kind": "promotion"}, {"promotion"}),
    ({"year_to": 2019}, {"promotion"}),
    ({"year_from": 2020, "pairing": "beijing_badong"}, {"beijing_badong", "fangshan_badong"}),
    ({"q": "推介"}, {"promotion"}),
])
def test_each_filter_narrows(client, world, events, params, expected):
    if "pairing" in params:
        params = {**params, "pairing": world.pairings[params["pairing"]].pk}
    assert shown(client, world.user("national"), events, **params) == expected


def test_supporter_never_sees_programme_wide_or_foreign_events(client, world, events):
    assert shown(client, world.user("supporter"), events) == {"promotion", "beijing_badong", "fangshan_badong"}


def test_sort_by_date(client, world, events):
    rows = open_page(client, world.user("national"), "events", sort="date").context["rows"]
    dates = [r["obj"].date for r in rows]
    assert dates == sorted(dates) and rows[0]["obj"] == events["promotion"]


def _event_data(world, **fields) -> dict:
    return {"kind": "meeting", "title": "对口支援联席会议", "programme": world.programme.pk,
            "pairing": world.pairings["beijing_badong"].pk, "date": "2025-03-01",
            "organisers": [world.orgs["北京市"].pk, world.orgs["巴东县"].pk], **fields}


def test_event_added_through_the_form_is_audited(client, world):
    response = post_form(client, "events", _event_data(world), user=world.user("supporter"))
    assert response.status_code == 302
    event = Event.objects.get(title="对口支援联席会议")
    assert set(event.organisers.values_list("name", flat=True)) == {"北京市", "巴东县"}
    assert len(changes_for(event, "create")) == 1


def test_page_of_an_event_created_with_organisers(client, world):
    response = post_form(client, "events", _event_data(world), user=world.user("supporter"))
    assert client.get(response["Location"]).status_code == 200


def test_event_errors_stay_next_to_their_fields(client, world):
    user, before = world.user("supporter"), Event.objects.count()
    # only a user whose scope is everything may record a programme-wide event
    assert_refused(post_form(client, "events", _event_data(world, pairing=""), user=user), "pairing", Event, before)
    # the service: the pairing must belong to the event's programme
    other = ProgrammeFactory()
    response = post_form(client, "events", _event_data(world, programme=other.pk), user=user)
    assert_refused(response, "pairing", Event, before)


def test_export_writes_a_formula_as_text(client, world, events):
    names = [c.name for c in get_register("events").columns]
    lines = csv_rows(open_page(client, world.user("supporter"), "events", "export-csv", kind="promotion"))
    assert [line[names.index("place")] for line in lines[1:]] == ["'=长阳奥特莱斯"]
    assert lines[1][names.index("organisers")] == ""
