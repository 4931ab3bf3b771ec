"""Filters of the organisation, pairing and programme registers (shared with their exports)."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.ui.filters import BooleanFilter, ScopedFilterSet

from .choices import DivisionLevel, OrganisationKind, PairingLevel, ProgrammeKind
from .models import AdminDivision, Organisation, OrganisationName, Pairing, Programme
from .selectors import pairing_tree_ids

__all__ = ["OrganisationFilterSet", "PairingFilter", "PairingFilterSet", "ProgrammeFilterSet", "ProvinceFilter"]

_YEAR = forms.NumberInput(attrs={"min": 1949, "max": 2100, "step": 1})


class PairingFilter(django_filters.ModelChoiceFilter):
    """A pairing and every sub-pairing under it (北京市 → 巴东县 includes 房山区 → 巴东县)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Pairing.objects.all())
        kwargs.setdefault("label", _("pairing"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": pairing_tree_ids(value)})


class ProvinceFilter(django_filters.ModelChoiceFilter):
    """Rows whose division (at ``field_name``) lies in a province: the division's code prefix, so
    北京市 matches 北京市 itself and every district of it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", AdminDivision.objects.filter(level=DivisionLevel.PROVINCE).order_by("code"))
        kwargs.setdefault("label", _("province"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__code__startswith": value.code_prefix})


class OrganisationFilterSet(ScopedFilterSet):
    pairing = PairingFilter(label=_("party to pairing"), method="filter_pairing")
    former_name = django_filters.CharFilter(label=_("name, also a former one"), method="filter_former_name")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("kind"))
    province = ProvinceFilter(field_name="division")
    top_level = BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("top level (no parent)"))
    current = BooleanFilter(label=_("current (not dissolved)"), method="filter_current")

    class Meta:
        model = Organisation
        fields = []

    def filter_pairing(self, qs, name, value):
        """The supporters and recipients of the pairing and of its sub-pairings."""
        pairings = Pairing.objects.filter(id__in=pairing_tree_ids(value))
        return qs.filter(Q(id__in=pairings.values("supporter_id")) | Q(id__in=pairings.values("recipient_id")))

    def filter_former_name(self, qs, name, value):
        """Organisations named so now or formerly (开县 finds 开州区), each once."""
        former = OrganisationName.objects.filter(name__icontains=value).values("organisation_id")
        return qs.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(id__in=former))

    def filter_current(self, qs, name, value):
        ended = Q(valid_to__lt=dt.date.today())
        return qs.exclude(ended) if value else qs.filter(ended)


class PairingFilterSet(ScopedFilterSet):
    """``year_from``/``year_to`` keep the pairings in force at some time in those years."""

    pairing = PairingFilter(field_name="id", label=_("pairing and its sub-pairings"))
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all(), label=_("programme"))
    level = django_filters.ChoiceFilter(choices=PairingLevel.choices, label=_("level"))
    top_level = BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("top level (no parent)"))
    round = django_filters.NumberFilter(field_name="round", label=_("round"))
    year_from = django_filters.NumberFilter(label=_("in force from year"), method="filter_year_from", widget=_YEAR)
    year_to = django_filters.NumberFilter(label=_("in force to year"), method="filter_year_to", widget=_YEAR)

    class Meta:
        model = Pairing
        fields = []

    def filter_year_from(self, qs, name, value):
        return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(int(value), 1, 1)))

    def filter_year_to(self, qs, name, value):
        return qs.filter(valid_from__lte=dt.date(int(value), 12, 31))


class ProgrammeFilterSet(ScopedFilterSet):
    pairing = PairingFilter(label=_("programme of pairing"), method="filter_pairing")
    kind = django_filters.ChoiceFilter(choices=ProgrammeKind.choices, label=_("kind"))

    class Meta:
        model = Programme
        fields = []

    def filter_pairing(self, qs, name, value):
        return qs.filter(id=value.programme_id)
