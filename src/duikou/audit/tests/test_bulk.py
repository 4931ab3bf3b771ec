"""object_bulk_create: the rules of object_create for every row, one audit record per record in the
hash chain, all or nothing unless partial."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duikou.audit.models import ObjectChange, ObjectChangeScope
from duikou.audit.selectors import audit_chain_verify
from duikou.audit.services import BulkCreateError, object_bulk_create
from duikou.core.errors import PermissionDenied
from duikou.core.permissions import SYSTEM
from duikou.projects.choices import ProjectStatus
from duikou.projects.models import Project
from duikou.projects.services import project_bulk_create
from duikou.testing.factories import KeyTaskFactory, PairingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    pairing = PairingFactory(valid_from=dt.date(2021, 1, 1))
    key_task = KeyTaskFactory(code="industry")

    def make(n, start=0, **changes):
        return [{"code": f"B-{i:04d}", "name": f"项目{i}", "pairing": pairing, "key_task": key_task,
                 "location_division": pairing.recipient_division, "start_year": 2024, "end_year": 2025,
                 "budget": Decimal("100.50"), **changes} for i in range(start, start + n)]

    return make


def test_creates_every_row_with_its_own_audit_record_in_the_chain(rows):
    before = ObjectChange.objects.count()
    result = object_bulk_create(Project, actor=SYSTEM, rows=rows(5), message="bulk")
    assert result.errors == {} and len(result.created) == 5
    projects = list(Project.objects.filter(code__startswith="B-").order_by("code"))
    assert [p.code for p in projects] == [f"B-{i:04d}" for i in range(5)]
    changes = list(ObjectChange.objects.filter(pk__gt=0).order_by("pk"))[before:]
    assert [(c.action, c.object_id, c.message) for c in changes] == [("create", str(p.pk), "bulk") for p in projects]
    assert changes[0].after["budget"] == "100.50" and changes[0].after["code"] == "B-0000"
    pairing = projects[0].pairing
    assert set(ObjectChangeScope.objects.filter(change=changes[0]).values_list("organisation_id", flat=True)) == {
        pairing.supporter_id, pairing.recipient_id}
    assert audit_chain_verify(actor=SYSTEM).ok


def test_one_bad_row_and_nothing_is_written_unless_partial(rows):
    data = rows(3)
    data[1]["budget"] = Decimal("-1")
    data[2]["code"] = data[0]["code"]  # the same code as an earlier row of the batch
    changes = ObjectChange.objects.count()
    with pytest.raises(BulkCreateError) as info:
        object_bulk_create(Project, actor=SYSTEM, rows=data)
    assert set(info.value.errors) == {1, 2}
    assert list(info.value.errors[1].message_dict) == ["budget"] and list(info.value.errors[2].message_dict) == ["code"]
    assert not Project.objects.filter(code__startswith="B-").exists() and ObjectChange.objects.count() == changes
    result = object_bulk_create(Project, actor=SYSTEM, rows=data, partial=True)
    assert set(result.errors) == {1, 2} and [p.code for p in result.created] == ["B-0000"]
    assert list(Project.objects.filter(code__startswith="B-").values_list("code", flat=True)) == ["B-0000"]
    assert ObjectChange.objects.count() == changes + 1


def test_rights_are_checked_per_row(rows):
    outsider = UserFactory()
    result = object_bulk_create(Project, actor=outsider, rows=rows(2), partial=True)
    assert result.created == [] and all(isinstance(e, PermissionDenied) for e in result.errors.values())
    assert not Project.objects.filter(code__startswith="B-").exists()


def test_the_create_service_rules_apply_to_its_bulk_service(rows):
    user = UserFactory(is_superuser=True)
    result = project_bulk_create(actor=user, rows=rows(2, status=ProjectStatus.IN_LIBRARY), partial=True)
    assert set(result.errors) == {0, 1} and all(isinstance(e, ValidationError) for e in result.errors.values())
    assert list(result.errors[0].message_dict) == ["status"]
    result = project_bulk_create(actor=SYSTEM, rows=rows(1, status=ProjectStatus.IN_LIBRARY))
    assert result.created[0].status == ProjectStatus.IN_LIBRARY  # loaders (the system actor) may


def test_queries_do_not_grow_with_the_rows(rows):
    def count(n, start):
        with CaptureQueriesContext(connection) as queries:
            assert object_bulk_create(Project, actor=SYSTEM, rows=rows(n, start)).errors == {}
        return len(queries)

    small, big = count(3, 0), count(400, 100)
    # The same queries whatever the rows, but for the inserts: 500 rows per INSERT on PostgreSQL,
    # on SQLite as many as its 999 parameters allow (about 50 projects, 60 audit records).
    limit = 3 if connection.vendor == "postgresql" else 20
    assert big - small <= limit, (small, big)
