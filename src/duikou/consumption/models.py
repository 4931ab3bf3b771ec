from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from duikou.core.constraints import ends_after, not_negative, positive
from duikou.core.models import RecordModel
from duikou.organisations.models import AdminDivision, Organisation, Pairing

__all__ = ["CatalogueListing", "Product", "SalesChannel", "SalesContract", "SalesRecord", "Supplier"]

PAIRING_PATHS = ("pairing__supporter_id", "pairing__recipient_id")


class Supplier(RecordModel):
    """A producer in the recipient county (企业/合作社/家庭农场) that sells through assistance channels."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="suppliers")
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    division = models.ForeignKey(AdminDivision, verbose_name=_("registered in"), on_delete=models.PROTECT,
                                 related_name="suppliers")
    linkage = models.CharField(_("farmer linkage (联农带农)"), max_length=200, blank=True)
    households = models.PositiveIntegerField(_("households linked"), null=True, blank=True)

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["pairing", "name"], name="supplier_unique_name",
                                               violation_error_message=_("This supplier exists already."))]

    def __str__(self):
        return self.name


class Product(RecordModel):
    """A product from the recipient county (巴东县特色农产品)."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="products")
    name = models.CharField(_("name"), max_length=200)
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="products")
    origin_division = models.ForeignKey(AdminDivision, verbose_name=_("origin"), on_delete=models.PROTECT,
                                        related_name="products")
    category = models.CharField(_("category"), max_length=50, blank=True)
    in_supporter_system = models.BooleanField(_("in the supporter's consumption-assistance system"), default=False)
    quality_labels = models.CharField(_("quality labels"), max_length=200, blank=True)

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["pairing", "name"], name="product_unique_name",
                                               violation_error_message=_("This product exists already."))]

    def __str__(self):
        return self.name

    def clean(self):
        if self.pairing_id and self.origin_division_id and not self.origin_division.code.startswith(
            self.pairing.recipient_division.code_prefix
        ):
            raise ValidationError({"origin_division": _("The product must come from the recipient county.")})


class SalesChannel(RecordModel):
    """Where products are sold: a 帮扶馆, a promotion, the procurement catalogue, a city market…"""

    class Kind(models.TextChoices):
        PAVILION = "pavilion", _("assistance pavilion (帮扶馆)")
        PROMOTION = "promotion", _("promotion event (推介活动)")
        CATALOGUE = "catalogue", _("centralized procurement catalogue (集中采购目录)")
        MARKET = "market", _("city market")
        COUNTER = "counter", _("counter (专柜)")
        PLATFORM_832 = "platform_832", _("832 platform")
        CANTEEN = "canteen", _("canteen")
        UNION = "union", _("trade union")
        ONLINE = "online", _("online / live-stream")

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="sales_channels")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    market_division = models.ForeignKey(AdminDivision, verbose_name=_("market"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="sales_channels")
    operator = models.ForeignKey(Organisation, verbose_name=_("operator"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="sales_channels")
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "name"], name="channel_unique_name",
                                    violation_error_message=_("This channel exists already.")),
            ends_after("channel_dates", "opened_on", "closed_on"),
        ]

    def __str__(self):
        return self.name


class CatalogueListing(RecordModel):
    """A product listed in a catalogue channel (集中采购目录) for a period."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE,
                                related_name="listings")
    channel = models.ForeignKey(SalesChannel, verbose_name=_("catalogue"), on_delete=models.CASCADE,
                                related_name="listings")
    listed_on = models.DateField(_("listed on"))
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)

    restrict_paths = ("product__pairing__supporter_id", "product__pairing__recipient_id")

    class Meta:
        verbose_name = _("catalogue listing")
        verbose_name_plural = _("catalogue listings")
        constraints = [
            models.UniqueConstraint(fields=["product", "channel", "listed_on"], name="listing_unique",
                                    violation_error_message=_("This listing exists already.")),
            ends_after("listing_dates", "listed_on", "delisted_on"),
        ]

    def __str__(self):
        return f"{self.product} @ {self.channel}"

    def clean(self):
        if self.channel_id and self.channel.kind != SalesChannel.Kind.CATALOGUE:
            raise ValidationError({"channel": _("Choose a catalogue channel.")})


class SalesRecord(RecordModel):
    """A sale of a recipient product through a channel, in a market (消费帮扶 ledger row)."""

    class BuyerType(models.TextChoices):
        BUDGET_UNIT = "budget_unit", _("budget unit")
        STATE_ENTERPRISE = "state_enterprise", _("state-owned enterprise")
        UNION = "union", _("trade union")
        PUBLIC = "public", _("general public")

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="sales_records")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="sales")
    channel = models.ForeignKey(SalesChannel, verbose_name=_("channel"), on_delete=models.PROTECT,
                                related_name="sales")
    market_division = models.ForeignKey(AdminDivision, verbose_name=_("market"), on_delete=models.PROTECT,
                                         related_name="sales_records")
    date = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=2)
    buyer = models.CharField(_("buyer"), max_length=200, blank=True)
    buyer_type = models.CharField(_("buyer type"), max_length=20, choices=BuyerType.choices, blank=True)

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("sales record")
        verbose_name_plural = _("sales records")
        ordering = ["-date"]
        constraints = [
            not_negative("sales_amount_not_negative", "amount"),
            not_negative("sales_quantity_not_negative", "quantity", _("The quantity must not be negative."),
                         nullable=True),
        ]
        indexes = [models.Index(fields=["pairing", "date"], name="sales_pairing_date_idx")]

    def __str__(self):
        return f"{self.date} {self.product} {self.amount}"

    def clean(self):
        errors = {}
        if self.product_id and self.pairing_id and self.product.pairing_id != self.pairing_id:
            errors["product"] = _("The product belongs to another pairing.")
        if self.channel_id and self.pairing_id and self.channel.pairing_id != self.pairing_id:
            errors["channel"] = _("The channel belongs to another pairing.")
        if errors:
            raise ValidationError(errors)


class SalesContract(RecordModel):
    """A sales contract for a recipient product in a market (合同销售金额), e.g. 神农溪富锶矿泉水.

    Market sales of an aided firm are an outcome, not 消费帮扶 (domain guide §9)."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="sales_contracts")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT,
                                related_name="contracts")
    buyer = models.CharField(_("buyer"), max_length=200)
    market_division = models.ForeignKey(AdminDivision, verbose_name=_("market"), on_delete=models.PROTECT,
                                        related_name="sales_contracts")
    signed_on = models.DateField(_("signed on"))
    amount = models.DecimalField(_("contract amount (yuan)"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("sales contract")
        verbose_name_plural = _("sales contracts")
        ordering = ["-signed_on"]
        constraints = [positive("contract_amount_positive", "amount")]

    def __str__(self):
        return f"{self.product} · {self.buyer}"
