"""Filters of the investment registers (shared with their exports).

The dashboard's investment card links to
``enterprise-introductions?pairing=…&status_group=counted&year_from=…&year_to=…``: the years bound
``introduced_on`` and ``counted`` means agreed or landed, exactly as ``pairing_figures`` counts
``enterprises_introduced``.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from duikou.organisations.filters import PairingFilter
from duikou.ui.filters import ScopedFilterSet, YearFromFilter, YearToFilter

from .models import CooperationAgreement, EnterpriseIntroduction

__all__ = ["STATUS_GROUPS", "CooperationAgreementFilterSet", "EnterpriseIntroductionFilterSet"]

Status = EnterpriseIntroduction.Status

# "counted": the introductions the headline figure counts (agreement signed or landed).
STATUS_GROUPS = {
    "counted": (Status.AGREED, Status.LANDED),
    "open": (Status.LEAD, Status.VISITED),
}


class EnterpriseIntroductionFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("status"))
    status_group = django_filters.ChoiceFilter(
        label=_("stage"), method="filter_status_group",
        choices=[("counted", _("agreed or landed (counted in the figures)")), ("open", _("lead or visited"))],
    )
    year_from = YearFromFilter(field_name="introduced_on", is_date=True)
    year_to = YearToFilter(field_name="introduced_on", is_date=True)

    class Meta:
        model = EnterpriseIntroduction
        fields = []

    def filter_status_group(self, qs, name, value):
        return qs.filter(status__in=STATUS_GROUPS[value]) if value in STATUS_GROUPS else qs


class CooperationAgreementFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    kind = django_filters.ChoiceFilter(choices=CooperationAgreement.Kind.choices, label=_("kind"))
    year_from = YearFromFilter(field_name="signed_year")
    year_to = YearToFilter(field_name="signed_year")

    class Meta:
        model = CooperationAgreement
        fields = []
