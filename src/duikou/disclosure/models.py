from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.core.constraints import ends_after
from duikou.core.models import RecordModel
from duikou.core.privacy import check_publishable, privacy_messages
from duikou.organisations.models import Organisation, Pairing
from duikou.plans.choices import PlanKind
from duikou.plans.models import Plan
from duikou.projects.models import Project

from .choices import KIND_NAMES, DisclosureChannel, DisclosureKind, DisclosureLevel, DisclosureStatus, ObjectionDecision

__all__ = ["FROZEN_FIELDS", "Disclosure", "Objection"]

# What a published disclosure shows: none of it changes after publication (withdraw it and
# publish a new one). ``source``, ``is_illustrative`` and the withdrawal stay editable.
FROZEN_FIELDS = (
    "kind", "pairing", "project", "plan", "year", "title", "level", "channels", "start_date", "end_date",
    "supervision_phone", "issuer", "note", "content_snapshot", "published_on", "published_by",
)

SUPERVISION_HOTLINE = "12317"  # 全国扶贫监督举报电话


class Disclosure(RecordModel):
    """A public notice (公示) or announcement (公告) of a project or of an annual plan.

    A draft shows the content built from the records now; publishing freezes that content in
    ``content_snapshot`` (after the privacy check), and from then on the page and the .docx show
    the snapshot, whatever happens to the records. A published disclosure is withdrawn, never
    edited or deleted.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=DisclosureKind.choices)
    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="disclosures")
    project = models.ForeignKey(Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="disclosures",
                                help_text=_("The project a library, pre-implementation or completion notice is about."))
    plan = models.ForeignKey(Plan, verbose_name=_("annual plan"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="disclosures",
                             help_text=_("For an annual plan announcement: the plan (or leave empty and give the year)."))
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True,
        help_text=_("Empty: the plan's year, the project's first year (its last for a completion announcement)."),
    )
    title = models.CharField(_("title"), max_length=300, blank=True,
                             help_text=_("Empty: 巴东县2025年度对口支援项目库公示 and the like."))
    level = models.CharField(_("level"), max_length=20, choices=DisclosureLevel.choices,
                             default=DisclosureLevel.COUNTY)
    channels = models.JSONField(_("channels"), default=list, blank=True,
                                help_text=_("Where the notice is posted."))
    start_date = models.DateField(_("period from"), null=True, blank=True)
    end_date = models.DateField(_("period to"), null=True, blank=True)
    supervision_phone = models.CharField(_("supervision phone"), max_length=40, default=SUPERVISION_HOTLINE)
    issuer = models.ForeignKey(Organisation, verbose_name=_("issued by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="disclosures_issued",
                               help_text=_("Empty: the pairing's recipient."))
    note = models.TextField(_("further remarks"), blank=True, help_text=_("Printed at the end of the notice."))
    status = models.CharField(_("status"), max_length=20, choices=DisclosureStatus.choices,
                              default=DisclosureStatus.DRAFT)
    content_snapshot = models.JSONField(_("content as published"), default=dict, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    restrict_paths = ("pairing__supporter_id", "pairing__recipient_id")

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-start_date", "-id"]
        constraints = [
            ends_after("disclosure_period_order", "start_date", "end_date",
                       _("The period must not end before it starts.")),
            models.UniqueConstraint(
                fields=["kind", "project"], condition=Q(status="published"), name="disclosure_one_published_per_project",
                violation_error_message=_("This project already has a published notice of this kind: withdraw it first."),
            ),
            models.UniqueConstraint(
                fields=["kind", "plan"], condition=Q(status="published"), name="disclosure_one_published_per_plan",
                violation_error_message=_("This plan already has a published announcement: withdraw it first."),
            ),
        ]
        indexes = [models.Index(fields=["project", "kind", "status"], name="disclosure_project_kind_idx")]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} #{self.pk}"

    def channel_labels(self) -> list[str]:
        labels = dict(DisclosureChannel.choices)
        return [str(labels.get(c, c)) for c in self.channels or []]

    @property
    def is_draft(self) -> bool:
        return self.status == DisclosureStatus.DRAFT

    def default_year(self) -> int | None:
        if self.kind == DisclosureKind.ANNUAL_PLAN:
            return self.plan.start_year if self.plan_id else None
        if self.project_id:
            return self.project.end_year if self.kind == DisclosureKind.COMPLETION else self.project.start_year
        return None

    def default_title(self) -> str:
        county = self.pairing.recipient_division.name if self.pairing_id else ""
        return f"{county}{self.year or ''}年度{KIND_NAMES.get(self.kind, '')}"

    def clean(self):
        errors = {}
        self._clean_subject(errors)
        if self.year is None:
            self.year = self.default_year()
        if self.year is None and "plan" not in errors:
            errors["year"] = _("Give the year the announcement is for (or choose the annual plan).")
        elif self.year is not None and self.pairing_id and not self.pairing.covers_year(self.year):
            errors["year"] = _("The year {year} lies outside the pairing's period.").format(year=self.year)
        if not self.title and self.kind and "year" not in errors:
            self.title = self.default_title()
        self._clean_channels(errors)
        self._clean_state(errors)
        if self.pk and not errors:
            self._clean_frozen(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_subject(self, errors):
        pairing_id = self.pairing_id
        if self.kind == DisclosureKind.ANNUAL_PLAN:
            if self.project_id:
                errors["project"] = _("An annual plan announcement is about a plan, not one project: leave it empty.")
            if self.plan_id:
                if self.plan.kind != PlanKind.ANNUAL:
                    errors["plan"] = _("Choose an annual plan.")
                elif pairing_id and self.plan.pairing_id != pairing_id:
                    errors["plan"] = _("The plan belongs to another pairing.")
        elif self.kind:
            if not self.project_id:
                errors["project"] = _("This kind of notice is about one project: choose it.")
            elif pairing_id and self.project.pairing_id != pairing_id:
                errors["project"] = _("The project belongs to another pairing.")
            if self.plan_id:
                errors["plan"] = _("Only an annual plan announcement names a plan.")

    def _clean_channels(self, errors):
        channels = self.channels
        valid = set(DisclosureChannel.values)
        if not isinstance(channels, list) or any(c not in valid for c in channels):
            errors["channels"] = _("Choose channels from the list.")
        elif len(set(channels)) != len(channels):
            errors["channels"] = _("Each channel once.")

    def _clean_state(self, errors):
        if self.status == DisclosureStatus.DRAFT:
            if self.content_snapshot:
                errors["content_snapshot"] = _("A draft has no frozen content: it is taken when the notice is published.")
            return
        for name in ("start_date", "end_date", "published_on"):
            if getattr(self, name) is None:
                errors[name] = _("A published notice has a period and a publication date.")
        if not self.channels and "channels" not in errors:
            errors["channels"] = _("Say where the notice is posted.")
        if not self.content_snapshot:
            errors["content_snapshot"] = _("A published notice keeps the content as published.")
        else:
            found = privacy_messages(check_publishable(self.content_snapshot))
            if found:
                errors["content_snapshot"] = found
        if self.status == DisclosureStatus.WITHDRAWN:
            if not self.withdrawal_reason.strip():
                errors["withdrawal_reason"] = _("Say why the notice is withdrawn.")
            if self.withdrawn_on is None:
                errors["withdrawn_on"] = _("Give the date of the withdrawal.")

    def _clean_frozen(self, errors):
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        if stored is None or stored.status == DisclosureStatus.DRAFT:
            return
        if self.status == DisclosureStatus.DRAFT:
            errors["status"] = _("A published notice does not go back to draft.")
        for name in FROZEN_FIELDS:
            attname = self._meta.get_field(name).attname
            if getattr(stored, attname) != getattr(self, attname):
                errors[name] = _("The notice has been published: what it shows no longer changes. "
                                 "Withdraw it and publish a new one.")
        if stored.status == DisclosureStatus.WITHDRAWN:
            for name in ("status", "withdrawn_on", "withdrawal_reason"):
                if getattr(stored, name) != getattr(self, name):
                    errors[name] = _("The notice has been withdrawn.")


class Objection(RecordModel):
    """An objection (异议) received during a notice's period, and what was decided about it.

    An upheld objection, or one not yet decided, holds up the lifecycle step that waits for the
    notice (see ``duikou.disclosure.guards``)."""

    disclosure = models.ForeignKey(Disclosure, verbose_name=_("disclosure"), on_delete=models.PROTECT,
                                   related_name="objections")
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("what the objection says"))
    decision = models.CharField(_("decision"), max_length=20, choices=ObjectionDecision.choices,
                                default=ObjectionDecision.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True, help_text=_("What was checked and what follows."))

    restrict_paths = ("disclosure__pairing__supporter_id", "disclosure__pairing__recipient_id")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-received_on", "-id"]
        constraints = [
            ends_after("objection_decided_after_received", "received_on", "decided_on",
                       _("The decision must not be before the objection was received.")),
        ]

    def __str__(self):
        return f"{self.received_on} {self.summary[:30]}"

    @property
    def upheld(self) -> bool:
        return self.decision == ObjectionDecision.UPHELD

    def clean(self):
        errors = {}
        if self.disclosure_id:
            disclosure = self.disclosure
            if disclosure.status == DisclosureStatus.DRAFT:
                errors["disclosure"] = _("A draft has not been published: nobody can object to it yet.")
            elif self.received_on and disclosure.start_date and self.received_on < disclosure.start_date:
                errors["received_on"] = _("The notice was published on {date}: an objection comes after that.").format(
                    date=disclosure.start_date
                )
        if self.decision != ObjectionDecision.PENDING and self.decided_on is None:
            errors["decided_on"] = _("Give the date of the decision.")
        if errors:
            raise ValidationError(errors)
