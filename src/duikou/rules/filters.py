"""Filters of the rules register (shared with its export)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.organisations.models import Organisation, Programme
from duikou.ui.filters import BooleanFilter, ScopedFilterSet

from .defaults import DEFAULT_RULES
from .models import Rule

__all__ = ["RuleFilterSet"]


class RuleFilterSet(ScopedFilterSet):
    key = django_filters.ChoiceFilter(choices=[(k, k) for k in sorted(DEFAULT_RULES)], label=_("rule"))
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.order_by("name"), label=_("programme"))
    supporter = django_filters.ModelChoiceFilter(queryset=Organisation.objects.order_by("name"), label=_("supporter"))
    recipient = django_filters.ModelChoiceFilter(queryset=Organisation.objects.order_by("name"), label=_("recipient"))
    year = django_filters.NumberFilter(label=_("valid in year"), method="filter_year")
    is_blocking = BooleanFilter(field_name="is_blocking", label=_("blocking"))

    class Meta:
        model = Rule
        fields = []

    def filter_year(self, qs, name, value):
        if value in (None, ""):
            return qs
        year = int(value)
        return qs.filter(valid_from_year__lte=year).filter(Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year))
