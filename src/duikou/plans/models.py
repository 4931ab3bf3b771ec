from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from duikou.core.choices import FundStream
from duikou.core.constraints import ends_after, not_negative, year_range
from duikou.core.models import BaseModel, RecordModel
from duikou.organisations.models import Organisation, Pairing, Programme

from .choices import DocumentKind, PlanKind, TargetDirection

__all__ = ["Document", "Indicator", "KeyTask", "MemberUnitDuty", "Plan", "PlanEnvelope", "Target"]

PAIRING_PATHS = ("pairing__supporter_id", "pairing__recipient_id")
LAST_BEFORE_FIRST = _("The last year must not be before the first year.")


class KeyTask(BaseModel):
    """One of the five key tasks of the national plan (``ecology``, ``industry`` …)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    restrict_public_view = True

    class Meta:
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        ordering = ["order"]

    def __str__(self):
        """The name in the active language (Chinese unless English is chosen and given)."""
        english = (get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


class Plan(RecordModel):
    """National plan → pairing five-year plan → annual plan; thematic plans may cross the boundary."""

    kind = models.CharField(_("kind"), max_length=30, choices=PlanKind.choices)
    title = models.CharField(_("title"), max_length=300)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="plans")
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), null=True, blank=True, on_delete=models.PROTECT, related_name="plans",
        help_text=_("Empty for a national plan."),
    )
    parent = models.ForeignKey("self", verbose_name=_("parent plan"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    issuers = models.ManyToManyField(Organisation, verbose_name=_("issued by"), blank=True, related_name="plans_issued")
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    doc_no = models.CharField(_("document number"), max_length=100, blank=True)
    overall_requirements = models.TextField(_("overall requirements"), blank=True)
    main_goals = models.TextField(_("main goals"), blank=True)
    safeguards = models.TextField(_("safeguards"), blank=True)
    key_tasks = models.ManyToManyField(KeyTask, verbose_name=_("key tasks"), blank=True, related_name="plans")

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["start_year", "kind"]
        constraints = [
            ends_after("plan_years_order", "start_year", "end_year", LAST_BEFORE_FIRST, nullable=False),
            year_range("plan_start_year_range", "start_year", _("The first year must lie between 1949 and 2100.")),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.kind == PlanKind.NATIONAL and self.pairing_id:
            errors["pairing"] = _("A national plan belongs to no pairing.")
        if self.kind != PlanKind.NATIONAL and not self.pairing_id:
            errors["pairing"] = _("This kind of plan belongs to a pairing.")
        if self.kind == PlanKind.ANNUAL and self.start_year != self.end_year:
            errors["end_year"] = _("An annual plan covers one year.")
        if self.pairing_id and self.start_year and not self.pairing.covers_year(self.start_year):
            errors["start_year"] = _("The plan starts outside its pairing's period.")
        if self.parent_id and self.start_year and self.end_year and self.kind != PlanKind.THEMATIC:
            if self.start_year < self.parent.start_year or self.end_year > self.parent.end_year:
                errors["parent"] = _("The plan's years lie outside its parent plan ({start}–{end}).").format(
                    start=self.parent.start_year, end=self.parent.end_year
                )
        if errors:
            raise ValidationError(errors)


class PlanEnvelope(RecordModel):
    """The money a plan expects for its whole period (e.g. 2.6亿元 for 2021–2025), one per stream."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="envelopes")
    stream = models.CharField(_("fund stream"), max_length=10, choices=FundStream.choices, default=FundStream.GRANT)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=2)
    basis = models.TextField(_("basis"), blank=True, help_text=_("How the amount was set."))

    restrict_paths = ("plan__pairing__supporter_id", "plan__pairing__recipient_id")

    class Meta:
        verbose_name = _("plan envelope")
        verbose_name_plural = _("plan envelopes")
        constraints = [
            not_negative("envelope_amount_not_negative", "amount"),
            models.UniqueConstraint(fields=["plan", "stream"], name="envelope_one_per_stream",
                                    violation_error_message=_("This plan already has an envelope for this stream.")),
        ]

    def __str__(self):
        return f"{self.plan} · {self.get_stream_display()}"


class Indicator(BaseModel):
    """A measured quantity that plans set targets for (keys are the Chinese names verbatim)."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    unit = models.CharField(_("unit"), max_length=20)
    description = models.TextField(_("description"), blank=True)

    restrict_public_view = True

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} ({self.unit})"


class Target(RecordModel):
    """A plan's target for one indicator, for the whole plan or one year, optionally under a key task."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="targets")
    key_task = models.ForeignKey(KeyTask, verbose_name=_("key task"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, help_text=_("Empty: the whole plan."))
    direction = models.CharField(_("direction"), max_length=3, choices=TargetDirection.choices,
                                 default=TargetDirection.AT_LEAST)
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    restrict_paths = ("plan__pairing__supporter_id", "plan__pairing__recipient_id")

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "key_task", "year"], name="target_unique",
                                    violation_error_message=_("This plan already has this target.")),
        ]

    def __str__(self):
        return f"{self.indicator.key} {self.get_direction_display()} {self.value}"

    def clean(self):
        if self.year is not None and self.plan_id and not (self.plan.start_year <= self.year <= self.plan.end_year):
            raise ValidationError({"year": _("The year lies outside the plan's period.")})


class Document(RecordModel):
    """A joint document: a plan text, the fund-management measures, an assignment of duties…"""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="documents")
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="documents")
    doc_no = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    is_public = models.BooleanField(_("public text"), default=False)
    url = models.URLField(_("link"), blank=True)
    summary = models.TextField(_("summary"), blank=True)

    restrict_paths = PAIRING_PATHS
    restrict_public_view = False

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "title"]

    def __str__(self):
        return self.title


class MemberUnitDuty(RecordModel):
    """A duty the pairing assigns to a member unit (成员单位职责任务)."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="member_unit_duties")
    member_unit = models.ForeignKey(Organisation, verbose_name=_("member unit"), on_delete=models.PROTECT,
                                    related_name="duties")
    key_task = models.ForeignKey(KeyTask, verbose_name=_("key task"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="duties")
    field = models.CharField(_("field of work"), max_length=50, blank=True)
    duty = models.TextField(_("duty"))
    document = models.ForeignKey(Document, verbose_name=_("document"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="duties")

    restrict_paths = PAIRING_PATHS + ("member_unit_id",)

    class Meta:
        verbose_name = _("member unit duty")
        verbose_name_plural = _("member unit duties")
        ordering = ["pairing", "member_unit"]

    def __str__(self):
        return f"{self.member_unit}: {self.duty[:40]}"

    def clean(self):
        """A member unit works for one side of the pairing: it is the supporter or the recipient,
        or an organisation below one of them."""
        if not (self.pairing_id and self.member_unit_id):
            return
        sides = {self.pairing.supporter_id, self.pairing.recipient_id}
        org, seen = self.member_unit, set()
        while org is not None and org.pk not in seen:
            if org.pk in sides:
                return
            seen.add(org.pk)
            org = org.parent
        raise ValidationError({"member_unit": _("The member unit belongs to neither side of the pairing.")})
