"""The organisation registers: organisations (with their former names, units below them and
pairings), pairings (with their sub-pairings and a link to the pairing's dashboard) and programmes.

Organisations and programmes are reference data every signed-in user may read; who may write them
is what the services enforce (``restrict_paths`` of each model): an organisation by the users of
its own tree or of its parent's, a pairing by those of its supporter or recipient, a programme only
by users whose scope is everything.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from duikou.core.permissions import scope_for
from duikou.ui.registers import RECORD_COLUMNS, Column, Register, Related, register

from .filters import OrganisationFilterSet, PairingFilterSet, ProgrammeFilterSet
from .forms import OrganisationForm, PairingForm, ProgrammeForm
from .models import Organisation, Pairing, Programme
from .services import (
    organisation_create,
    organisation_update,
    pairing_create,
    pairing_update,
    programme_create,
    programme_update,
)

__all__ = ["EverythingScopeRegister", "pairing_detail_context", "pairing_initial"]

PAIRING_LABEL = ("supporter", "recipient", "programme")  # Pairing.label_related


class EverythingScopeRegister(Register):
    """A register of rows that reach no organisation (programmes): only users whose scope is
    everything may add one, so nobody else is offered a form the service would refuse."""

    def may_add(self, user) -> bool:
        return self.form is not None and self.create is not None and scope_for(user, "add").all


def _pairings(queryset, actor):
    return queryset.restrict(actor, "view").select_related(*PAIRING_LABEL).order_by("valid_from", "id")


PAIRING_COLUMNS = [
    Column("short_label", label=_("pairing"), link=True),
    Column("programme"),
    Column("level"),
    Column("valid_from"),
    Column("valid_to"),
    Column("round"),
]


def pairing_detail_context(request, pairing) -> dict:
    """The link to the pairing's dashboard (the reports app's page, when it is installed)."""
    try:
        return {"dashboard_url": reverse("dashboard", args=[pairing.pk])}
    except NoReverseMatch:
        return {"dashboard_url": None}


def pairing_initial(request) -> dict:
    """The create form's initial data: the query's form fields; for a sub-pairing (``?parent=``)
    also the parent's programme, recipient, its county and period."""
    initial = {k: v for k, v in request.GET.items() if k in PairingForm.base_fields}
    parent_id = str(initial.get("parent", ""))
    parent = Pairing.objects.restrict(request.user, "view").filter(pk=parent_id).first() if parent_id.isdigit() else None
    if parent is not None:
        for name in ("programme", "recipient", "recipient_division"):
            initial.setdefault(name, getattr(parent, f"{name}_id"))
        initial.setdefault("valid_from", parent.valid_from)
        initial.setdefault("valid_to", parent.valid_to)
    return initial


register(Register(
    model=Organisation,
    slug="organisations",
    group="organisations",
    columns=[
        Column("name", link=True),
        Column("short_name"),
        Column("kind"),
        Column("division", order="division__code"),
        Column("parent", order="parent__name"),
        Column("valid_from"),
        Column("valid_to"),
        Column("credit_code", export_only=True),
        Column("successor", order="successor__name", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=OrganisationFilterSet,
    search=["name", "short_name", "credit_code"],
    form=OrganisationForm,
    create=organisation_create,
    update=organisation_update,
    select_related=["division", "parent", "successor"],
    detail_fields=["name", "short_name", "kind", "division", "parent", "credit_code", "valid_from", "valid_to",
                   "successor", "is_illustrative", "source"],
    related=[
        Related(_("Former names"), lambda o, actor: o.names.all().restrict(actor, "view").order_by("valid_from", "id"),
                [Column("name"), Column("valid_from"), Column("valid_to"), Column("source")]),
        Related(_("Units below"), lambda o, actor: o.children.all().restrict(actor, "view").select_related("division"),
                [Column("name", link=True), Column("kind"), Column("division")],
                register="organisations", add_param="parent"),
        Related(_("Pairings as supporter"), lambda o, actor: _pairings(o.pairings_supported.all(), actor),
                PAIRING_COLUMNS, register="pairings", add_param="supporter"),
        Related(_("Pairings as recipient"), lambda o, actor: _pairings(o.pairings_received.all(), actor),
                PAIRING_COLUMNS, register="pairings", add_param="recipient"),
    ],
))

register(Register(
    model=Pairing,
    slug="pairings",
    group="organisations",
    columns=[
        Column("short_label", label=_("pairing"), link=True, order="supporter__name"),
        Column("programme", order="programme__name"),
        Column("level"),
        Column("recipient_division", order="recipient_division__code"),
        Column("parent.short_label", label=_("parent pairing"), order="parent__supporter__name"),
        Column("valid_from"),
        Column("valid_to"),
        Column("round"),
        Column("supporter", order="supporter__name", export_only=True),
        Column("recipient", order="recipient__name", export_only=True),
        Column("note", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=PairingFilterSet,
    search=["supporter__name", "supporter__short_name", "recipient__name", "recipient__short_name",
            "recipient_division__name", "recipient_division__code", "note"],
    form=PairingForm,
    create=pairing_create,
    update=pairing_update,
    select_related=[*PAIRING_LABEL, "recipient_division", "parent__supporter", "parent__recipient",
                    "parent__programme"],
    detail_fields=["programme", "supporter", "recipient", "recipient_division", "level", "parent", "valid_from",
                   "valid_to", "round", "note", "is_illustrative", "source"],
    related=[
        Related(_("Sub-pairings"), lambda p, actor: _pairings(p.sub_pairings.all(), actor),
                PAIRING_COLUMNS, register="pairings", add_param="parent"),
    ],
    initial=pairing_initial,
    detail_template="organisations/pairing_detail.html",
    detail_context=pairing_detail_context,
))

register(EverythingScopeRegister(
    model=Programme,
    slug="programmes",
    group="organisations",
    columns=[
        Column("name", link=True),
        Column("code"),
        Column("kind"),
        Column("started_on"),
        Column("ended_on"),
        Column("lead_organisations", order=False, export_only=True),
        Column("covered_divisions", order=False, export_only=True),
        Column("description", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=ProgrammeFilterSet,
    search=["code", "name", "description"],
    form=ProgrammeForm,
    create=programme_create,
    update=programme_update,
    prefetch_related=["lead_organisations", "covered_divisions"],
    detail_fields=["name", "code", "kind", "started_on", "ended_on", "lead_organisations", "covered_divisions",
                   "description", "is_illustrative", "source"],
    related=[
        Related(_("Pairings"), lambda p, actor: _pairings(p.pairings.filter(parent=None), actor),
                PAIRING_COLUMNS, register="pairings", add_param="programme"),
    ],
))
