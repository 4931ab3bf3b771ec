import pytest
from django.http import Http404

from duikou.core.selectors import crud_selectors, restricted_get, restricted_list
from duikou.plans.models import Indicator
from duikou.projects.models import Project
from duikou.testing.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_restricted_list_filters_inside_the_scope(pairings):
    mine = ProjectFactory(pairing=pairings.pairings["beijing_badong"], start_year=2023)
    ProjectFactory(pairing=pairings.pairings["beijing_badong"], start_year=2024)
    ProjectFactory(pairing=pairings.pairings["shanghai_yiling"], start_year=2023)
    assert list(restricted_list(Project, actor=pairings.user("supporter"), start_year=2023)) == [mine]


def test_restricted_list_for_another_action(pairings):
    ProjectFactory(pairing=pairings.pairings["beijing_badong"])
    assert restricted_list(Project, actor=pairings.user("recipient")).exists()
    assert not restricted_list(Project, actor=pairings.user("recipient"), action="delete").exists()


@pytest.mark.parametrize("pk", [10**9, "abc", None, [1]])
def test_restricted_get_is_404_for_anything_not_visible(pairings, pk):
    with pytest.raises(Http404):
        restricted_get(Project, actor=pairings.user("admin"), pk=pk)


def test_restricted_get_hides_rows_out_of_scope(pairings):
    theirs = ProjectFactory(pairing=pairings.pairings["shanghai_yiling"])
    with pytest.raises(Http404):
        restricted_get(Project, actor=pairings.user("supporter"), pk=theirs.pk)
    assert restricted_get(Project, actor=pairings.user("foreign"), pk=theirs.pk) == theirs


def test_crud_selectors_are_named_after_the_model():
    list_, get = crud_selectors(Indicator)
    assert (list_.__name__, get.__name__) == ("indicator_list", "indicator_get")
