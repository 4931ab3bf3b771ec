"""Filters of the cadre and training registers (shared with their exports).

The dashboard's cadre card links to ``secondments?pairing=…&year_from=…&year_to=…``: the pairing
is matched through the batch (with its sub-pairings) and the years bound the *batch's* dispatch
date, exactly as ``pairing_figures`` counts ``cadres_seconded``. The training card's years bound
``start_date`` (``training_person_times``).
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from duikou.organisations.filters import PairingFilter
from duikou.ui.filters import ScopedFilterSet, YearFromFilter, YearToFilter

from .models import ExpertSupport, Field, Secondment, SecondmentBatch, TrainingSession

__all__ = ["ExpertSupportFilterSet", "SecondmentBatchFilterSet", "SecondmentFilterSet", "TrainingSessionFilterSet"]


class SecondmentBatchFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    year_from = YearFromFilter(field_name="dispatched_on", is_date=True)
    year_to = YearToFilter(field_name="dispatched_on", is_date=True)

    class Meta:
        model = SecondmentBatch
        fields = []


class SecondmentFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="batch__pairing")
    batch = django_filters.ModelChoiceFilter(queryset=SecondmentBatch.objects.order_by("pairing", "number"),
                                             label=_("batch"))
    field = django_filters.ChoiceFilter(choices=Field.choices, label=_("field"))
    kind = django_filters.ChoiceFilter(choices=Secondment.Kind.choices, label=_("kind"))
    year_from = YearFromFilter(field_name="batch__dispatched_on", is_date=True, label=_("dispatched from year"))
    year_to = YearToFilter(field_name="batch__dispatched_on", is_date=True, label=_("dispatched to year"))

    class Meta:
        model = Secondment
        fields = []


class ExpertSupportFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    field = django_filters.ChoiceFilter(choices=Field.choices, label=_("field"))
    year_from = YearFromFilter(field_name="start_date", is_date=True)
    year_to = YearToFilter(field_name="start_date", is_date=True)

    class Meta:
        model = ExpertSupport
        fields = []


class TrainingSessionFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    category = django_filters.ChoiceFilter(choices=TrainingSession.Category.choices, label=_("category"))
    year_from = YearFromFilter(field_name="start_date", is_date=True)
    year_to = YearToFilter(field_name="start_date", is_date=True)

    class Meta:
        model = TrainingSession
        fields = []
