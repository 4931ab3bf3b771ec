"""The plan registers: plans (with their envelopes, targets, documents, child plans and projects
on each plan's page), plan envelopes, targets, documents and member-unit duties.

National plans belong to no pairing: ``restrict()`` shows them only to users whose scope is every
organisation (national supervisors, superusers); a pairing's users see their pairing's plans.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.apps import apps
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from duikou.organisations.selectors import pairing_tree_ids
from duikou.ui.registers import (
    RECORD_COLUMNS,
    Column,
    Register,
    Related,
    format_money,
    pairing_column,
    pairing_joins,
    register,
)

from .choices import PlanKind
from .filters import DocumentFilterSet, MemberUnitDutyFilterSet, PlanEnvelopeFilterSet, PlanFilterSet, TargetFilterSet
from .forms import (
    DocumentForm,
    MemberUnitDutyForm,
    PlanEnvelopeForm,
    PlanForm,
    TargetForm,
    initial_from_query,
)
from .models import Document, MemberUnitDuty, Plan, PlanEnvelope, Target
from .services import (
    document_create,
    document_update,
    envelope_create,
    envelope_update,
    member_unit_duty_create,
    member_unit_duty_update,
    plan_create,
    plan_update,
    target_create,
    target_update,
)

__all__ = ["EnvelopeProgress", "EnvelopeYear", "plan_envelope_progress"]

ZERO = Decimal("0.00")


# envelopes against allocations ------------------------------------------------------------


@dataclass(frozen=True)
class EnvelopeYear:
    year: int
    allocated: Decimal
    cumulative: Decimal


@dataclass(frozen=True)
class EnvelopeProgress:
    """One envelope of a plan beside the allocations of its stream in the plan's years."""

    stream: str
    envelope: Decimal
    years: tuple[EnvelopeYear, ...]

    @property
    def allocated(self) -> Decimal:
        return self.years[-1].cumulative if self.years else ZERO

    @property
    def remaining(self) -> Decimal:
        return self.envelope - self.allocated

    @property
    def share(self) -> Decimal | None:
        return None if not self.envelope else self.allocated / self.envelope


def plan_envelope_progress(plan, actor) -> list[EnvelopeProgress]:
    """For a pairing's five-year plan: each envelope (one per stream) beside the allocations of
    the same stream that the pairing and its sub-pairings made in the plan's years, by year
    (Decimal yuan, aggregated from the records the actor may see). Other plans: ``[]``."""
    if plan.kind != PlanKind.PAIRING_FIVE_YEAR or not plan.pairing_id:
        return []
    envelopes = list(plan.envelopes.all().restrict(actor, "view").order_by("stream"))
    if not envelopes:
        return []
    # funds sits right of plans (it imports plans): its model is looked up, not imported.
    transactions = apps.get_model("funds", "FundTransaction")
    rows = (
        transactions.objects.restrict(actor, "view")
        .filter(pairing_id__in=pairing_tree_ids(plan.pairing), kind=transactions.Kind.ALLOCATION,
                stream__in=[e.stream for e in envelopes], year__gte=plan.start_year, year__lte=plan.end_year)
        .values_list("stream", "year").annotate(total=Sum("amount")).order_by()
    )
    totals = {(stream, year): total for stream, year, total in rows}
    out = []
    for envelope in envelopes:
        years, cumulative = [], ZERO
        for year in range(plan.start_year, plan.end_year + 1):
            allocated = totals.get((envelope.stream, year)) or ZERO
            cumulative += allocated
            years.append(EnvelopeYear(year=year, allocated=allocated, cumulative=cumulative))
        out.append(EnvelopeProgress(stream=envelope.get_stream_display(), envelope=envelope.amount, years=tuple(years)))
    return out


