from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from duikou.core.choices import FundLevel, FundStream
from duikou.core.constraints import positive, year_range
from duikou.core.models import RecordModel, TotalsModel
from duikou.core.querysets import RestrictedQuerySet
from duikou.organisations.models import Pairing
from duikou.projects.models import Project

__all__ = ["FundAllocation", "FundTotal", "FundTransaction"]


class FundTransaction(RecordModel):
    """One step of money: allocation (计划下达), remittance (拨付), receipt (到位), disbursement
    (县级拨付) or expenditure (支出), in Decimal yuan, in one stream and at one level.

    Allocations are the rows with ``kind = allocation`` (see :class:`FundAllocation`); the other
    kinds point at the allocation they draw on when they are for one project. Two kinds record
    approvals rather than money moving: an approved **envelope adjustment** (调整) raises the
    five-year plan's envelope by its amount, and an approved **carry-over** (结转) lets that much of
    the budget year's money be spent after the year. ``is_management_fee`` marks an expenditure
    that is a management fee (项目管理费).

    The money invariants (``validators.fund_transaction_breaches``) run in ``clean()``, so every
    path that validates a row enforces them; the services also lock the pairing first.
    """

    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("allocation (计划下达)")
        REMITTANCE = "remittance", _("remittance (拨付)")
        RECEIPT = "receipt", _("receipt (到位)")
        DISBURSEMENT = "disbursement", _("disbursement (县级拨付)")
        EXPENDITURE = "expenditure", _("expenditure (支出)")
        ADJUSTMENT = "adjustment", _("envelope adjustment (approved 调整)")
        CARRY_OVER = "carry_over", _("carry-over approval (结转)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="fund_transactions")
    project = models.ForeignKey(Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="fund_transactions")
    allocation = models.ForeignKey("self", verbose_name=_("allocation drawn on"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="movements",
                                   limit_choices_to={"kind": "allocation"})
    stream = models.CharField(_("fund stream"), max_length=10, choices=FundStream.choices, default=FundStream.GRANT)
    level = models.CharField(_("level"), max_length=10, choices=FundLevel.choices, default=FundLevel.CITY)
    year = models.PositiveSmallIntegerField(_("budget year"))
    date = models.DateField(_("date"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=2)
    doc_no = models.CharField(_("document or voucher number"), max_length=100, blank=True)
    account = models.CharField(_("account"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_management_fee = models.BooleanField(
        _("management fee"), default=False,
        help_text=_("An expenditure that is a management fee (项目管理费), capped by the rule alloc.max_mgmt_fee."),
    )

    objects = models.Manager.from_queryset(RestrictedQuerySet)()

    restrict_paths = ("pairing__supporter_id", "pairing__recipient_id")

    class Meta:
        verbose_name = _("fund transaction")
        verbose_name_plural = _("fund transactions")
        ordering = ["-year", "kind", "id"]
        constraints = [
            positive("fund_amount_positive", "amount"),
            year_range("fund_year_range", "year", _("The budget year must lie between 1949 and 2100.")),
        ]
        indexes = [
            models.Index(fields=["pairing", "kind", "stream", "year"], name="fund_pairing_kind_idx"),
            # The register's first page (the ordering above) without sorting the whole table (bench/run.py).
            models.Index(fields=["-year", "kind", "id"], name="fund_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} {self.amount}"

    def clean(self):
        errors = {}
        pairing = self.pairing if self.pairing_id else None
        if pairing and self.year and not pairing.covers_year(self.year):
            errors["year"] = _("The year {year} lies outside the pairing's period.").format(year=self.year)
        if self.project_id and pairing and self.project.pairing_id != pairing.pk:
            errors["project"] = _("The project belongs to another pairing.")
        if self.kind == self.Kind.ALLOCATION:
            if self.allocation_id:
                errors["allocation"] = _("An allocation does not draw on another allocation.")
            if self.stream == FundStream.GRANT and not self.project_id:
                errors["project"] = _("A free-aid allocation is made to a project.")
        elif self.allocation_id:
            alloc = self.allocation
            if alloc.kind != self.Kind.ALLOCATION:
                errors["allocation"] = _("Choose an allocation.")
            elif alloc.stream != self.stream:
                errors["stream"] = _("The two fund streams are never mixed: the allocation is {stream}.").format(
                    stream=alloc.get_stream_display()
                )
            elif self.project_id and alloc.project_id != self.project_id:
                errors["allocation"] = _("The allocation is for another project.")
            elif self.pairing_id and alloc.pairing_id != self.pairing_id:
                errors["allocation"] = _("The allocation belongs to another pairing.")
            elif self.year and alloc.year != self.year:
                errors["year"] = _("Money drawn on an allocation keeps its budget year ({year}).").format(
                    year=alloc.year)
        if (self.pk and self.kind != self.Kind.ALLOCATION
                and FundTransaction._base_manager.filter(allocation_id=self.pk).exists()):
            errors["kind"] = _("Money is drawn on this allocation: it stays an allocation.")
        if self.is_management_fee and self.kind != self.Kind.EXPENDITURE:
            errors["is_management_fee"] = _("Only an expenditure is a management fee.")
        if self.kind in (self.Kind.ADJUSTMENT, self.Kind.CARRY_OVER) and not self.doc_no:
            errors["doc_no"] = _("An approval names its document number.")
        if self.kind == self.Kind.ADJUSTMENT and (self.project_id or self.allocation_id):
            errors["project" if self.project_id else "allocation"] = _(
                "An envelope adjustment is for the pairing's plan, not for a project.")
        if errors:
            raise ValidationError(errors)
        from .validators import validate_fund_invariants

        validate_fund_invariants(self)


class AllocationQuerySet(RestrictedQuerySet):
    pass


class AllocationManager(models.Manager.from_queryset(AllocationQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=FundTransaction.Kind.ALLOCATION)


class FundAllocation(FundTransaction):
    """Allocations (计划下达) by year and level to projects: the fund transactions of kind allocation."""

    objects = AllocationManager()
    totals_filter = {"kind": FundTransaction.Kind.ALLOCATION}  # its rows of the fund totals

    class Meta:
        proxy = True
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")

    def full_clean(self, *args, **kwargs):
        self.kind = FundTransaction.Kind.ALLOCATION
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.kind = FundTransaction.Kind.ALLOCATION
        super().save(*args, **kwargs)


class FundTotal(TotalsModel):
    """Register totals of fund transactions (:mod:`duikou.core.totals`): how many and how much per
    pairing, budget year, kind, stream, level and illustrative flag. Kept by the write services."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=FundTransaction.Kind.choices)
    stream = models.CharField(max_length=10, choices=FundStream.choices)
    level = models.CharField(max_length=10, choices=FundLevel.choices)
    is_illustrative = models.BooleanField()

    restrict_paths = FundTransaction.restrict_paths

    class Meta:
        verbose_name = _("fund total")
        verbose_name_plural = _("fund totals")
        constraints = [models.UniqueConstraint(
            fields=["pairing", "year", "kind", "stream", "level", "is_illustrative"], name="fund_total_key")]
