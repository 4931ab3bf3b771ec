"""Filters of the project registers (shared with exports and, later, the API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from duikou.organisations.filters import PairingFilter
from duikou.plans.models import KeyTask
from duikou.ui.filters import ScopedFilterSet, YearFromFilter, YearToFilter

from .choices import COUNTED_STATUSES, Decision, ProjectStatus, Sector, TransitionKey, WorkField
from .models import ApprovalRecord, Project, ProjectBeneficiary, ProjectOutput

__all__ = ["STATUS_GROUPS", "ApprovalRecordFilterSet", "ProjectFilterSet", "ProjectPartFilterSet"]

# "counted": the projects the headline figures count (in an annual plan, not cancelled).
STATUS_GROUPS = {
    "counted": COUNTED_STATUSES,
    "pipeline": (ProjectStatus.DRAFT, ProjectStatus.PROPOSED, ProjectStatus.TOWNSHIP_REVIEWED, ProjectStatus.IN_LIBRARY),
    "finished": (ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED, ProjectStatus.HANDED_OVER, ProjectStatus.EVALUATED,
                 ProjectStatus.AUDITED, ProjectStatus.CLOSED),
}


class ProjectFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    key_task = django_filters.ModelChoiceFilter(queryset=KeyTask.objects.order_by("order"), field_name="key_task",
                                                to_field_name="code", label=_("key task"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("status"))
    status_group = django_filters.ChoiceFilter(
        label=_("stage"), method="filter_status_group",
        choices=[("counted", _("carried out (counted in the figures)")), ("pipeline", _("project library")),
                 ("finished", _("completed"))],
    )
    work_field = django_filters.ChoiceFilter(choices=WorkField.choices, label=_("field of work"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("sector"))
    year_from = YearFromFilter(field_name="start_year")
    year_to = YearToFilter(field_name="start_year")

    class Meta:
        model = Project
        fields = []

    def filter_status_group(self, qs, name, value):
        return qs.filter(status__in=STATUS_GROUPS[value]) if value in STATUS_GROUPS else qs


class ProjectPartFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="project__pairing")

    class Meta:
        model = ProjectOutput
        fields = []


class ProjectBeneficiaryFilterSet(ProjectPartFilterSet):
    class Meta:
        model = ProjectBeneficiary
        fields = []


class ApprovalRecordFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="project__pairing")
    transition = django_filters.ChoiceFilter(choices=TransitionKey.choices, label=_("step"))
    decision = django_filters.ChoiceFilter(choices=Decision.choices, label=_("decision"))
    to_status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("status after"))
    year_from = YearFromFilter(field_name="decided_on", is_date=True)
    year_to = YearToFilter(field_name="decided_on", is_date=True)

    class Meta:
        model = ApprovalRecord
        fields = []
