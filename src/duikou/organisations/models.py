from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from duikou.core.constraints import ends_after
from duikou.core.models import BaseModel, RecordModel

from .choices import DivisionLevel, OrganisationKind, PairingLevel, ProgrammeKind

__all__ = ["AdminDivision", "Organisation", "OrganisationName", "Pairing", "Programme"]


def _period_check(name, start="valid_from", end="valid_to"):
    return ends_after(name, start, end)


class AdminDivision(BaseModel):
    """An administrative division (GB/T 2260 / NBS statistical code) with its validity period.

    Codes change over time (开县 → 开州区); a retired code keeps its row with ``valid_to`` and a
    ``successor``, so figures since 1992 still add up across the change.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("successor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="predecessors",
    )
    is_statistical_only = models.BooleanField(
        _("statistical unit only"), default=False,
        help_text=_("NBS statistical unit that is not an administrative division (development zones, codes xx71–xx79)."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    restrict_public_view = True

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ["code"]
        constraints = [_period_check("division_valid_period")]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def code_prefix(self) -> str:
        """The code digits its descendants share: 2 for a province, 4 for a prefecture, 6 for a county."""
        return self.code[: {DivisionLevel.PROVINCE: 2, DivisionLevel.PREFECTURE: 4}.get(self.level, 6)]


class Organisation(RecordModel):
    """A body that takes part: a government or its office, a member unit, an enterprise, a university…"""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    division = models.ForeignKey(
        AdminDivision, verbose_name=_("division"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("successor"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="predecessors",
    )

    restrict_paths = ("id", "parent_id")
    restrict_public_view = True

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "kind"], name="organisation_unique_name_kind",
                violation_error_message=_("An organisation of this kind with this name exists already."),
            ),
            _period_check("organisation_valid_period"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organisation cannot be its own parent.")})


class OrganisationName(BaseModel):
    """A name an organisation (or its office for this work) bore during a period."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    restrict_paths = ("organisation_id", "organisation__parent_id")
    restrict_public_view = True

    class Meta:
        verbose_name = _("organisation name")
        verbose_name_plural = _("organisation names")
        ordering = ["organisation", "valid_from"]
        constraints = [_period_check("organisation_name_valid_period")]

    def __str__(self):
        return self.name


class Programme(RecordModel):
    """A national counterpart-support programme (全国对口支援三峡库区, 东西部协作 …)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=ProgrammeKind.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    lead_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("lead organisations"), blank=True, related_name="led_programmes"
    )
    covered_divisions = models.ManyToManyField(
        AdminDivision, verbose_name=_("recipient areas covered"), blank=True, related_name="programmes",
        help_text=_("The counties or districts the programme supports (the 19 reservoir counties)."),
    )
    description = models.TextField(_("description"), blank=True)

    restrict_public_view = True

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["started_on", "code"]
        constraints = [_period_check("programme_period", "started_on", "ended_on")]

    def __str__(self):
        return self.name


class Pairing(RecordModel):
    """Supporter → recipient inside a programme, for a period; sub-pairings sit inside a parent."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="pairings")
    supporter = models.ForeignKey(Organisation, verbose_name=_("supporter"), on_delete=models.PROTECT,
                                  related_name="pairings_supported")
    recipient = models.ForeignKey(Organisation, verbose_name=_("recipient"), on_delete=models.PROTECT,
                                  related_name="pairings_received")
    recipient_division = models.ForeignKey(
        AdminDivision, verbose_name=_("recipient division"), on_delete=models.PROTECT, related_name="pairings"
    )
    level = models.CharField(_("level"), max_length=30, choices=PairingLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent pairing"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="sub_pairings",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    note = models.TextField(_("note"), blank=True)

    restrict_paths = ("supporter_id", "recipient_id")
    label_related = ("supporter", "recipient", "programme")  # what __str__ reads
    # ... and the only fields it reads: a filter's list of 1,200 pairings loads just these
    label_only = ("valid_from", "valid_to", "supporter", "supporter__name", "recipient", "recipient__name",
                  "programme", "programme__name")

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["programme", "valid_from"]
        constraints = [
            _period_check("pairing_valid_period"),
            models.UniqueConstraint(
                fields=["programme", "supporter", "recipient", "valid_from"], name="pairing_unique_start",
                violation_error_message=_("This pairing already starts on this date."),
            ),
        ]

    def __str__(self):
        end = self.valid_to.year if self.valid_to else ""
        return f"{self.supporter} → {self.recipient} · {self.programme.name} ({self.valid_from.year}–{end})"

    @property
    def short_label(self) -> str:
        return f"{self.supporter} → {self.recipient}"

    def clean(self):
        errors = {}
        if self.supporter_id and self.supporter_id == self.recipient_id:
            errors["recipient"] = _("The recipient must differ from the supporter.")
        parent = self.parent
        if parent is not None:
            if self.programme_id and parent.programme_id != self.programme_id:
                errors["parent"] = _("A sub-pairing belongs to its parent's programme.")
            elif self.recipient_id and parent.recipient_id != self.recipient_id:
                errors["parent"] = _("A sub-pairing supports its parent's recipient.")
            elif self.valid_from and (
                self.valid_from < parent.valid_from
                or (parent.valid_to and (self.valid_to is None or self.valid_to > parent.valid_to))
            ):
                errors["valid_from"] = _("A sub-pairing lies inside its parent's period.")
        if self.programme_id and self.valid_from and self.valid_from < self.programme.started_on:
            errors["valid_from"] = _("A pairing cannot start before its programme ({date}).").format(
                date=self.programme.started_on
            )
        if errors:
            raise ValidationError(errors)

    def covers_year(self, year: int) -> bool:
        return self.valid_from.year <= year and (self.valid_to is None or year <= self.valid_to.year)
