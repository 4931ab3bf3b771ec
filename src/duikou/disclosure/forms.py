"""Forms of the disclosure pages: they parse input; the services validate and save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duikou.plans.choices import PlanKind
from duikou.plans.forms import initial_from_query
from duikou.plans.models import Plan
from duikou.projects.choices import ProjectStatus
from duikou.projects.models import Project
from duikou.ui.forms import ServiceForm

from .choices import DisclosureChannel, DisclosureKind, DisclosureLevel, DisclosureStatus
from .models import Disclosure, Objection

__all__ = ["DisclosureForm", "ObjectionForm", "WithdrawForm", "disclosure_initial", "kind_for_status"]

_S = ProjectStatus
_NEXT_KIND = {
    **dict.fromkeys((_S.DRAFT, _S.PROPOSED, _S.TOWNSHIP_REVIEWED), DisclosureKind.LIBRARY),
    _S.IN_LIBRARY: DisclosureKind.ANNUAL_PLAN,
    **dict.fromkeys((_S.PLANNED, _S.AGREED, _S.PREPARING), DisclosureKind.PRE_IMPLEMENTATION),
    **dict.fromkeys((_S.IN_PROGRESS, _S.COMPLETED, _S.ACCEPTED, _S.HANDED_OVER, _S.EVALUATED, _S.AUDITED, _S.CLOSED),
                    DisclosureKind.COMPLETION),
}


def kind_for_status(status: str) -> str:
    """The notice a project in ``status`` is likely to need next."""
    return _NEXT_KIND.get(status, DisclosureKind.LIBRARY)


class DisclosureForm(ServiceForm):
    write_scoped_fields = ("pairing", "project", "plan")

    channels = forms.MultipleChoiceField(
        label=_("channels"), choices=DisclosureChannel.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Where the notice is posted."),
    )

    class Meta:
        model = Disclosure
        fields = [
            "kind", "pairing", "project", "plan", "year", "title", "level", "channels", "start_date", "end_date",
            "supervision_phone", "issuer", "note", "source",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = self.fields["plan"].queryset.filter(kind=PlanKind.ANNUAL)
        self.fields["project"].queryset = self.fields["project"].queryset.order_by("-start_year", "code")


class ObjectionForm(ServiceForm):
    write_scoped_fields = ("disclosure",)

    class Meta:
        model = Objection
        fields = ["disclosure", "received_on", "summary", "decision", "decided_on", "resolution", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["disclosure"]
        field.queryset = field.queryset.exclude(status=DisclosureStatus.DRAFT).order_by("-start_date", "-id")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 2}))


def disclosure_initial(request) -> dict:
    """The create form from a project's page (``?project=<id>``: its pairing, the notice it needs
    next and, for the annual plan announcement, its plan) or a plan's (``?plan=<id>``)."""
    initial = initial_from_query(request, DisclosureForm, derived={
        "project": (Project, {"pairing": "pairing_id"}),
        "plan": (Plan, {"pairing": "pairing_id", "year": "start_year"}),
    })
    project = None
    if initial.get("project"):
        project = Project.objects.restrict(request.user, "view").filter(pk=initial["project"]).first() \
            if str(initial["project"]).isdigit() else None
    if project is not None and "kind" not in initial:
        initial["kind"] = kind_for_status(project.status)
        if initial["kind"] == DisclosureKind.ANNUAL_PLAN:
            del initial["project"]
            if project.annual_plan_id:
                initial.setdefault("plan", project.annual_plan_id)
            initial.setdefault("year", project.annual_plan.start_year if project.annual_plan_id else project.start_year)
    if initial.get("plan") and "kind" not in initial:
        initial["kind"] = DisclosureKind.ANNUAL_PLAN
    initial.setdefault("level", DisclosureLevel.COUNTY)
    initial.setdefault("channels", [DisclosureChannel.COUNTY_WEBSITE, DisclosureChannel.TOWNSHIP_BOARD])
    initial.setdefault("start_date", timezone.localdate())
    return initial
