"""Filters of the performance-indicator register (shared with its exports)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.organisations.filters import PairingFilter
from duikou.ui.filters import BooleanFilter, ScopedFilterSet, YearFromFilter, YearToFilter

from .choices import Level1, Level2, Operator
from .models import PerformanceIndicator

__all__ = ["PerformanceIndicatorFilterSet"]


class PerformanceIndicatorFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="project__pairing")
    project = django_filters.NumberFilter(field_name="project_id", label=_("project (id)"))
    level1 = django_filters.ChoiceFilter(choices=Level1.choices, label=_("level-1 indicator"))
    level2 = django_filters.ChoiceFilter(choices=Level2.choices, label=_("level-2 indicator"))
    operator = django_filters.ChoiceFilter(choices=Operator.choices, label=_("operator"))
    has_actual = BooleanFilter(label=_("actual recorded"), method="filter_has_actual")
    year_from = YearFromFilter(field_name="project__end_year")
    year_to = YearToFilter(field_name="project__start_year")

    class Meta:
        model = PerformanceIndicator
        fields = []

    def filter_has_actual(self, qs, name, value):
        if value is None:
            return qs
        recorded = Q(actual_value__isnull=False) | ~Q(actual_rating="")
        return qs.filter(recorded) if value else qs.exclude(recorded)
