"""The project registers: projects (with outputs, beneficiaries, funds, lifecycle and audit trail
on each project's page), project outputs and beneficiaries."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from duikou.audit.models import ObjectChange
from duikou.ui.registers import RECORD_COLUMNS, Column, Register, Related, pairing_column, pairing_joins, register
from duikou.ui.views import audit_trail

from .filters import ProjectBeneficiaryFilterSet, ProjectFilterSet, ProjectPartFilterSet
from .forms import ProjectBeneficiaryForm, ProjectForm, ProjectOutputForm
from .models import Project, ProjectBeneficiary, ProjectOutput
from .services import (
    project_beneficiary_create,
    project_beneficiary_update,
    project_create,
    project_output_create,
    project_output_update,
    project_update,
)

__all__ = ["lifecycle_history", "project_funds_summary"]


def lifecycle_history(changes) -> list[dict]:
    """The project's status changes, oldest first, read from its audit trail."""
    labels = dict(Project._meta.get_field("status").flatchoices)
    steps = []
    for c in reversed(changes):
        before = (c.before or {}).get("status")
        after = (c.after or {}).get("status")
        if c.action == ObjectChange.Action.CREATE or (after and after != before):
            steps.append({"time": c.time, "actor": c.actor_name, "from": labels.get(before, before) if before else "",
                          "to": labels.get(after, after), "message": c.message})
    return steps


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
    changes = audit_trail(project, limit=200)
    from duikou.ui.registers import format_money

    return {
        "lifecycle": lifecycle_history(changes),
        "changes": changes[:50],
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
    update=project_update,
    select_related=[*pairing_joins(), "key_task", "implementing_unit"],
    total="budget",
    detail_fields=[
        "code", "name", "pairing", "key_task", "work_field", "sector", "annual_plan", "location_division", "location",
        "latitude", "longitude", "start_year", "end_year", "budget", "status", "implementing_unit", "description",
        "is_illustrative", "source",
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
