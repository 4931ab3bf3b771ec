"""The project registers: projects (with outputs, beneficiaries, funds, the lifecycle's step
buttons, approval history and audit trail on each project's page), project outputs and
beneficiaries, and the approval records (read-only: they are written by the steps)."""

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duikou.ui.registers import RECORD_COLUMNS, Column, Register, Related, pairing_column, pairing_joins, register

from .choices import ProjectStatus
from .filters import ApprovalRecordFilterSet, ProjectBeneficiaryFilterSet, ProjectFilterSet, ProjectPartFilterSet
from .forms import ProjectBeneficiaryForm, ProjectForm, ProjectOutputForm, TransitionForm
from .models import ApprovalRecord, Project, ProjectBeneficiary, ProjectOutput
from .services import (
    project_beneficiary_create,
    project_beneficiary_update,
    project_bulk_create,
    project_create,
    project_output_create,
    project_output_update,
    project_update,
)
from .workflow import Lookups, available_transitions, guard_messages, pending_change

__all__ = ["MAIN_PATH", "lifecycle_path", "project_funds_summary", "project_steps"]

# The statuses a project passes through when all goes well, in order (domain guide §5).
MAIN_PATH = (
    ProjectStatus.DRAFT, ProjectStatus.PROPOSED, ProjectStatus.TOWNSHIP_REVIEWED, ProjectStatus.IN_LIBRARY,
    ProjectStatus.PLANNED, ProjectStatus.AGREED, ProjectStatus.PREPARING, ProjectStatus.IN_PROGRESS,
    ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED, ProjectStatus.HANDED_OVER, ProjectStatus.EVALUATED,
    ProjectStatus.AUDITED, ProjectStatus.CLOSED,
)


def lifecycle_path(project) -> list[dict]:
    """The main path with each status marked done, current or to come. A project with a pending
    change or suspended sits at the status it will return to."""
    at = project.return_status if project.status in (ProjectStatus.CHANGE_PENDING, ProjectStatus.SUSPENDED) \
        else project.status
    index = MAIN_PATH.index(at) if at in MAIN_PATH else -1
    return [{"status": s.value, "label": s.label, "state": "done" if i < index else "current" if i == index else "todo"}
            for i, s in enumerate(MAIN_PATH)]


def project_steps(request, project) -> dict:
    """The steps the user may take now, each with its form and what blocks it; and the form the
    user last posted, when its step is no longer offered (its errors are shown on top)."""
    actor, lookups, today = request.user, Lookups(), timezone.localdate()
    posted = getattr(request, "duikou_transition_form", None)
    steps = []
    for t in available_transitions(actor, project, on=today, lookups=lookups):
        form = posted if posted is not None and posted.step == t else TransitionForm(transition=t, project=project)
        steps.append({
            "key": t.key, "label": t.label, "form": form, "primary": t.waits, "decides": t.decides,
            "blocked": guard_messages(project=project, transition=t, actor=actor, on=today),
            "disclosure_kind": t.disclosure_kind,
        })
    offered = {s["key"] for s in steps}
    return {"steps": steps, "step_errors": posted if posted is not None and posted.step.key not in offered else None}


def _pending_change(project) -> list[dict]:
    if project.status != ProjectStatus.CHANGE_PENDING:
        return []
    request = pending_change(project)
    if request is None:
        return []
    out = []
    for name, value in request.field_changes.items():
        field = Project._meta.get_field(name)
        out.append({"label": field.verbose_name, "before": getattr(project, name), "after": value})
    return out


def project_funds_summary(project, actor) -> list[dict]:
    """Sums of the project's fund transactions by kind and stream (Decimal yuan, from the records)."""
    rows = (project.fund_transactions.all().restrict(actor, "view")
            .values("kind", "stream").annotate(total=Sum("amount")).order_by("kind", "stream"))
    model = project.fund_transactions.model
    kinds = dict(model._meta.get_field("kind").flatchoices)
    streams = dict(model._meta.get_field("stream").flatchoices)
    order = [k for k, _label in model._meta.get_field("kind").flatchoices]
    return sorted(
        ({"kind": kinds[r["kind"]], "stream": streams[r["stream"]], "total": r["total"], "kind_code": r["kind"]}
         for r in rows),
        key=lambda r: order.index(r["kind_code"]),
    )


