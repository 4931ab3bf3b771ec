"""The registry's figures are read in one statement, compiled once per pairing, period and reader."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from duikou.core.permissions import SYSTEM
from duikou.reports import figures as reg
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

CITY = "beijing_badong"


def one_by_one(ctx, figs) -> dict:
    """The values as the registry defines them, one ``aggregate()`` per figure (no statement)."""
    out = {}
    for fig in figs:
        rows = reg.records(ctx, fig)
        found = rows.aggregate(v=fig.measure.aggregate(None), n=reg.Count("pk"))
        if fig.measure.none_if_empty and not found["n"]:
            out[fig.key] = None
        else:
            out[fig.key] = found["v"] if found["v"] is not None else fig.measure.zero
    return out


def test_all_figures_in_one_round_trip(world, django_assert_num_queries):
    ctx = reg.figure_context(actor=SYSTEM, pairing=world.pairings[CITY], year_from=1992, year_to=2030)
    figs = list(reg.FIGURES.values())
    reg.evaluate(ctx, figs)  # compiled (and the pairing's divisions loaded) once
    with django_assert_num_queries(1):
        values = reg.evaluate(ctx, figs)
    assert values == one_by_one(ctx, figs)
    assert sum(1 for v in values.values() if v) >= 8
    assert isinstance(values["aid_funds"], Decimal) and values["aid_funds"] == values["aid_funds"].quantize(Decimal("0.01"))


def test_the_statement_is_kept_but_values_are_read_again(world):
    city = world.pairings[CITY]
    ctx = reg.figure_context(actor=SYSTEM, pairing=city, year_from=2023, year_to=2023)
    figs = [reg.FIGURES["aid_funds"], reg.FIGURES["projects"]]
    groups = {("grant_allocations", (2023, 2023)): [figs[0]], ("counted_projects", (2023, 2023)): [figs[1]]}
    first = reg.statement(ctx, groups)
    assert reg.statement(ctx, groups) is first  # the same pairing, years and reader: not built again
    before = reg.evaluate(ctx, figs)
    f.FundAllocationFactory(pairing=city, year=2023, amount=Decimal("1234.50"))
    after = reg.evaluate(ctx, figs)
    assert after["aid_funds"] == before["aid_funds"] + Decimal("1234.50")
    other = reg.figure_context(actor=SYSTEM, pairing=city, year_from=2022, year_to=2023)
    assert reg.statement(other, {("grant_allocations", (2022, 2023)): [figs[0]]}) is not first


def test_each_reader_has_its_own_statement(world):
    city = world.pairings[CITY]
    figs = list(reg.FIGURES.values())
    values = {}
    for name, actor in (("system", SYSTEM), ("foreign", world.users["foreign"]), ("supporter", world.users["supporter"]),
                        ("anonymous", AnonymousUser())):
        ctx = reg.figure_context(actor=actor, pairing=city, year_from=1992, year_to=2030)
        values[name] = reg.evaluate(ctx, figs)
        assert values[name] == one_by_one(ctx, figs), name
    assert values["system"]["aid_funds"] > 0
    assert not any(values["foreign"].values()) and not any(values["anonymous"].values())
    # asked again in the other order, each reader still gets their own figures
    ctx = reg.figure_context(actor=world.users["foreign"], pairing=city, year_from=1992, year_to=2030)
    assert not any(reg.evaluate(ctx, figs).values())


def test_an_empty_scope_is_asked_on_its_own(world):
    ctx = reg.figure_context(actor=AnonymousUser(), pairing=world.pairings[CITY], year_from=1992, year_to=2030)
    stmt = reg.statement(ctx, {("grant_allocations", (1992, 2030)): [reg.FIGURES["aid_funds"]]})
    assert stmt.sql == "" and list(stmt.single) == [0]  # restrict() gave none(): no SQL to join
    assert stmt.run() == [{"v0": None}]


def test_the_cache_keeps_a_bounded_number_of_statements(world, monkeypatch):
    monkeypatch.setattr(reg, "STATEMENT_CACHE_SIZE", 3)
    city = world.pairings[CITY]
    for year in range(2015, 2025):
        ctx = reg.figure_context(actor=SYSTEM, pairing=city, year_from=year, year_to=year)
        reg.evaluate(ctx, [reg.FIGURES["aid_funds"]])
    assert len(reg._statements) <= 3
