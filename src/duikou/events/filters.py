"""Filters of the events register (shared with its export)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from duikou.organisations.filters import PairingFilter
from duikou.organisations.models import Programme
from duikou.ui.filters import BooleanFilter, ScopedFilterSet, YearFromFilter, YearToFilter

from .models import Event

__all__ = ["EventFilterSet"]


class EventFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all(), label=_("programme"))
    programme_wide = BooleanFilter(field_name="pairing", lookup_expr="isnull", label=_("programme-wide"))
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices, label=_("kind"))
    year_from = YearFromFilter(field_name="date", is_date=True)
    year_to = YearToFilter(field_name="date", is_date=True)

    class Meta:
        model = Event
        fields = []