def _detail_context(request, project):
    from duikou.ui.registers import format_money

    approvals = list(project.approvals.all().restrict(request.user, "view").select_related("actor_org"))
    return {
        "path": lifecycle_path(project),
        "approvals": approvals,
        "pending_change": _pending_change(project),
        "return_status": project.get_return_status_display() if project.return_status else "",
        **project_steps(request, project),
        "funds_summary": [dict(r, total=format_money(r["total"])) for r in project_funds_summary(project, request.user)],
    }


register(Register(
    model=Project,
    slug="projects",
    group="projects",
    columns=[
        Column("code", link=True),
        Column("name"),
        pairing_column(),
        Column("key_task"),
        Column("start_year"),
        Column("end_year"),
        Column("budget"),
        Column("status"),
        Column("location", export_only=True),
        Column("sector", export_only=True),
        Column("work_field", export_only=True),
        Column("implementing_unit", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=ProjectFilterSet,
    search=["code", "name", "location", "description"],
    form=ProjectForm,
    create=project_create,
    bulk_create=project_bulk_create,
    update=project_update,
    select_related=[*pairing_joins(), "key_task", "implementing_unit"],
    total="budget",
    detail_fields=[
        "code", "name", "pairing", "key_task", "work_field", "sector", "annual_plan", "location_division", "location",
        "latitude", "longitude", "start_year", "end_year", "budget", "status", "implementing_unit", "description",
        "farmer_linkage", "is_illustrative", "source",
    ],
    related=[
        Related(_("Outputs"), lambda p, actor: p.outputs.all().restrict(actor, "view"),
                [Column("name", link=True), Column("quantity"), Column("unit")],
                register="project-outputs", add_param="project"),
        Related(_("Beneficiaries"), lambda p, actor: p.beneficiaries.all().restrict(actor, "view"),
                [Column("group", link=True), Column("count"), Column("qualifier")],
                register="project-beneficiaries", add_param="project"),
        Related(_("Funds of this project"), lambda p, actor: p.fund_transactions.all().restrict(actor, "view").order_by("year", "date", "id"),
                [Column("kind", link=True), Column("stream"), Column("level"), Column("year"), Column("date"),
                 Column("amount", money=True), Column("doc_no")],
                register="fund-transactions", add_param="project"),
    ],
    detail_template="projects/project_detail.html",
    detail_context=_detail_context,
))

register(Register(
    model=ProjectOutput,
    slug="project-outputs",
    group="projects",
    label=_("Project outputs"),
    columns=[Column("name", link=True), Column("project", order="project__code"), Column("quantity"), Column("unit")],
    filterset=ProjectPartFilterSet,
    search=["name", "project__code", "project__name"],
    form=ProjectOutputForm,
    create=project_output_create,
    update=project_output_update,
    select_related=["project"],
))

register(Register(
    model=ProjectBeneficiary,
    slug="project-beneficiaries",
    group="projects",
    label=_("Project beneficiaries"),
    columns=[Column("group", link=True), Column("project", order="project__code"), Column("count"), Column("qualifier")],
    filterset=ProjectBeneficiaryFilterSet,
    search=["group", "project__code", "project__name"],
    form=ProjectBeneficiaryForm,
    create=project_beneficiary_create,
    update=project_beneficiary_update,
    select_related=["project"],
))

register(Register(
    model=ApprovalRecord,
    slug="approvals",
    group="projects",
    label=_("Approval records"),
    columns=[
        Column("decided_on", link=True),
        Column("project", order="project__code"),
        pairing_column("project.pairing", export_only=True),
        Column("transition"),
        Column("decision"),
        Column("from_status", export_only=True),
        Column("to_status"),
        Column("role_name"),
        Column("actor_name"),
        Column("actor_org", order="actor_org__name"),
        Column("doc_no"),
        Column("opinion", export_only=True),
        Column("role", export_only=True),
        Column("recorded_at", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=ApprovalRecordFilterSet,
    search=["project__code", "project__name", "actor_name", "doc_no", "opinion"],
    select_related=["project", "actor_org", *pairing_joins("project__pairing")],
    default_order=["-decided_on", "-recorded_at"],
    detail_fields=[
        "project", "transition", "decision", "from_status", "to_status", "decided_on", "role_name", "role",
        "actor_name", "actor_org", "doc_no", "opinion", "changes", "recorded_at", "is_illustrative", "source",
    ],
))
