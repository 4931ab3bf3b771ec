from django.contrib import admin

from duikou.audit.admin_base import AuditedModelAdmin, AuditedTabularInline

from .models import CatalogueListing, Product, SalesChannel, SalesContract, SalesRecord, Supplier

__all__ = [
    "CatalogueListingAdmin",
    "ProductAdmin",
    "SalesChannelAdmin",
    "SalesContractAdmin",
    "SalesRecordAdmin",
    "SupplierAdmin",
]


@admin.register(Supplier)
class SupplierAdmin(AuditedModelAdmin):
    list_display = ("name", "credit_code", "division", "linkage", "households", "pairing_short")
    list_filter = ("pairing",)
    search_fields = ("name", "credit_code", "linkage")
    list_select_related = ("division",)
    autocomplete_fields = ("pairing", "division")


class CatalogueListingInline(AuditedTabularInline):
    model = CatalogueListing
    fields = ("channel", "listed_on", "delisted_on", "is_illustrative")


@admin.register(Product)
class ProductAdmin(AuditedModelAdmin):
    list_display = ("name", "category", "supplier", "origin_division", "in_supporter_system", "quality_labels",
                    "pairing_short")
    list_filter = ("in_supporter_system", "category", "pairing")
    search_fields = ("name", "category", "quality_labels", "supplier__name")
    list_select_related = ("supplier", "origin_division")
    autocomplete_fields = ("pairing", "supplier", "origin_division")
    inlines = (CatalogueListingInline,)


@admin.register(SalesChannel)
class SalesChannelAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "market_division", "operator", "opened_on", "closed_on", "pairing_short")
    list_filter = ("kind", "pairing")
    search_fields = ("name", "operator__name", "market_division__name")
    list_select_related = ("market_division", "operator")
    autocomplete_fields = ("pairing", "market_division", "operator")


@admin.register(CatalogueListing)
class CatalogueListingAdmin(AuditedModelAdmin):
    list_display = ("product", "channel", "listed_on", "delisted_on")
    list_filter = ("channel",)
    search_fields = ("product__name", "channel__name")
    list_select_related = ("product", "channel")
    autocomplete_fields = ("product", "channel")


@admin.register(SalesRecord)
class SalesRecordAdmin(AuditedModelAdmin):
    list_display = ("date", "product", "channel", "market_division", "quantity", "unit", "amount", "buyer",
                    "buyer_type")
    list_filter = ("buyer_type", "channel", "pairing")
    search_fields = ("product__name", "channel__name", "buyer")
    list_select_related = ("product", "channel", "market_division")
    autocomplete_fields = ("pairing", "product", "channel", "market_division")
    date_hierarchy = "date"


@admin.register(SalesContract)
class SalesContractAdmin(AuditedModelAdmin):
    list_display = ("signed_on", "product", "buyer", "market_division", "amount", "pairing_short")
    list_filter = ("pairing",)
    search_fields = ("product__name", "buyer", "note")
    list_select_related = ("product", "market_division")
    autocomplete_fields = ("pairing", "product", "market_division")
    date_hierarchy = "signed_on"
