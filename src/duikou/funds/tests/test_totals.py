"""Register totals of fund transactions and projects (``duikou.core.totals``): kept by the write
services in their transaction, answering the register lists, checked and rebuilt by ``duikou totals``."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from duikou.core import totals
from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundAllocation, FundTotal, FundTransaction
from duikou.funds.services import fund_transaction_create, fund_transaction_delete, fund_transaction_update
from duikou.projects.models import Project, ProjectTotal
from duikou.projects.services import project_create, project_delete, project_update
from duikou.testing import factories as f
from duikou.ui.registers import get_register

pytestmark = pytest.mark.django_db

Kind = FundTransaction.Kind
FUNDS, PROJECTS = totals.for_model(FundTransaction), totals.for_model(Project)


def kept(pairing, **dims) -> tuple[int, Decimal]:
    rows = FundTotal.objects.filter(pairing=pairing, **dims)
    return sum(r.n for r in rows), Decimal(sum(r.total_cents for r in rows)) / 100


def test_the_world_agrees_with_its_totals(world):
    assert totals.check(FUNDS) == [] and totals.check(PROJECTS) == []
    assert FundTotal.objects.exists() and ProjectTotal.objects.exists()  # not vacuous


def test_fund_services_keep_the_totals(world):
    pairing = world.pairings["beijing_badong"]
    before = kept(pairing, year=2019, kind=Kind.RECEIPT)
    row = fund_transaction_create(actor=SYSTEM, kind=Kind.RECEIPT, pairing=pairing, year=2019,
                                  amount=Decimal("1234.56"))
    assert kept(pairing, year=2019, kind=Kind.RECEIPT) == (before[0] + 1, before[1] + Decimal("1234.56"))
    fund_transaction_update(actor=SYSTEM, instance=row, amount=Decimal("1000.01"), year=2020)
    assert kept(pairing, year=2019, kind=Kind.RECEIPT) == before
    assert kept(pairing, year=2020, kind=Kind.RECEIPT)[1] >= Decimal("1000.01")
    assert totals.check(FUNDS) == []
    fund_transaction_delete(actor=SYSTEM, instance=row)
    assert totals.check(FUNDS) == []


def test_a_refused_write_leaves_the_totals_as_they_were(world):
    pairing = world.pairings["beijing_badong"]
    snapshot = list(FundTotal.objects.values_list("pk", "n", "total_cents").order_by("pk"))
    with pytest.raises(Exception):  # noqa: B017,PT011 - mixing the streams is refused by the model's rules
        fund_transaction_create(actor=SYSTEM, kind=Kind.RECEIPT, pairing=pairing, year=2019, amount=Decimal("-5"))
    assert list(FundTotal.objects.values_list("pk", "n", "total_cents").order_by("pk")) == snapshot


def test_project_services_and_lifecycle_keep_the_totals(world):
    pairing = world.pairings["beijing_badong"]
    project = project_create(actor=SYSTEM, code="TOT-1", name="总数测试", pairing=pairing,
                             key_task=f.KeyTaskFactory(code="industry"), start_year=2024, end_year=2024,
                             budget=Decimal("500000.50"), location_division=pairing.recipient_division)
    row = ProjectTotal.objects.get(pairing=pairing, start_year=2024, status=project.status, is_illustrative=False)
    assert row.n >= 1 and row.total_cents >= 50000050
    project_update(actor=SYSTEM, instance=project, budget=Decimal("600000.00"))
    assert totals.check(PROJECTS) == []
    from duikou.projects.workflow import project_transition

    project_transition(actor=SYSTEM, project=project, transition="propose")  # 草稿 → 申报: the status moves
    project.refresh_from_db()
    assert ProjectTotal.objects.filter(pairing=pairing, start_year=2024, status=project.status, n__gte=1).exists()
    assert totals.check(PROJECTS) == []
    draft = f.ProjectFactory(pairing=pairing, start_year=2023, end_year=2023)
    project_delete(actor=SYSTEM, instance=draft)
    assert totals.check(PROJECTS) == []


def test_an_update_without_its_values_before_is_refused(world):
    from duikou.audit.models import ObjectChange
    from duikou.audit.services import record

    project = world.row(Project, "beijing_badong")
    with pytest.raises(ValueError, match="values before"):
        record(project, action=ObjectChange.Action.UPDATE)


def test_check_finds_a_difference_and_rebuild_repairs_it(world, capsys):
    row = FundTotal.objects.order_by("pk").first()
    FundTotal.objects.filter(pk=row.pk).update(n=row.n + 3, total_cents=row.total_cents + 1)
    [difference] = totals.check(FUNDS)
    assert f"kept n={row.n + 3}" in difference and f"recomputed n={row.n}" in difference
    with pytest.raises(SystemExit) as exit_info, translation.override("zh-hans"):
        call_command("totals", "check")
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert "资金总数" in out and "与记录不符" in err
    call_command("totals", "rebuild")
    assert totals.check(FUNDS) == [] and totals.check(PROJECTS) == []
    call_command("totals", "check", "--json")
    assert '"ok": true' in capsys.readouterr().out


def test_only_an_administrator_checks_the_totals(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("totals", "check", "--user", world.user("supporter").username)


# the register lists --------------------------------------------------------------------------------


def list_page(client, user, slug, query=""):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(get_register(slug).list_url() + query)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured]


def direct(model, user, **filters) -> tuple[int, Decimal]:
    rows = model.objects.restrict(user, "view").filter(**filters)
    money = "amount" if model is not Project else "budget"
    return rows.count(), sum((getattr(r, money) for r in rows), Decimal(0))


@pytest.mark.parametrize(("query", "filters"), [
    ("", {}),
    ("?stream=grant&kind=allocation", {"stream": "grant", "kind": "allocation"}),
    ("?year_from=2021&year_to=2025", {"year__gte": 2021, "year__lte": 2025}),
    ("?is_illustrative=false", {"is_illustrative": False}),
])
def test_fund_list_counts_and_totals_from_the_totals(client, world, query, filters):
    user = world.user("supporter")
    response, sql = list_page(client, user, "fund-transactions", query)
    n, total = direct(FundTransaction, user, **filters)
    assert response.context["paginator"].count == n and n > 0
    assert response.context["total"] == response.context["total"].__class__(f"{total:,.2f}")
    big = [s for s in sql if 'FROM "funds_fundtransaction"' in s and ("COUNT(" in s or "SUM(" in s)]
    assert big == [], "the count and the total come from the totals table"
    assert any('"funds_fundtotal"' in s for s in sql)


def test_a_filter_the_totals_do_not_keep_counts_the_rows(client, world):
    user = world.user("supporter")
    project = world.row(Project, "beijing_badong")
    response, sql = list_page(client, user, "fund-transactions", f"?project={project.pk}")
    assert response.context["paginator"].count == direct(FundTransaction, user, project=project)[0]
    assert not any('"funds_fundtotal"' in s for s in sql)
    response, sql = list_page(client, user, "fund-transactions", "?q=zzz-no-such")
    assert response.context["paginator"].count == 0 and not any('"funds_fundtotal"' in s for s in sql)


def test_the_totals_are_restricted_like_the_rows(client, world):
    response, _sql = list_page(client, world.user("foreign"), "fund-transactions")
    assert response.context["paginator"].count == direct(FundTransaction, world.user("foreign"))[0]
    response, _sql = list_page(client, world.user("supporter"), "fund-allocations")
    assert response.context["paginator"].count == direct(FundAllocation, world.user("supporter"))[0] > 0


@pytest.mark.parametrize("query", ["", "?status_group=counted", "?year_from=2021"])
def test_project_list_counts_from_the_totals(client, world, query):
    user = world.user("supporter")
    response, sql = list_page(client, user, "projects", query)
    qs = get_register("projects").filterset(dict(p.split("=") for p in query[1:].split("&") if p) or None,
                                            queryset=Project.objects.restrict(user, "view"), request=None).qs
    assert response.context["paginator"].count == qs.count()
    assert not any('FROM "projects_project"' in s and "COUNT(" in s for s in sql)
