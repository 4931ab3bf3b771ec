"""Forms of the project pages: they parse input; the services validate and save."""

from django.utils.translation import gettext_lazy as _

from duikou.organisations.models import AdminDivision
from duikou.plans.choices import PlanKind
from duikou.ui.forms import ServiceForm

from .models import Project, ProjectBeneficiary, ProjectOutput

__all__ = ["ProjectBeneficiaryForm", "ProjectForm", "ProjectOutputForm"]


class ProjectForm(ServiceForm):
    class Meta:
        model = Project
        fields = [
            "code", "name", "pairing", "key_task", "work_field", "sector", "annual_plan", "location_division",
            "location", "latitude", "longitude", "start_year", "end_year", "budget", "status", "implementing_unit",
            "description", "source",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A project lies in its pairing's recipient county: offer those of the pairings offered.
        pairings = self.fields["pairing"].queryset
        self.fields["location_division"].queryset = AdminDivision.objects.filter(
            id__in=pairings.values("recipient_division_id")
        ).order_by("code")
        self.fields["location_division"].required = False
        self.fields["location_division"].help_text = _("Empty: the pairing's recipient county.")
        self.fields["annual_plan"].queryset = self.fields["annual_plan"].queryset.filter(kind=PlanKind.ANNUAL)


    def clean(self):
        data = super().clean()
        if not data.get("location_division") and data.get("pairing"):
            data["location_division"] = data["pairing"].recipient_division
        return data


class ProjectOutputForm(ServiceForm):
    write_scoped_fields = ("project",)

    class Meta:
        model = ProjectOutput
        fields = ["project", "name", "quantity", "unit", "source"]


class ProjectBeneficiaryForm(ServiceForm):
    write_scoped_fields = ("project",)

    class Meta:
        model = ProjectBeneficiary
        fields = ["project", "group", "count", "qualifier", "source"]
