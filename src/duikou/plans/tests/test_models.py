"""Plan rules on unsaved objects (related rows carry ids, so no rows are needed)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from duikou.plans.choices import PlanKind
from duikou.testing.asserts import clean_errors as errors_of
from duikou.testing.factories import KeyTaskFactory, PairingFactory, PlanFactory, TargetFactory


@pytest.fixture
def pairing():
    return PairingFactory.build(pk=1, valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2025, 12, 31))


def test_national_plan_belongs_to_no_pairing(pairing):
    assert "pairing" in errors_of(PlanFactory.build(kind=PlanKind.NATIONAL, pairing=pairing))
    PlanFactory.build(kind=PlanKind.NATIONAL, pairing=None, start_year=2021, end_year=2025).clean()


def test_pairing_plans_need_a_pairing():
    assert "pairing" in errors_of(PlanFactory.build(pairing=None, start_year=2021, end_year=2025))


def test_annual_plan_covers_one_year(pairing):
    assert "end_year" in errors_of(PlanFactory.build(kind=PlanKind.ANNUAL, pairing=pairing, start_year=2024,
                                                     end_year=2025))


def test_plan_starts_inside_its_pairing(pairing):
    assert "start_year" in errors_of(PlanFactory.build(pairing=pairing, start_year=2026, end_year=2030))


def test_plan_lies_inside_its_parent_unless_thematic(pairing):
    parent = PlanFactory.build(pk=5, pairing=pairing, start_year=2021, end_year=2025)
    child = PlanFactory.build(kind=PlanKind.ANNUAL, pairing=pairing, parent=parent, start_year=2026, end_year=2026)
    assert "parent" in errors_of(child)
    # 《北京市对口支援巴东县中药材产业发展规划(2024-2028年)》 crosses the five-year boundary
    PlanFactory.build(kind=PlanKind.THEMATIC, pairing=pairing, parent=parent, start_year=2024, end_year=2028).clean()


def test_target_year_lies_in_its_plan():
    plan = PlanFactory.build(pk=3, start_year=2021, end_year=2025)
    assert "year" in errors_of(TargetFactory.build(plan=plan, year=2026))
    TargetFactory.build(plan=plan, year=2025).clean()
    TargetFactory.build(plan=plan, year=None).clean()


def test_str():
    assert str(KeyTaskFactory.build(name="支持产业高质量发展")) == "支持产业高质量发展"
    target = TargetFactory.build(indicator__key="援建项目", value=11)
    assert str(target) == "援建项目 ≥ 11"


@pytest.mark.django_db
def test_member_unit_belongs_to_a_side_of_its_pairing():
    from duikou.organisations.choices import OrganisationKind
    from duikou.testing.factories import MemberUnitDutyFactory, OrganisationFactory

    duty = MemberUnitDutyFactory()
    duty.full_clean()  # a unit below the supporter
    duty.member_unit = duty.pairing.recipient
    duty.full_clean()  # the recipient itself
    duty.member_unit = OrganisationFactory(kind=OrganisationKind.MEMBER_UNIT)
    with pytest.raises(ValidationError) as exc:
        duty.full_clean()
    assert "member_unit" in exc.value.message_dict
