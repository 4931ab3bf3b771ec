"""The consumption-assistance registers (消费帮扶): suppliers, products, sales channels, catalogue
listings, sales records and sales contracts.

The pairing dashboard's consumption card links to ``sales-contracts`` with ``pairing``,
``year_from`` and ``year_to`` (bounding ``signed_on``); the register's total is then the card's
contract sales (``pairing_figures().contract_sales_yuan``).
"""

from django.utils.translation import gettext_lazy as _

from duikou.ui.registers import (
    RECORD_COLUMNS,
    Column,
    Register,
    Related,
    Summary,
    distinct_count,
    pairing_column,
    pairing_joins,
    register,
    sum_of,
)

from .filters import (
    CatalogueListingFilterSet,
    ProductFilterSet,
    SalesChannelFilterSet,
    SalesContractFilterSet,
    SalesRecordFilterSet,
    SupplierFilterSet,
)
from .forms import (
    CatalogueListingForm,
    ProductForm,
    SalesChannelForm,
    SalesContractForm,
    SalesRecordForm,
    SupplierForm,
)
from .models import CatalogueListing, Product, SalesChannel, SalesContract, SalesRecord, Supplier
from .services import (
    catalogue_listing_create,
    catalogue_listing_update,
    product_bulk_create,
    product_create,
    product_update,
    sales_channel_create,
    sales_channel_update,
    sales_contract_create,
    sales_contract_update,
    sales_record_bulk_create,
    sales_record_create,
    sales_record_update,
    supplier_create,
    supplier_update,
)

__all__ = ["initial_with_pairing"]

PAIRING_COLUMN = pairing_column()


def initial_with_pairing(form, **parents):
    """``Register.initial`` for a form whose parent row (``?product=``) also fixes its pairing:
    the query's form fields, and the pairing of the parent named (``parents``: parameter → model)."""

    def initial(request) -> dict:
        data = {k: v for k, v in request.GET.items() if k in form.base_fields}
        for param, model in parents.items():
            pk = str(data.get(param, ""))
            parent = model.objects.restrict(request.user, "view").filter(pk=pk).first() if pk.isdigit() else None
            if parent is not None:
                data.setdefault("pairing", parent.pairing_id)
        return data

    return initial


def _rows(manager, actor, *related, order=()):
    qs = manager.all().restrict(actor, "view").select_related(*related)
    return qs.order_by(*order) if order else qs


LISTING_COLUMNS = [Column("product", link=True), Column("channel"), Column("listed_on"), Column("delisted_on")]
SALES_COLUMNS = [Column("date", link=True), Column("product"), Column("channel"), Column("market_division"),
                 Column("quantity"), Column("unit"), Column("amount")]


