import pytest

from duikou.investment.selectors import enterprise_introduction_get, enterprise_introduction_list
from duikou.testing.factories import EnterpriseIntroductionFactory

pytestmark = pytest.mark.django_db


def test_introductions_within_the_scope(pairings):
    mine = EnterpriseIntroductionFactory(pairing=pairings.pairings["beijing_badong"])
    EnterpriseIntroductionFactory(pairing=pairings.pairings["shanghai_yiling"])
    assert list(enterprise_introduction_list(actor=pairings.user("recipient"))) == [mine]
    assert enterprise_introduction_get(actor=pairings.user("recipient"), pk=mine.pk) == mine
