from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from duikou.core.constraints import not_negative
from duikou.core.models import RecordModel
from duikou.organisations.models import Organisation, Pairing
from duikou.people.models import Secondment

__all__ = ["CooperationAgreement", "EnterpriseIntroduction"]

PAIRING_PATHS = ("pairing__supporter_id", "pairing__recipient_id")


class EnterpriseIntroduction(RecordModel):
    """An enterprise brought to the recipient (招商引资): from lead to landed, with the amounts
    agreed and paid in (经济合作 stream, never added to free aid) and the jobs created."""

    class Status(models.TextChoices):
        LEAD = "lead", _("lead")
        VISITED = "visited", _("visited")
        AGREED = "agreed", _("agreement signed")
        LANDED = "landed", _("landed")
        DROPPED = "dropped", _("dropped")

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="enterprise_introductions")
    enterprise = models.ForeignKey(Organisation, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="introductions", limit_choices_to={"kind": "enterprise"})
    introduced_on = models.DateField(_("introduced on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.LANDED)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreed_amount = models.DecimalField(_("agreed investment (yuan)"), max_digits=18, decimal_places=2,
                                        null=True, blank=True)
    paid_in_amount = models.DecimalField(_("paid-in investment (yuan)"), max_digits=18, decimal_places=2,
                                         null=True, blank=True)
    jobs = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    responsible_cadre = models.ForeignKey(Secondment, verbose_name=_("responsible cadre"), null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="enterprises_introduced")
    note = models.TextField(_("note"), blank=True)

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("enterprise introduction")
        verbose_name_plural = _("enterprise introductions")
        ordering = ["-introduced_on"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "enterprise"], name="introduction_unique",
                                    violation_error_message=_("This enterprise is already recorded for this pairing.")),
            not_negative("introduction_agreed_not_negative", "agreed_amount", nullable=True),
            not_negative("introduction_paid_in_not_negative", "paid_in_amount", nullable=True),
        ]

    def __str__(self):
        return str(self.enterprise)

    def clean(self):
        errors = {}
        if self.enterprise_id and self.enterprise.kind != "enterprise":
            errors["enterprise"] = _("Choose an enterprise.")
        if self.pairing_id and self.introduced_on and not self.pairing.covers_year(self.introduced_on.year):
            errors["introduced_on"] = _("The date lies outside the pairing's period.")
        if self.agreement_signed_on and self.introduced_on and self.agreement_signed_on < self.introduced_on:
            errors["agreement_signed_on"] = _("The agreement cannot be signed before the introduction.")
        if errors:
            raise ValidationError(errors)


class CooperationAgreement(RecordModel):
    """A cooperation agreement: strategic agreement, clinical cooperation base, school or hospital pairing…"""

    class Kind(models.TextChoices):
        STRATEGIC = "strategic", _("strategic cooperation agreement")
        CLINICAL_BASE = "clinical_base", _("clinical cooperation base")
        UNIVERSITY = "university", _("university cooperation")
        HOSPITAL = "hospital", _("hospital cooperation")
        ENTERPRISE = "enterprise", _("enterprise cooperation")
        OTHER = "other", _("other")

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="cooperation_agreements")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parties = models.ManyToManyField(Organisation, verbose_name=_("parties"), related_name="cooperation_agreements")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_year = models.PositiveSmallIntegerField(_("year signed"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    content = models.TextField(_("agreed matters"), blank=True)
    progress = models.TextField(_("progress"), blank=True)

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_year", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.signed_on and self.signed_year and self.signed_on.year != self.signed_year:
            errors["signed_year"] = _("The year differs from the signing date.")
        if self.signed_on and self.valid_until and self.valid_until < self.signed_on:
            errors["valid_until"] = _("The end must not be before the start.")
        if errors:
            raise ValidationError(errors)
