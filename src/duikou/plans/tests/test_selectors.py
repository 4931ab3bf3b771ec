import pytest
from django.http import Http404

from duikou.plans.selectors import indicator_get, key_task_list, plan_get, plan_list
from duikou.testing.factories import IndicatorFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_the_five_key_tasks_in_order(pairings):
    codes = list(key_task_list(actor=pairings.user("recipient")).values_list("code", flat=True))
    assert codes == ["ecology", "industry", "public_services", "urban_rural", "opening_up"]


def test_plan_list_filters_inside_the_scope(pairings):
    city, foreign = pairings.pairings["beijing_badong"], pairings.pairings["shanghai_yiling"]
    mine, theirs = PlanFactory(pairing=city), PlanFactory(pairing=foreign)
    user = pairings.user("recipient")
    assert list(plan_list(actor=user, start_year=mine.start_year)) == [mine]
    assert not plan_list(actor=user, pk=theirs.pk).exists()
    with pytest.raises(Http404):
        plan_get(actor=user, pk=theirs.pk)


def test_national_plan_is_seen_by_national_scope_only(pairings):
    national = PlanFactory(kind="national", pairing=None, programme=pairings.programme, start_year=2021,
                           end_year=2025)
    assert plan_get(actor=pairings.user("national"), pk=national.pk) == national
    with pytest.raises(Http404):
        plan_get(actor=pairings.user("supporter"), pk=national.pk)


def test_indicators_are_reference_data(pairings):
    indicator = IndicatorFactory(key="培训人次", unit="人次")
    assert indicator_get(actor=pairings.user("foreign"), pk=indicator.pk) == indicator
