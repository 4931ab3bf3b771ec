"""The pieces registers share: the pairing column and its joins, the record columns, summary figures."""

from decimal import Decimal

import pytest
from django.utils import translation

from duikou.projects.models import Project
from duikou.testing.factories import PairingFactory, ProjectFactory
from duikou.ui.registers import RECORD_COLUMNS, distinct_count, pairing_column, pairing_joins, sum_of


@pytest.mark.parametrize("path", ["batch.pairing", "batch__pairing"])
def test_pairing_column_takes_a_dotted_path_or_a_lookup(path):
    col = pairing_column(path, export_only=True)
    assert (col.name, col.order, col.export_only) == ("batch.pairing.short_label", "batch__pairing__supporter__name", True)
    with translation.override("en"):
        assert str(col.label) == "pairing"


def test_pairing_column_and_joins_of_the_row_itself():
    col = pairing_column()
    assert (col.name, col.order, col.link, col.money) == ("pairing.short_label", "pairing__supporter__name", False, None)
    assert pairing_joins() == ["pairing__supporter", "pairing__recipient"]
    assert pairing_joins("plan.pairing") == pairing_joins("plan__pairing") == ["plan__pairing__supporter",
                                                                                "plan__pairing__recipient"]


def test_record_columns_are_export_only():
    assert [(c.name, c.export_only) for c in RECORD_COLUMNS] == [("is_illustrative", True), ("source", True)]


@pytest.mark.django_db
def test_sum_of_and_distinct_count_over_a_queryset():
    pairing = PairingFactory()
    ProjectFactory.create_batch(2, pairing=pairing, budget=Decimal("1.50"))
    ProjectFactory(budget=Decimal("2.00"))
    rows = Project.objects.select_related(*pairing_joins()).order_by(pairing_column().order)
    assert sum_of("budget")(rows) == Decimal("5.00")
    assert distinct_count("pairing")(rows) == 2
    assert sum_of("budget")(rows.none()) == 0
    assert distinct_count("pairing")(rows.none()) == 0
