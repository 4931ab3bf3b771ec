from decimal import Decimal

import pytest

from duikou.core.choices import FundStream
from duikou.plans.choices import PlanKind
from duikou.plans.models import KeyTask, Plan, PlanEnvelope, Target
from duikou.plans.services import envelope_create, plan_create, plan_update, target_create
from duikou.testing.asserts import changes_for, refused
from duikou.testing.factories import IndicatorFactory, PlanFactory

pytestmark = pytest.mark.django_db


def plan_data(world, **fields):
    city = world.pairings["beijing_badong"]
    return {"kind": PlanKind.PAIRING_FIVE_YEAR, "title": "北京市对口支援巴东县“十四五”规划", "programme": city.programme,
            "pairing": city, "start_year": 2021, "end_year": 2025} | fields


def test_plan_create_with_key_tasks_is_audited(pairings):
    tasks = list(KeyTask.objects.filter(code__in=["industry", "public_services"]))
    plan = plan_create(actor=pairings.user("supporter"), m2m={"key_tasks": tasks}, **plan_data(pairings))
    assert set(plan.key_tasks.all()) == set(tasks)
    [change] = changes_for(plan)
    assert sorted(change.after["key_tasks"]) == sorted(t.pk for t in tasks)


def test_plan_ends_after_it_starts(pairings):
    with refused("end_year", Plan):
        plan_create(actor=pairings.user("supporter"), **plan_data(pairings, start_year=2025, end_year=2021))


def test_plan_years_are_plausible(pairings):
    with refused("start_year", Plan):
        plan_create(actor=pairings.user("admin"), **plan_data(pairings, kind=PlanKind.NATIONAL, pairing=None,
                                                               start_year=1900, end_year=1905))


def test_plan_starts_inside_its_pairing(pairings):
    sub = pairings.pairings["fangshan_badong"]  # from 2021
    with refused("start_year", Plan):
        plan_create(actor=pairings.user("supporter"), **plan_data(pairings, pairing=sub, start_year=2016,
                                                                  end_year=2020))


def test_non_numeric_year_is_a_field_error(pairings):
    with refused("end_year", Plan):
        plan_create(actor=pairings.user("supporter"), **plan_data(pairings, end_year="abc"))


def test_plan_update_refuses_end_before_start(pairings):
    plan = PlanFactory(pairing=pairings.pairings["beijing_badong"], start_year=2021, end_year=2025)
    with refused("end_year", Plan):
        plan_update(actor=pairings.user("supporter"), instance=plan, end_year=2020)
    assert Plan.objects.get(pk=plan.pk).end_year == 2025


@pytest.mark.parametrize("amount", [Decimal("-1"), "abc"])
def test_envelope_amount_is_a_non_negative_number(pairings, amount):
    plan = PlanFactory(pairing=pairings.pairings["beijing_badong"])
    with refused("amount", PlanEnvelope):
        envelope_create(actor=pairings.user("supporter"), plan=plan, stream=FundStream.GRANT, amount=amount)


def test_one_envelope_per_stream(pairings):
    plan = PlanFactory(pairing=pairings.pairings["beijing_badong"])
    user = pairings.user("supporter")
    envelope_create(actor=user, plan=plan, stream=FundStream.GRANT, amount=Decimal("260000000"))
    envelope_create(actor=user, plan=plan, stream=FundStream.ECON, amount=Decimal("0"))
    with refused("__all__", PlanEnvelope):
        envelope_create(actor=user, plan=plan, stream=FundStream.GRANT, amount=Decimal("1"))


def test_target_year_lies_in_its_plan(pairings):
    plan = PlanFactory(pairing=pairings.pairings["beijing_badong"], start_year=2021, end_year=2025)
    with refused("year", Target):
        target_create(actor=pairings.user("supporter"), plan=plan, indicator=IndicatorFactory(), year=2030,
                      value=Decimal("1"))
