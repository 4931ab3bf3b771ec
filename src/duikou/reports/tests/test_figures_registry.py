"""The figure registry on the standard world: every figure's value equals its drill-down records
measured again (count, sum or distinct values), for every actor and period rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from duikou.core.permissions import SYSTEM
from duikou.projects.choices import ProjectStatus
from duikou.reports import figures as reg
from duikou.reports.selectors import pairing_figures
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

CITY, SUB = "beijing_badong", "fangshan_badong"


def drill_down_matches(actor, pairing, y1, y2) -> dict:
    ctx = reg.figure_context(actor=actor, pairing=pairing, year_from=y1, year_to=y2)
    values = reg.evaluate(ctx, list(reg.FIGURES.values()))
    for fig in reg.FIGURES.values():
        rows = list(reg.records(ctx, fig).values_list(fig.measure.field, flat=True))
        assert fig.measure.of_rows(rows) == values[fig.key], fig.key
    return values


def test_every_figure_drills_down_to_its_value(world):
    city = world.pairings[CITY]
    for actor in (SYSTEM, world.users["supporter"], world.users["district"], world.users["foreign"]):
        for y1, y2 in ((1992, 2030), (2021, 2025), (2023, 2023)):
            drill_down_matches(actor, city, y1, y2)
    values = drill_down_matches(SYSTEM, city, 1992, 2030)
    assert sum(1 for v in values.values() if v) >= 8  # the world has a row of each kind: not a vacuous check
    # another organisation sees none of the records
    assert not any(drill_down_matches(world.users["foreign"], city, 1992, 2030).values())


def test_added_allocation_moves_value_and_records_alike(world):
    city = world.pairings[CITY]
    project = f.ProjectFactory(pairing=city, start_year=2023, end_year=2023, status=ProjectStatus.IN_PROGRESS)
    before = drill_down_matches(SYSTEM, city, 2023, 2023)
    alloc = f.FundAllocationFactory(pairing=city, project=project, year=2023, amount=Decimal("1234.50"))
    after = drill_down_matches(SYSTEM, city, 2023, 2023)
    assert after["aid_funds"] == before["aid_funds"] + Decimal("1234.50")
    assert after["projects"] == before["projects"]  # the project was there before its allocation
    ctx = reg.figure_context(actor=SYSTEM, pairing=city, year_from=2023, year_to=2023)
    assert project.pk in set(reg.records(ctx, reg.FIGURES["projects"]).values_list("pk", flat=True))
    assert alloc.pk in set(reg.records(ctx, reg.FIGURES["aid_funds"]).values_list("pk", flat=True))


def test_period_rules_resolve_against_the_pairing():
    class P:
        valid_from = dt.date(1992, 1, 1)

    ctx = reg.FigureContext(SYSTEM, P(), (), 2021, 2024)
    assert reg.FIGURES["aid_funds"].period.resolve(ctx) == (2021, 2024)
    assert reg.FIGURES["aid_funds_cumulative"].period.resolve(ctx) == (1992, 2024)
    assert reg.FIGURES["public_services_projects_14th"].period.resolve(ctx) == (2021, 2025)
    assert reg.FIGURES["aid_funds_year"].period.resolve(ctx) == (2024, 2024)


def test_definitions_are_complete_and_never_mix_streams():
    assert {"aid_funds_cumulative", "projects", "public_services_projects_14th", "training_person_times"} <= set(
        reg.FIGURES)
    for fig in reg.FIGURES.values():
        d = fig.definition()
        assert d["label_zh"] and d["label_en"] and d["model"] and d["rule"] and d["unit"], fig.key
        if fig.unit == "yuan" and fig.source == "grant_allocations":
            assert fig.stream == "grant"
    assert reg.get_figure("task_projects.newtask").filter_text == "key task newtask"
    with pytest.raises(KeyError):
        reg.get_figure("no_such_figure")


def test_stats_figures_are_the_registry_values(world):
    city = world.pairings[CITY]
    figures = pairing_figures(actor=SYSTEM, pairing=city, year_from=1992, year_to=2030)
    values = drill_down_matches(SYSTEM, city, 1992, 2030)
    for name, key in reg.STATS_FIGURES.items():
        assert getattr(figures, name) == values[key], name
    with pytest.raises(ValidationError):
        reg.figure_context(actor=SYSTEM, pairing=city, year_from=2024, year_to=2020)
