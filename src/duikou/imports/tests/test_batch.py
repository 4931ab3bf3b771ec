"""The import's batch path: rows checked one by one as before, the database asked and written per
batch of rows; the same errors (row and column), the same all-or-nothing, one audit record per
created record, and queries that do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from duikou.audit.models import ObjectChange
from duikou.audit.selectors import audit_chain_verify
from duikou.core.permissions import SYSTEM
from duikou.imports import services
from duikou.imports.services import import_workbook
from duikou.projects.models import Project
from duikou.testing.factories import ProjectFactory

from .test_import import PROJECT_HEAD, errors_at, project_row, user, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-imports")]


def rows(n, prefix="BAT", **changes):
    return [project_row(f"{prefix}-{i:04d}", **changes) for i in range(n)]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(services, "BATCH_ROWS", 4)


def test_a_bad_row_in_the_middle_of_a_batch_is_named_and_nothing_is_saved(demo_db, small_batches):
    sheet = rows(10)
    sheet[4] = project_row("BAT-0004", **{"预算（元）": "abc"})  # the form refuses it (row 6)
    sheet[6] = project_row("BAT-0006", 截止年度=2023)  # the model's rule: last year before the first (row 8)
    sheet[8] = project_row("BAT-0008", 起始年度=1990, 截止年度=1990)  # clean(): outside the pairing's period (row 10)
    data = workbook({"项目": [PROJECT_HEAD, *sheet]})
    result = import_workbook(data, actor=SYSTEM)
    assert errors_at(result) == {("项目", 6, "预算（元）"), ("项目", 8, "截止年度"), ("项目", 10, "起始年度")}
    assert [e.row for e in result.errors] == [6, 8, 10]  # in the order of the rows
    assert not result.saved and not Project.objects.filter(code__startswith="BAT-").exists()
    result = import_workbook(data, actor=SYSTEM, valid_only=True)
    assert result.saved and (result.total("created"), result.total("failed")) == (7, 3)
    assert Project.objects.filter(code__startswith="BAT-").count() == 7
    assert not Project.objects.filter(code__in=["BAT-0004", "BAT-0006", "BAT-0008"]).exists()


def test_a_key_twice_in_a_batch_or_across_batches_is_refused(demo_db, small_batches):
    sheet = rows(10)
    sheet[2] = project_row("BAT-0001")  # the same code as the row before, in the same batch (row 4)
    sheet[8] = project_row("BAT-0000")  # … and as row 2, three batches later (row 10)
    with translation.override("en"):
        result = import_workbook(workbook({"项目": [PROJECT_HEAD, *sheet]}), actor=SYSTEM, valid_only=True)
    assert {(e.row, e.column, e.message) for e in result.errors} == {
        (4, "代码", "Same project code as row 3: a record may appear only once in a file."),
        (10, "代码", "Same project code as row 2: a record may appear only once in a file."),
    }
    assert result.total("created") == 8


def test_a_key_taken_in_the_database_by_a_record_the_user_does_not_see(demo_db):
    hidden = ProjectFactory(code="BAT-HIDDEN")  # another pairing: beijing's import cannot update it
    data = workbook({"项目": [PROJECT_HEAD, project_row("BAT-A"), project_row(hidden.code), project_row("BAT-B")]})
    result = import_workbook(data, actor=user("beijing"), valid_only=True)
    assert errors_at(result) == {("项目", 3, "代码")}
    assert "已存在" in result.errors[0].message  # the model's uniqueness message
    assert sorted(Project.objects.filter(code__startswith="BAT-").values_list("code", flat=True)) == [
        "BAT-A", "BAT-B", "BAT-HIDDEN"]
    hidden.refresh_from_db()
    assert hidden.pairing.short_label != "北京市 → 巴东县"


def test_every_created_row_has_its_own_audit_record_and_the_chain_verifies(demo_db, small_batches):
    before = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    result = import_workbook(workbook({"项目": [PROJECT_HEAD, *rows(9)]}), actor=user("beijing"))
    assert result.saved and result.total("created") == 9
    changes = ObjectChange.objects.filter(pk__gt=before).order_by("pk")
    projects = {str(p.pk): p.code for p in Project.objects.filter(code__startswith="BAT-")}
    assert sorted(c.object_id for c in changes) == sorted(projects)
    assert {(c.action, c.actor_name) for c in changes} == {("create", "beijing")}
    assert audit_chain_verify(actor=SYSTEM).ok
    from duikou.core import totals

    assert totals.check(totals.for_model(Project)) == []  # the bulk path keeps the register totals too


def test_updates_unchanged_rows_and_new_rows_in_one_batch(demo_db):
    existing = Project.objects.get(code="BJBD-2025-01")
    row = [existing.code, existing.name, "北京市 → 巴东县", existing.key_task.code, existing.start_year,
           existing.end_year, 4300000]
    first = import_workbook(workbook({"项目": [PROJECT_HEAD, project_row("BAT-N1")]}), actor=SYSTEM)
    assert first.total("created") == 1
    data = workbook({"项目": [PROJECT_HEAD, project_row("BAT-N1"), row, project_row("BAT-N2")]})
    result = import_workbook(data, actor=SYSTEM)
    assert (result.total("unchanged"), result.total("updated"), result.total("created")) == (1, 1, 1)
    from duikou.core import totals

    assert totals.check(totals.for_model(Project)) == []


def test_queries_do_not_grow_with_the_rows(demo_db):
    def count(n, prefix):
        data = workbook({"项目": [PROJECT_HEAD, *rows(n, prefix)]})
        with CaptureQueriesContext(connection) as queries:
            result = import_workbook(data, actor=SYSTEM, dry_run=True)
        assert result.errors == [] and result.total("created") == n
        return len(queries)

    small, big = count(10, "QA"), count(200, "QB")
    # The same queries for 10 rows and 200 but for the inserts: one per 500 rows on PostgreSQL, on
    # SQLite as many as its 999 parameters allow (about 50 projects or 60 audit records each).
    # Row by row it was about 22 queries per row.
    limit = 2 if connection.vendor == "postgresql" else 10
    assert big - small <= limit, (small, big)
