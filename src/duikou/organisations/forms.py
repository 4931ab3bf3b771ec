"""Forms of the organisation, pairing and programme pages: they parse input; the services
validate and save (and check the right: an organisation is written by those whose tree holds it or
its parent, a pairing by those of its supporter or recipient, a programme by those whose scope is
everything).

The helpers at the top keep long choice lists short for the other apps' forms too: divisions to
the provinces and prefectures plus the counties around the pairings offered, organisations to
those the user may write plus the parties of the pairings offered, always keeping the value the
record holds now so that editing never loses it.
"""

from django.db.models import Q
from django.db.models.functions import Left

from duikou.core.permissions import scope_for
from duikou.ui.forms import ServiceForm

from .choices import DivisionLevel
from .models import AdminDivision, Organisation, Pairing, Programme

__all__ = [
    "OrganisationForm", "PairingForm", "ProgrammeForm", "area_divisions", "party_organisations", "with_current",
]


def with_current(queryset, *values):
    """``queryset`` plus the rows (or primary keys) given, e.g. the value an edited record holds."""
    pks = {getattr(v, "pk", v) for v in values if v is not None and getattr(v, "pk", v) is not None}
    if not pks:
        return queryset
    return queryset | queryset.model.objects.filter(pk__in=pks)


def area_divisions(pairings, *current):
    """Divisions offered for a market or a place: every province and prefecture, and the counties in
    the provinces of the supporters and recipients of ``pairings`` (one query, when rendered)."""
    supporters = pairings.annotate(p=Left("supporter__division__code", 2)).values("p")
    recipients = pairings.annotate(p=Left("recipient_division__code", 2)).values("p")
    qs = AdminDivision.objects.annotate(province=Left("code", 2)).filter(
        Q(level__in=[DivisionLevel.PROVINCE, DivisionLevel.PREFECTURE])
        | Q(province__in=supporters) | Q(province__in=recipients)
    )
    return with_current(qs, *current).order_by("code")


def party_organisations(actor, action: str, pairings, *current):
    """Organisations offered as a party (supporter, recipient, organiser): all of them to a user
    whose scope is everything; to others those they may write and the parties of ``pairings``."""
    if scope_for(actor, action).all:
        return Organisation.objects.order_by("name")
    qs = Organisation.objects.filter(
        Q(pk__in=Organisation.objects.restrict(actor, action).values("pk"))
        | Q(pk__in=pairings.values("supporter_id")) | Q(pk__in=pairings.values("recipient_id"))
    )
    return with_current(qs, *current).order_by("name")


def _action(form) -> str:
    return "change" if form.instance.pk else "add"


class OrganisationForm(ServiceForm):
    # An organisation reaches the users of its own tree and of its parent's.
    write_scoped_fields = ("parent",)

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "division", "parent", "credit_code", "valid_from", "valid_to",
                  "successor", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        parents = self.fields["parent"].queryset
        if instance.pk:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = with_current(parents, instance.parent_id).order_by("name")
        if not scope_for(self.actor, _action(self)).all:
            # Others may only add below an organisation of theirs.
            self.fields["parent"].required = not instance.pk
            mine = Organisation.objects.restrict(self.actor, _action(self))
            self.fields["successor"].queryset = with_current(mine, instance.successor_id).order_by("name")
            areas = mine.exclude(division=None).values_list("division__code", "division__level")
            cond = Q()
            for code, level in areas:
                cond |= Q(code__startswith=AdminDivision(code=code, level=level).code_prefix)
            divisions = AdminDivision.objects.filter(cond) if cond else AdminDivision.objects.none()
            self.fields["division"].queryset = with_current(divisions, instance.division_id).order_by("code")
        else:
            self.fields["division"].queryset = AdminDivision.objects.order_by("code")


class PairingForm(ServiceForm):
    # A pairing reaches the users of its supporter and of its recipient: the service lets either write it.
    write_scoped_fields = ()

    class Meta:
        model = Pairing
        fields = ["programme", "supporter", "recipient", "recipient_division", "level", "parent", "valid_from",
                  "valid_to", "round", "note", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        visible = self.fields["parent"].queryset
        if instance.pk:
            self.fields["parent"].queryset = visible.exclude(pk=instance.pk)
        action = _action(self)
        self.fields["supporter"].queryset = party_organisations(self.actor, action, visible, instance.supporter_id)
        recipients = party_organisations(self.actor, action, visible, instance.recipient_id)
        self.fields["recipient"].queryset = recipients
        # The recipient division is the recipient's county: offer those of the recipients offered.
        self.fields["recipient_division"].queryset = with_current(
            AdminDivision.objects.filter(id__in=recipients.values("division_id")), instance.recipient_division_id
        ).order_by("code")


class ProgrammeForm(ServiceForm):
    write_scoped_fields = ()

    class Meta:
        model = Programme
        fields = ["code", "name", "kind", "started_on", "ended_on", "lead_organisations", "covered_divisions",
                  "description", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Programmes cover counties and districts (the 19 reservoir counties).
        current = self.instance.covered_divisions.values("pk") if self.instance.pk else []
        self.fields["covered_divisions"].queryset = AdminDivision.objects.filter(
            Q(level=DivisionLevel.COUNTY) | Q(pk__in=current)
        ).order_by("code")
