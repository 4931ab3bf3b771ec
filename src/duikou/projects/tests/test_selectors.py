import pytest
from django.http import Http404

from duikou.projects.selectors import project_get, project_list, project_output_list
from duikou.testing.factories import ProjectFactory, ProjectOutputFactory

pytestmark = pytest.mark.django_db


def test_project_list_is_newest_first_and_filterable(pairings):
    city = pairings.pairings["beijing_badong"]
    old, new = ProjectFactory(pairing=city, start_year=2021), ProjectFactory(pairing=city, start_year=2024)
    user = pairings.user("supporter")
    assert list(project_list(actor=user, pairing=city)) == [new, old]
    assert list(project_list(actor=user, start_year=2021)) == [old]


def test_district_sees_its_own_projects_only(pairings):
    city_project = ProjectFactory(pairing=pairings.pairings["beijing_badong"])
    sub_project = ProjectFactory(pairing=pairings.pairings["fangshan_badong"])
    user = pairings.user("district")
    assert list(project_list(actor=user)) == [sub_project]
    with pytest.raises(Http404):
        project_get(actor=user, pk=city_project.pk)


def test_outputs_follow_their_project(pairings):
    output = ProjectOutputFactory(project__pairing=pairings.pairings["fangshan_badong"])
    assert list(project_output_list(actor=pairings.user("district"))) == [output]
    assert not project_output_list(actor=pairings.user("foreign")).exists()
