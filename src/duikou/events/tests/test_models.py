import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from duikou.testing.factories import EventFactory, PairingFactory, ProgrammeFactory


def test_pairing_from_another_programme_is_refused():
    pairing = PairingFactory.build(pk=1, programme=ProgrammeFactory.build(pk=1))
    event = EventFactory.build(pairing=pairing, programme=ProgrammeFactory.build(pk=2))
    with pytest.raises(ValidationError) as info:
        event.clean()
    assert "pairing" in info.value.message_dict
    EventFactory.build(pairing=pairing, programme=pairing.programme).clean()


def test_str():
    assert str(EventFactory.build(date=dt.date(2024, 10, 23), title="座谈会")) == "2024-10-23 座谈会"