def _percent(share: Decimal | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def _plan_detail_context(request, plan) -> dict:
    progress = []
    for p in plan_envelope_progress(plan, request.user):
        progress.append({
            "stream": p.stream,
            "envelope": format_money(p.envelope),
            "allocated": format_money(p.allocated),
            "remaining": format_money(p.remaining),
            "share": _percent(p.share),
            "years": [{"year": y.year, "allocated": format_money(y.allocated), "cumulative": format_money(y.cumulative),
                       "share": _percent(y.cumulative / p.envelope if p.envelope else None)} for y in p.years],
        })
    return {"envelope_progress": progress}


def _plan_projects(plan, actor):
    """The projects of an annual plan, or of the annual plans under this plan."""
    projects = plan.projects.model  # projects sits right of plans: reached through the relation
    return (projects.objects.restrict(actor, "view").filter(Q(annual_plan=plan) | Q(annual_plan__parent=plan))
            .select_related("key_task").order_by("start_year", "code"))


# registers --------------------------------------------------------------------------------

register(Register(
    model=Plan,
    slug="plans",
    group="plans",
    columns=[
        Column("title", link=True),
        Column("kind"),
        pairing_column(),
        Column("start_year"),
        Column("end_year"),
        Column("parent", order="parent__title"),
        Column("doc_no"),
        Column("issued_on"),
        Column("programme", export_only=True),
        Column("issuers", export_only=True),
        Column("key_tasks", export_only=True),
        Column("overall_requirements", export_only=True),
        Column("main_goals", export_only=True),
        Column("safeguards", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=PlanFilterSet,
    search=["title", "doc_no", "main_goals"],
    form=PlanForm,
    create=plan_create,
    update=plan_update,
    initial=partial(initial_from_query, form_class=PlanForm,
                    derived={"parent": (Plan, {"pairing": "pairing_id", "programme": "programme_id"})}),
    select_related=[*pairing_joins(), "pairing__programme", "parent", "programme"],
    prefetch_related=["issuers", "key_tasks"],
    detail_fields=[
        "kind", "title", "programme", "pairing", "parent", "start_year", "end_year", "issuers", "issued_on", "doc_no",
        "key_tasks", "overall_requirements", "main_goals", "safeguards", "is_illustrative", "source",
    ],
    related=[
        Related(_("Envelopes"), lambda p, actor: p.envelopes.all().restrict(actor, "view").order_by("stream"),
                [Column("stream", link=True), Column("amount"), Column("basis")],
                register="plan-envelopes", add_param="plan"),
        Related(_("Targets"), lambda p, actor: p.targets.all().restrict(actor, "view").select_related(
                    "indicator", "key_task"),
                [Column("indicator", link=True), Column("key_task"), Column("year"), Column("direction"),
                 Column("value"), Column("note")],
                register="targets", add_param="plan"),
        Related(_("Documents"), lambda p, actor: p.documents.all().restrict(actor, "view"),
                [Column("title", link=True), Column("kind"), Column("doc_no"), Column("issued_on")],
                register="documents", add_param="plan"),
        Related(_("Plans under this plan"), lambda p, actor: p.children.all().restrict(actor, "view"),
                [Column("title", link=True), Column("kind"), Column("start_year"), Column("end_year")],
                register="plans", add_param="parent"),
        Related(_("Projects in the annual plans"), _plan_projects,
                [Column("code", link=True), Column("name"), Column("key_task"), Column("start_year"),
                 Column("budget"), Column("status")],
                register="projects", add_param="annual_plan"),
    ],
    detail_template="plans/plan_detail.html",
    detail_context=_plan_detail_context,
))

register(Register(
    model=PlanEnvelope,
    slug="plan-envelopes",
    group="plans",
    columns=[
        Column("plan", link=True, order="plan__title"),
        pairing_column("plan.pairing"),
        Column("plan.start_year"),
        Column("plan.end_year"),
        Column("stream"),
        Column("amount"),
        Column("basis", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=PlanEnvelopeFilterSet,
    search=["plan__title", "basis"],
    form=PlanEnvelopeForm,
    create=envelope_create,
    update=envelope_update,
    select_related=["plan", *pairing_joins("plan__pairing")],
    total="amount",
    detail_fields=["plan", "stream", "amount", "basis", "is_illustrative", "source"],
))

register(Register(
    model=Target,
    slug="targets",
    group="plans",
    columns=[
        Column("indicator", link=True, order="indicator__key"),
        Column("plan", order="plan__title"),
        pairing_column("plan.pairing"),
        Column("key_task", order="key_task__order"),
        Column("year"),
        Column("direction"),
        Column("value"),
        Column("note"),
        *RECORD_COLUMNS,
    ],
    filterset=TargetFilterSet,
    search=["indicator__key", "plan__title", "note"],
    form=TargetForm,
    create=target_create,
    update=target_update,
    select_related=["plan", *pairing_joins("plan__pairing"), "indicator", "key_task"],
    detail_fields=["plan", "indicator", "key_task", "year", "direction", "value", "note", "is_illustrative", "source"],
))

register(Register(
    model=Document,
    slug="documents",
    group="plans",
    columns=[
        Column("title", link=True),
        Column("kind"),
        pairing_column(),
        Column("plan", order="plan__title"),
        Column("doc_no"),
        Column("issued_on"),
        Column("is_public"),
        Column("url", export_only=True),
        Column("summary", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=DocumentFilterSet,
    search=["title", "doc_no", "summary"],
    form=DocumentForm,
    create=document_create,
    update=document_update,
    initial=partial(initial_from_query, form_class=DocumentForm, derived={"plan": (Plan, {"pairing": "pairing_id"})}),
    select_related=[*pairing_joins(), "pairing__programme", "plan"],
    detail_fields=["kind", "title", "pairing", "plan", "doc_no", "issued_on", "is_public", "url", "summary",
                   "is_illustrative", "source"],
    related=[
        Related(_("Member unit duties"), lambda d, actor: d.duties.all().restrict(actor, "view").select_related(
                    "member_unit", "key_task"),
                [Column("member_unit", link=True), Column("key_task"), Column("field"), Column("duty")],
                register="member-unit-duties", add_param="document"),
    ],
))

register(Register(
    model=MemberUnitDuty,
    slug="member-unit-duties",
    group="plans",
    label=_("Member unit duties"),
    columns=[
        Column("member_unit", link=True, order="member_unit__name"),
        pairing_column(),
        Column("key_task", order="key_task__order"),
        Column("field"),
        Column("duty"),
        Column("document", order="document__title"),
        *RECORD_COLUMNS,
    ],
    filterset=MemberUnitDutyFilterSet,
    search=["duty", "field", "member_unit__name"],
    form=MemberUnitDutyForm,
    create=member_unit_duty_create,
    update=member_unit_duty_update,
    initial=partial(initial_from_query, form_class=MemberUnitDutyForm,
                    derived={"document": (Document, {"pairing": "pairing_id"})}),
    select_related=[*pairing_joins(), "pairing__programme", "member_unit", "key_task", "document"],
    detail_fields=["pairing", "member_unit", "key_task", "field", "duty", "document", "is_illustrative", "source"],
))
