"""Filters of the fund registers (shared with their exports).

The parameter names are a contract: the dashboard's free-aid card links to
``fund-transactions?pairing=<id>&kind=allocation&stream=grant&year_from=Y1&year_to=Y2`` and the
register then shows exactly the allocations behind the figure. The years are budget years.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.core.choices import FundLevel, FundStream
from duikou.organisations.filters import PairingFilter
from duikou.ui.filters import ScopedFilterSet, YearFromFilter, YearToFilter

from .models import FundAllocation, FundTransaction

__all__ = ["FundAllocationFilterSet", "FundTransactionFilterSet"]


class FundAllocationFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    stream = django_filters.ChoiceFilter(choices=FundStream.choices, label=_("fund stream"))
    level = django_filters.ChoiceFilter(choices=FundLevel.choices, label=_("level"))
    year_from = YearFromFilter(field_name="year")
    year_to = YearToFilter(field_name="year")
    project = django_filters.CharFilter(label=_("project (code)"), method="filter_project")

    class Meta:
        model = FundAllocation
        fields = []

    def filter_project(self, qs, name, value):
        """A project's id (a link from its page) or part of its code, as typed."""
        value = value.strip()
        if value.isdigit():
            return qs.filter(project_id=int(value))
        return qs.filter(Q(project__code__icontains=value)) if value else qs


class FundTransactionFilterSet(FundAllocationFilterSet):
    kind = django_filters.ChoiceFilter(choices=FundTransaction.Kind.choices, label=_("kind"))

    class Meta:
        model = FundTransaction
        fields = []
