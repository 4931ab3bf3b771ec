import pytest

from duikou.organisations.models import AdminDivision


@pytest.mark.django_db
def test_divisions_are_loaded_for_every_test():
    badong = AdminDivision.objects.get(code="422823")
    assert badong.name == "巴东县"
    assert badong.parent.code == "422800"
