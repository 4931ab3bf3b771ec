"""Filters of the disclosure registers (shared with their exports)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.organisations.filters import PairingFilter
from duikou.ui.filters import ScopedFilterSet, YearFromFilter, YearToFilter

from .choices import DisclosureKind, DisclosureLevel, DisclosureStatus, ObjectionDecision
from .models import Disclosure, Objection

__all__ = ["DisclosureFilterSet", "ObjectionFilterSet"]


class DisclosureFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    kind = django_filters.ChoiceFilter(choices=DisclosureKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=DisclosureStatus.choices, label=_("status"))
    level = django_filters.ChoiceFilter(choices=DisclosureLevel.choices, label=_("level"))
    project = django_filters.CharFilter(label=_("project (code)"), method="filter_project")
    year_from = YearFromFilter(field_name="year")
    year_to = YearToFilter(field_name="year")

    class Meta:
        model = Disclosure
        fields = []

    def filter_project(self, qs, name, value):
        """A project's id (a link from its page) or part of its code, as typed."""
        value = value.strip()
        if value.isdigit():
            return qs.filter(project_id=int(value))
        return qs.filter(Q(project__code__icontains=value)) if value else qs


class ObjectionFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="disclosure__pairing")
    decision = django_filters.ChoiceFilter(choices=ObjectionDecision.choices, label=_("decision"))
    year_from = YearFromFilter(field_name="received_on", is_date=True)
    year_to = YearToFilter(field_name="received_on", is_date=True)

    class Meta:
        model = Objection
        fields = []
