import datetime as dt

import pytest

from duikou.events.models import Event
from duikou.events.services import event_create, event_update
from duikou.testing.asserts import changes_for, refused
from duikou.testing.factories import EventFactory, PairingFactory

pytestmark = pytest.mark.django_db


def event_data(world, **fields):
    city = world.pairings["beijing_badong"]
    return {"kind": Event.Kind.MEETING, "title": "2024年全国对口支援三峡库区合作工作座谈会", "programme": city.programme,
            "pairing": city, "date": dt.date(2024, 10, 23), "place": "宜昌市"} | fields


def test_event_with_organisers_is_audited(pairings):
    organisers = [pairings.orgs["北京市"], pairings.orgs["巴东县"]]
    event = event_create(actor=pairings.user("supporter"), m2m={"organisers": organisers}, **event_data(pairings))
    [change] = changes_for(event)
    assert change.after["date"] == "2024-10-23"
    assert sorted(change.after["organisers"]) == sorted(o.pk for o in organisers)


def test_event_pairing_belongs_to_its_programme(pairings):
    other = PairingFactory()  # in another programme
    with refused("pairing", Event):
        event_create(actor=pairings.user("admin"), **event_data(pairings, pairing=other))


@pytest.mark.parametrize("date", ["2024-13-01", "abc", None])
def test_event_date_must_be_a_date(pairings, date):
    with refused("date", Event):
        event_create(actor=pairings.user("supporter"), **event_data(pairings, date=date))


def test_programme_wide_event_is_for_national_scope(pairings):
    from duikou.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        event_create(actor=pairings.user("supporter"), **event_data(pairings, pairing=None))
    assert event_create(actor=pairings.user("admin"), **event_data(pairings, pairing=None)).pairing is None


def test_update_that_changes_nothing_records_nothing(pairings):
    event = EventFactory(pairing=pairings.pairings["beijing_badong"])
    event_update(actor=pairings.user("supporter"), instance=event, title=event.title)
    assert changes_for(event) == []
