import pytest

from duikou.people.selectors import secondment_list, training_session_list
from duikou.testing.factories import SecondmentFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


def test_secondments_are_seen_through_their_batch(pairings):
    mine = SecondmentFactory(batch__pairing=pairings.pairings["fangshan_badong"])
    SecondmentFactory(batch__pairing=pairings.pairings["shanghai_yiling"])
    assert list(secondment_list(actor=pairings.user("district"))) == [mine]
    assert list(secondment_list(actor=pairings.user("recipient"), batch__pairing__parent__isnull=False)) == [mine]


def test_training_person_times_add_up_in_a_selector_query(pairings):
    from django.db.models import Sum

    for pairing in ("beijing_badong", "fangshan_badong", "shanghai_yiling"):
        TrainingSessionFactory(pairing=pairings.pairings[pairing], participants=100, person_times=700)
    total = training_session_list(actor=pairings.user("supporter")).aggregate(t=Sum("person_times"))["t"]
    assert total == 1400  # 北京's two pairings, not 上海's
