"""Forms of the project pages: they parse input; the services validate and save."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duikou.organisations.models import AdminDivision
from duikou.plans.choices import PlanKind
from duikou.ui.forms import ServiceForm

from .choices import Decision, TransitionKey
from .models import Project, ProjectBeneficiary, ProjectOutput

__all__ = ["ProjectBeneficiaryForm", "ProjectForm", "ProjectOutputForm", "TransitionForm"]


class ProjectForm(ServiceForm):
    """A project's fields. No status: a new project starts as a draft and moves on through the
    lifecycle's steps on its page."""

    class Meta:
        model = Project
        fields = [
            "code", "name", "pairing", "key_task", "work_field", "sector", "annual_plan", "location_division",
            "location", "latitude", "longitude", "start_year", "end_year", "budget", "implementing_unit",
            "description", "farmer_linkage", "source",
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


class TransitionForm(forms.Form):
    """One step of the lifecycle on the project page: the decision, its date, document number
    and opinion (and, for a change request, what should change). It parses only;
    :func:`~duikou.projects.workflow.project_transition` decides."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(label=_("decision"), choices=Decision.choices, initial=Decision.APPROVE)
    decided_on = forms.DateField(label=_("date of decision"), widget=forms.DateInput(attrs={"type": "date"},
                                                                                     format="%Y-%m-%d"))
    doc_no = forms.CharField(label=_("document number"), max_length=100, required=False)
    opinion = forms.CharField(label=_("opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_budget = forms.DecimalField(label=_("new budget (yuan)"), required=False, max_digits=18, decimal_places=2)
    new_end_year = forms.IntegerField(label=_("new last year"), required=False)
    new_description = forms.CharField(label=_("new content and scale"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    CHANGE_FIELDS = {"new_budget": "budget", "new_end_year": "end_year", "new_description": "description"}
    # Errors of project_transition that belong beside a field of this form.
    ERROR_FIELDS = {"decision": "decision", "decided_on": "decided_on", "opinion": "opinion",
                    **{v: k for k, v in CHANGE_FIELDS.items()}}

    def __init__(self, *args, transition=None, project=None, **kwargs):
        kwargs.setdefault("prefix", transition.key if transition is not None else None)
        super().__init__(*args, **kwargs)
        self.step = transition
        if not self.is_bound:
            self.initial.setdefault("decided_on", timezone.localdate())
            if project is not None:
                self.initial["expected_status"] = project.status
        if transition is None or not transition.decides:
            del self.fields["decision"]
        if transition is None or transition.key != TransitionKey.REQUEST_CHANGE:
            for name in self.CHANGE_FIELDS:
                del self.fields[name]

    def clean_decided_on(self):
        value = self.cleaned_data["decided_on"]
        if isinstance(value, dt.date) and value > timezone.localdate():
            raise ValidationError(_("A decision cannot be dated in the future."))
        return value

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        changes = {target: data[name] for name, target in self.CHANGE_FIELDS.items()
                   if name in self.fields and data.get(name) not in (None, "")}
        return {
            "transition": self.step.key,
            "decision": data.get("decision") or Decision.APPROVE,
            "on": data["decided_on"],
            "doc_no": data.get("doc_no", ""),
            "opinion": data.get("opinion", ""),
            "changes": changes or None,
            "expected_status": data.get("expected_status") or None,
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Put the service's errors beside the fields they name (the rest above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            field = self.ERROR_FIELDS.get(name)
            for e in errors:
                for message in ValidationError(e).messages:
                    self.add_error(field if field in self.fields else None, message)
