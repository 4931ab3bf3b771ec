"""Forms of the plan pages: they parse input; the services validate and save."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from duikou.accounts.scopes import descendant_ids
from duikou.organisations.choices import OrganisationKind
from duikou.ui.forms import ServiceForm

from .choices import PlanKind
from .models import Document, MemberUnitDuty, Plan, PlanEnvelope, Target

__all__ = [
    "DocumentForm", "MemberUnitDutyForm", "PlanEnvelopeForm", "PlanForm", "TargetForm", "initial_from_query",
]

# Organisations that do not issue plans.
NON_ISSUERS = (OrganisationKind.ENTERPRISE, OrganisationKind.SCHOOL, OrganisationKind.HOSPITAL)


def initial_from_query(request, form_class, derived=None) -> dict:
    """Initial data of a create form from the query string (for ``Register.initial``).

    Every parameter that names a field of the form is copied; then, for each ``name: (model,
    {field: attribute})`` of ``derived`` whose parameter is given, the fields are preset from that
    row (read through ``restrict()``) unless the query string sets them: ``?project=7`` presets
    the project's pairing.
    """
    fields = form_class.base_fields
    initial = {k: v for k, v in request.GET.items() if k in fields}
    for name, (model, copies) in (derived or {}).items():
        value = initial.get(name)
        if not value:
            continue
        try:
            row = model.objects.restrict(request.user, "view").filter(pk=value).values(*copies.values()).first()
        except (ValueError, TypeError, ValidationError):
            row = None
        for target, attribute in copies.items():
            if row and target in fields and row[attribute] is not None:
                initial.setdefault(target, row[attribute])
    return initial


class PlanForm(ServiceForm):
    class Meta:
        model = Plan
        fields = [
            "kind", "title", "programme", "pairing", "parent", "start_year", "end_year", "issued_on", "doc_no",
            "issuers", "key_tasks", "overall_requirements", "main_goals", "safeguards", "source",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A pairing's plan sits under the national plan, which belongs to no pairing and so lies
        # outside the scope of a pairing's users: national plans (public texts) are offered too.
        parent = self.fields["parent"]
        parent.queryset = (parent.queryset | Plan.objects.filter(kind=PlanKind.NATIONAL)).order_by("start_year", "title")
        if self.instance.pk:
            parent.queryset = parent.queryset.exclude(pk=self.instance.pk)
        self.fields["issuers"].queryset = self.fields["issuers"].queryset.exclude(kind__in=NON_ISSUERS)


class PlanEnvelopeForm(ServiceForm):
    write_scoped_fields = ("plan",)

    class Meta:
        model = PlanEnvelope
        fields = ["plan", "stream", "amount", "basis", "source"]


class TargetForm(ServiceForm):
    write_scoped_fields = ("plan",)

    class Meta:
        model = Target
        fields = ["plan", "indicator", "key_task", "year", "direction", "value", "note", "source"]


class DocumentForm(ServiceForm):
    url = forms.URLField(label=Document._meta.get_field("url").verbose_name, required=False, assume_scheme="https",
                         max_length=Document._meta.get_field("url").max_length)

    class Meta:
        model = Document
        fields = ["kind", "title", "pairing", "plan", "doc_no", "issued_on", "is_public", "url", "summary", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plans = self.fields["plan"].queryset
        self.fields["plan"].queryset = plans.filter(
            Q(pairing__in=self.fields["pairing"].queryset) | Q(kind=PlanKind.NATIONAL)
        ).order_by("start_year", "title")


class MemberUnitDutyForm(ServiceForm):
    class Meta:
        model = MemberUnitDuty
        fields = ["pairing", "member_unit", "key_task", "field", "duty", "document", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A member unit works for one side of the pairing: offer the organisations under the sides
        # of the pairings offered, and the documents of those pairings.
        pairings = self.fields["pairing"].queryset
        sides = set()
        for supporter_id, recipient_id in pairings.values_list("supporter_id", "recipient_id"):
            sides |= {supporter_id, recipient_id}
        self.fields["member_unit"].queryset = self.fields["member_unit"].queryset.filter(
            pk__in=descendant_ids(sides)
        ).order_by("name")
        self.fields["document"].queryset = self.fields["document"].queryset.filter(pairing__in=pairings)
