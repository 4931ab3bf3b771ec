import datetime as dt

import pytest

from duikou.events.selectors import event_list
from duikou.testing.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_events_newest_first_within_the_scope(pairings):
    city, foreign = pairings.pairings["beijing_badong"], pairings.pairings["shanghai_yiling"]
    older = EventFactory(pairing=city, date=dt.date(2023, 5, 1))
    newer = EventFactory(pairing=pairings.pairings["fangshan_badong"], date=dt.date(2024, 10, 23))
    EventFactory(pairing=foreign)
    assert list(event_list(actor=pairings.user("recipient"))) == [newer, older]
    assert list(event_list(actor=pairings.user("recipient"), date__year=2023)) == [older]
