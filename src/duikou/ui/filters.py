"""Filter sets shared by the registers (django-filter), scoped to what the user may see.

Every model-choice filter lists only rows the user may view (``restrict``). The pairing filter
(a pairing and its sub-pairings) is ``duikou.organisations.filters.PairingFilter``. ``YearFromFilter`` / ``YearToFilter`` bound a year or a
date field by budget year.
"""

import datetime as dt

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .widgets import FastSelect, FastSelectMultiple

__all__ = ["BooleanFilter", "ScopedFilterSet", "YearFromFilter", "YearToFilter"]


class _YearBound(django_filters.NumberFilter):
    lookup = "gte"
    # A whole year in range: anything else makes the filter set invalid (a 400 in the API), not a 500.
    field_class = forms.IntegerField

    def __init__(self, *args, is_date: bool = False, **kwargs):
        self.is_date = is_date
        kwargs.setdefault("min_value", 1949)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"min": 1949, "max": 2100, "step": 1}))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        year = int(value)
        if self.is_date:
            bound = dt.date(year, 1, 1) if self.lookup == "gte" else dt.date(year, 12, 31)
            return qs.filter(**{f"{self.field_name}__{self.lookup}": bound})
        return qs.filter(**{f"{self.field_name}__{self.lookup}": year})


class YearFromFilter(_YearBound):
    lookup = "gte"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("from year"))
        super().__init__(*args, **kwargs)


class YearToFilter(_YearBound):
    lookup = "lte"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("to year"))
        super().__init__(*args, **kwargs)


class BooleanFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=[("", "---------"), ("true", _("yes")), ("false", _("no"))]))
        super().__init__(*args, **kwargs)


class ScopedFilterSet(django_filters.FilterSet):
    """Restricts every model-choice filter's choices to the rows the user may view, and offers
    ``is_illustrative`` (示例, generated demo records) last for models that have the field."""

    is_illustrative = BooleanFilter(field_name="is_illustrative", label=_("illustrative"))

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        flag = self.filters.pop("is_illustrative")
        if any(f.name == "is_illustrative" for f in self._meta.model._meta.get_fields()):
            self.filters["is_illustrative"] = flag  # last in the filter bar
        user = getattr(request, "user", None)
        for f in self.filters.values():
            if isinstance(f, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
                qs = f.queryset
                if qs is not None and hasattr(qs, "restrict"):
                    f.queryset = qs.restrict(user, "view").select_related(*getattr(qs.model, "label_related", ()))
                    if getattr(qs.model, "label_only", None):  # the fields str() reads, no more
                        f.queryset = f.queryset.only(*qs.model.label_only)
                # a national list of pairings or organisations: options rendered in Python
                multiple = isinstance(f, django_filters.ModelMultipleChoiceFilter)
                f.extra.setdefault("widget", FastSelectMultiple if multiple else FastSelect)
