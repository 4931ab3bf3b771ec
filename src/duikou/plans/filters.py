"""Filters of the plan registers (shared with their exports).

A plan covers years ``start_year..end_year``: the year bounds keep the plans whose years overlap
the period (``year_from`` ≤ last year, ``year_to`` ≥ first year). A target with no year stands for
its whole plan and is bounded by its plan's years.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.core.choices import FundStream
from duikou.organisations.choices import OrganisationKind
from duikou.organisations.filters import PairingFilter
from duikou.organisations.models import Organisation, Programme
from duikou.ui.filters import BooleanFilter, ScopedFilterSet, YearFromFilter, YearToFilter

from .choices import DocumentKind, PlanKind
from .models import Document, Indicator, KeyTask, MemberUnitDuty, Plan, PlanEnvelope, Target

__all__ = [
    "DocumentFilterSet", "MemberUnitDutyFilterSet", "PlanEnvelopeFilterSet", "PlanFilterSet", "TargetFilterSet",
]


def _plan_filter():
    return django_filters.ModelChoiceFilter(queryset=Plan.objects.order_by("start_year", "title"), label=_("plan"))


def _key_task_filter():
    return django_filters.ModelChoiceFilter(queryset=KeyTask.objects.order_by("order"), to_field_name="code",
                                            label=_("key task"))


class PlanFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices, label=_("kind"))
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.order_by("name"), label=_("programme"))
    year_from = YearFromFilter(field_name="end_year")
    year_to = YearToFilter(field_name="start_year")

    class Meta:
        model = Plan
        fields = []


class PlanEnvelopeFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="plan__pairing")
    plan = _plan_filter()
    stream = django_filters.ChoiceFilter(choices=FundStream.choices, label=_("fund stream"))
    year_from = YearFromFilter(field_name="plan__end_year")
    year_to = YearToFilter(field_name="plan__start_year")

    class Meta:
        model = PlanEnvelope
        fields = []


class TargetFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="plan__pairing")
    plan = _plan_filter()
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.order_by("key"), label=_("indicator"))
    key_task = _key_task_filter()
    year_from = django_filters.NumberFilter(label=_("from year"), method="filter_year_from")
    year_to = django_filters.NumberFilter(label=_("to year"), method="filter_year_to")

    class Meta:
        model = Target
        fields = []

    def filter_year_from(self, qs, name, value):
        return qs.filter(Q(year__gte=value) | Q(year__isnull=True, plan__end_year__gte=value))

    def filter_year_to(self, qs, name, value):
        return qs.filter(Q(year__lte=value) | Q(year__isnull=True, plan__start_year__lte=value))


class DocumentFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=_("kind"))
    plan = _plan_filter()
    year_from = YearFromFilter(field_name="issued_on", is_date=True)
    year_to = YearToFilter(field_name="issued_on", is_date=True)
    is_public = BooleanFilter(field_name="is_public", label=_("public text"))

    class Meta:
        model = Document
        fields = []


class MemberUnitDutyFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    member_unit = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(kind=OrganisationKind.MEMBER_UNIT).order_by("name"),
        label=_("member unit"),
    )
    key_task = _key_task_filter()

    class Meta:
        model = MemberUnitDuty
        fields = []