register(Register(
    model=Supplier,
    slug="suppliers",
    group="consumption",
    columns=[
        Column("name", link=True),
        PAIRING_COLUMN,
        Column("division", order="division__code"),
        Column("linkage"),
        Column("households"),
        Column("credit_code", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=SupplierFilterSet,
    search=["name", "credit_code", "linkage"],
    form=SupplierForm,
    create=supplier_create,
    update=supplier_update,
    select_related=[*pairing_joins(), "division"],
    summaries=[Summary("households", _("households linked"), sum_of("households"))],
    detail_fields=["name", "pairing", "credit_code", "division", "linkage", "households", "is_illustrative", "source"],
    related=[
        Related(_("Products"), lambda s, actor: _rows(s.products, actor, "origin_division"),
                [Column("name", link=True), Column("category"), Column("origin_division")],
                register="products", add_param="supplier"),
    ],
))

register(Register(
    model=Product,
    slug="products",
    group="consumption",
    columns=[
        Column("name", link=True),
        PAIRING_COLUMN,
        Column("supplier", order="supplier__name"),
        Column("origin_division", order="origin_division__code"),
        Column("category"),
        Column("in_supporter_system"),
        Column("quality_labels", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=ProductFilterSet,
    search=["name", "category", "quality_labels", "supplier__name"],
    form=ProductForm,
    create=product_create,
    bulk_create=product_bulk_create,
    update=product_update,
    select_related=[*pairing_joins(), "supplier", "origin_division"],
    detail_fields=["name", "pairing", "supplier", "origin_division", "category", "in_supporter_system",
                   "quality_labels", "is_illustrative", "source"],
    related=[
        Related(_("Catalogue listings"), lambda p, actor: _rows(p.listings, actor, "product", "channel",
                                                                 order=["listed_on", "id"]),
                LISTING_COLUMNS, register="catalogue-listings", add_param="product"),
        Related(_("Sales records"), lambda p, actor: _rows(p.sales, actor, "product", "channel", "market_division",
                                                            order=["-date", "-id"]),
                SALES_COLUMNS, register="sales-records", add_param="product"),
        Related(_("Sales contracts"), lambda p, actor: _rows(p.contracts, actor, "market_division",
                                                              order=["-signed_on", "-id"]),
                [Column("signed_on", link=True), Column("buyer"), Column("market_division"), Column("amount")],
                register="sales-contracts", add_param="product"),
    ],
    initial=initial_with_pairing(ProductForm, supplier=Supplier),
))

register(Register(
    model=SalesChannel,
    slug="sales-channels",
    group="consumption",
    columns=[
        Column("name", link=True),
        PAIRING_COLUMN,
        Column("kind"),
        Column("market_division", order="market_division__code"),
        Column("operator", order="operator__name"),
        Column("opened_on"),
        Column("closed_on"),
        *RECORD_COLUMNS,
    ],
    filterset=SalesChannelFilterSet,
    search=["name", "operator__name"],
    form=SalesChannelForm,
    create=sales_channel_create,
    update=sales_channel_update,
    select_related=[*pairing_joins(), "market_division", "operator"],
    detail_fields=["name", "pairing", "kind", "market_division", "operator", "opened_on", "closed_on",
                   "is_illustrative", "source"],
    related=[
        Related(_("Catalogue listings"), lambda c, actor: _rows(c.listings, actor, "product", "channel",
                                                                 order=["listed_on", "id"]),
                LISTING_COLUMNS, register="catalogue-listings", add_param="channel"),
        Related(_("Sales records"), lambda c, actor: _rows(c.sales, actor, "product", "channel", "market_division",
                                                            order=["-date", "-id"]),
                SALES_COLUMNS, register="sales-records", add_param="channel"),
    ],
))

register(Register(
    model=CatalogueListing,
    slug="catalogue-listings",
    group="consumption",
    columns=[
        Column("product", link=True, order="product__name"),
        pairing_column("product.pairing"),
        Column("channel", label=_("catalogue"), order="channel__name"),
        Column("listed_on"),
        Column("delisted_on"),
        *RECORD_COLUMNS,
    ],
    filterset=CatalogueListingFilterSet,
    search=["product__name", "channel__name"],
    form=CatalogueListingForm,
    create=catalogue_listing_create,
    update=catalogue_listing_update,
    select_related=[*pairing_joins("product__pairing"), "channel"],
    default_order=["-listed_on"],
    detail_fields=["product", "channel", "listed_on", "delisted_on", "is_illustrative", "source"],
))

register(Register(
    model=SalesRecord,
    slug="sales-records",
    group="consumption",
    columns=[
        Column("date", link=True),
        PAIRING_COLUMN,
        Column("product", order="product__name"),
        Column("channel", order="channel__name"),
        Column("market_division", order="market_division__code"),
        Column("quantity"),
        Column("unit"),
        Column("amount"),
        Column("buyer_type"),
        Column("buyer", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=SalesRecordFilterSet,
    search=["product__name", "channel__name", "buyer"],
    form=SalesRecordForm,
    create=sales_record_create,
    bulk_create=sales_record_bulk_create,
    update=sales_record_update,
    select_related=[*pairing_joins(), "product", "channel", "market_division"],
    total="amount",
    summaries=[Summary("products", _("products sold"), distinct_count("product"))],
    detail_fields=["pairing", "date", "product", "channel", "market_division", "quantity", "unit", "amount", "buyer",
                   "buyer_type", "is_illustrative", "source"],
    initial=initial_with_pairing(SalesRecordForm, product=Product, channel=SalesChannel),
))

register(Register(
    model=SalesContract,
    slug="sales-contracts",
    group="consumption",
    columns=[
        Column("signed_on", link=True),
        PAIRING_COLUMN,
        Column("product", order="product__name"),
        Column("buyer"),
        Column("market_division", order="market_division__code"),
        Column("amount"),
        Column("note", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=SalesContractFilterSet,
    search=["product__name", "buyer", "note"],
    form=SalesContractForm,
    create=sales_contract_create,
    update=sales_contract_update,
    select_related=[*pairing_joins(), "product", "market_division"],
    total="amount",
    detail_fields=["pairing", "signed_on", "product", "buyer", "market_division", "amount", "note", "is_illustrative",
                   "source"],
    initial=initial_with_pairing(SalesContractForm, product=Product),
))
