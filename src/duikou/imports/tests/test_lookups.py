"""Cell text → record: projects (300,000 at national scale) are looked up by their codes without
reading every project; the records a batch names are read with one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duikou.core.permissions import SYSTEM
from duikou.imports.lookups import Lookup
from duikou.projects.models import Project
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():
    pairing = f.PairingFactory()
    return [f.ProjectFactory(pairing=pairing, code=f"LK-{i:03d}") for i in range(30)]


def test_codes_resolve_without_reading_the_projects(projects):
    lookup = Lookup(Project.objects.restrict(SYSTEM, "view"))
    with CaptureQueriesContext(connection) as captured:
        assert lookup.resolve("lk-007") == (projects[7].pk, "")  # case and spaces as a person types them
        assert lookup.resolve(" LK-012 ") == (projects[12].pk, "")
        assert lookup.resolve(str(projects[3].pk)) == (projects[3].pk, "")  # the id when no code matches
        assert lookup.resolve("LK-999") == (None, "unknown")
    assert len(captured) == 1 and "code" in captured[0]["sql"]
    assert lookup.objects == {}  # no project read whole
    with CaptureQueriesContext(connection) as captured:
        lookup.load([projects[7].pk, projects[12].pk, None, ""])
        lookup.load([projects[7].pk])  # read already
    assert len(captured) == 1 and set(lookup.objects) == {projects[7].pk, projects[12].pk}


def test_a_code_the_user_may_not_see_is_unknown(projects, world):
    lookup = Lookup(Project.objects.restrict(world.user("foreign"), "view"))
    assert lookup.resolve("LK-001") == (None, "unknown")
    assert lookup.resolve(str(projects[1].pk)) == (None, "unknown")


def test_a_project_field_takes_the_records_read_for_the_batch(projects):
    from django import forms

    lookup = Lookup(Project.objects.all())
    field = forms.ModelChoiceField(queryset=Project.objects.all())
    to_python = lookup.cached_to_python(field)
    pk, _problem = lookup.resolve("LK-004")
    lookup.load([pk])
    with CaptureQueriesContext(connection) as captured:
        assert to_python(pk) == projects[4]
    assert len(captured) == 0
