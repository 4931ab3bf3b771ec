import datetime as dt
from decimal import Decimal

import pytest

from duikou.organisations.selectors import division_by_code
from duikou.organisations.services import pairing_update
from duikou.plans.models import KeyTask
from duikou.projects.models import Project, ProjectOutput
from duikou.projects.services import project_create, project_output_create, project_update
from duikou.testing.asserts import changes_for, refused
from duikou.testing.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def project_data(world, pairing="beijing_badong", **fields):
    p = world.pairings[pairing]
    return {"code": "BJ-BD-2023-001", "name": "青龙桥小学教学楼", "pairing": p,
            "key_task": KeyTask.objects.get(code="public_services"), "location_division": p.recipient_division,
            "start_year": 2023, "end_year": 2023, "budget": Decimal("9000000.00")} | fields


def test_project_create_is_audited_with_decimal_as_string(pairings):
    user = pairings.user("recipient")
    project = project_create(actor=user, **project_data(pairings))
    [change] = changes_for(project)
    assert (change.actor, change.actor_name, change.action) == (user, "recipient", "create")
    assert change.after["budget"] == "9000000.00" and change.after["code"] == "BJ-BD-2023-001"
    assert change.batch_id is not None and change.before is None


@pytest.mark.parametrize("budget", [Decimal("-0.01"), "abc", "", None])
def test_budget_is_a_non_negative_number(pairings, budget):
    with refused("budget", Project):
        project_create(actor=pairings.user("supporter"), **project_data(pairings, budget=budget))


def test_project_ends_after_it_starts(pairings):
    with refused("end_year", Project):
        project_create(actor=pairings.user("supporter"), **project_data(pairings, start_year=2024, end_year=2023))


@pytest.mark.parametrize("field", ["start_year", "end_year"])
def test_non_numeric_years_are_field_errors(pairings, field):
    with refused(field, Project):
        project_create(actor=pairings.user("supporter"), **project_data(pairings, **{field: "abc"}))


def test_project_starts_inside_its_pairing(pairings):
    # 房山区 → 巴东县 runs from 2021
    with refused("start_year", Project):
        project_create(actor=pairings.user("supporter"),
                       **project_data(pairings, "fangshan_badong", start_year=2020, end_year=2021))


def test_project_ends_inside_a_closed_pairing(pairings):
    admin = pairings.user("admin")
    pairing_update(actor=admin, instance=pairings.pairings["fangshan_badong"], valid_to=dt.date(2025, 12, 31))
    with refused("end_year", Project):
        project_create(actor=admin, **project_data(pairings, "fangshan_badong", start_year=2025, end_year=2026))


def test_project_codes_are_unique(pairings):
    ProjectFactory(code="BJ-BD-2023-001", pairing=pairings.pairings["beijing_badong"])
    with refused("code", Project):
        project_create(actor=pairings.user("supporter"), **project_data(pairings))


def test_project_lies_in_the_recipient_county(pairings):
    with refused("location_division", Project):
        project_create(actor=pairings.user("supporter"),
                       **project_data(pairings, location_division=division_by_code("420506")))


def test_unknown_location_code_names_the_field():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        division_by_code("999999", field="location_division")
    assert "location_division" in info.value.message_dict


@pytest.mark.parametrize(("field", "value"), [("latitude", Decimal("91")), ("longitude", Decimal("-181"))])
def test_coordinates_are_in_range(pairings, field, value):
    with refused(field, Project) as info:
        project_create(actor=pairings.user("supporter"), **project_data(pairings, **{field: value}))
    assert len(info.value.message_dict) == 1  # the other coordinate is not blamed


def test_project_update_keeps_the_rules(pairings):
    project = ProjectFactory(pairing=pairings.pairings["beijing_badong"])
    with refused("budget", Project):
        project_update(actor=pairings.user("supporter"), instance=project, budget=Decimal("-1"))
    assert Project.objects.get(pk=project.pk).budget == Decimal("9000000.00")


def test_output_quantity_is_not_negative(pairings):
    project = ProjectFactory(pairing=pairings.pairings["beijing_badong"])
    with refused("quantity", ProjectOutput):
        project_output_create(actor=pairings.user("supporter"), project=project, name="道路", quantity=Decimal("-3.2"),
                              unit="km")
