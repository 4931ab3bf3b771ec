"""The disclosure registers: notices (公示/公告) and the objections to them.

A notice's page shows its state (the draft's content preview and the privacy check, or when the
lifecycle may proceed), the buttons to publish or withdraw it, its printable page and .docx, and
its objections. Each project's page gets a "Disclosures" section with an "Add" link that opens
the form preset for the notice the project needs next (``?project=<id>``).
"""

from django.utils.translation import gettext_lazy as _

from duikou.core.permissions import can
from duikou.core.privacy import check_publishable, privacy_messages
from duikou.ui.registers import (
    RECORD_COLUMNS,
    Column,
    Register,
    Related,
    get_register,
    pairing_column,
    pairing_joins,
    register,
)

from .choices import DisclosureStatus
from .filters import DisclosureFilterSet, ObjectionFilterSet
from .forms import DisclosureForm, ObjectionForm, WithdrawForm, disclosure_initial
from .models import Disclosure, Objection
from .selectors import disclosure_content, disclosure_readiness
from .services import disclosure_create, disclosure_update, objection_create, objection_update

__all__ = ["disclosure_detail_context"]


def disclosure_detail_context(request, disclosure) -> dict:
    """The state panel of a notice's page: for a draft the content it would publish now, its
    placeholders and any personal data found; for a published notice when the lifecycle may
    proceed and which objections hold it up."""
    may_change = can(request.user, "change", disclosure)
    context = {
        "may_change_disclosure": may_change,
        "is_draft": disclosure.is_draft,
        "is_published": disclosure.status == DisclosureStatus.PUBLISHED,
        "withdraw_form": WithdrawForm(),
        "readiness": disclosure_readiness(disclosure),
    }
    content = disclosure_content(actor=request.user, disclosure=disclosure)
    context["placeholders"] = content.get("placeholders", [])
    context["privacy_problems"] = privacy_messages(check_publishable(content))
    return context


register(Register(
    model=Disclosure,
    slug="disclosures",
    group="projects",
    columns=[
        Column("title", link=True),
        Column("kind"),
        Column("project", order="project__code"),
        pairing_column(),
        Column("year"),
        Column("start_date"),
        Column("end_date"),
        Column("status"),
        Column("level", export_only=True),
        Column("plan", export_only=True),
        Column("supervision_phone", export_only=True),
        Column("published_on", export_only=True),
        Column("withdrawn_on", export_only=True),
        Column("withdrawal_reason", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=DisclosureFilterSet,
    search=["title", "project__code", "project__name", "note"],
    form=DisclosureForm,
    create=disclosure_create,
    update=disclosure_update,
    initial=disclosure_initial,
    select_related=[*pairing_joins(), "project", "plan"],
    detail_fields=[
        "title", "kind", "status", "pairing", "project", "plan", "year", "level", "start_date",
        "end_date", "supervision_phone", "issuer", "note", "published_on", "published_by", "withdrawn_on",
        "withdrawal_reason", "is_illustrative", "source",
    ],
    related=[
        Related(_("Objections"), lambda d, actor: d.objections.all().restrict(actor, "view"),
                [Column("received_on", link=True), Column("summary"), Column("decision"), Column("decided_on")],
                register="objections", add_param="disclosure"),
    ],
    detail_template="disclosure/disclosure_detail.html",
    detail_context=disclosure_detail_context,
))

register(Register(
    model=Objection,
    slug="objections",
    group="projects",
    columns=[
        Column("received_on", link=True),
        Column("disclosure", order="disclosure__title"),
        pairing_column("disclosure__pairing"),
        Column("summary"),
        Column("decision"),
        Column("decided_on"),
        Column("resolution", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=ObjectionFilterSet,
    search=["summary", "resolution", "disclosure__title", "disclosure__project__code"],
    form=ObjectionForm,
    create=objection_create,
    update=objection_update,
    select_related=["disclosure", *pairing_joins("disclosure__pairing")],
    detail_fields=["disclosure", "received_on", "summary", "decision", "decided_on", "resolution",
                   "is_illustrative", "source"],
))


# The project's page lists its notices, with an "Add" link preset for the one it needs next.
_projects = get_register("projects")
_projects.related = [
    *_projects.related,
    Related(_("Disclosures (公示/公告)"), lambda p, actor: p.disclosures.all().restrict(actor, "view"),
            [Column("title", link=True), Column("kind"), Column("start_date"), Column("end_date"), Column("status")],
            register="disclosures", add_param="project"),
]
