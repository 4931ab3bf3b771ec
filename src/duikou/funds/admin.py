from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin

from .models import FundAllocation, FundTransaction

__all__ = ["FundAllocationAdmin", "FundTransactionAdmin"]

SEARCH = ("doc_no", "note", "account", "project__code", "project__name")

@admin.register(FundTransaction)
class FundTransactionAdmin(AuditedModelAdmin):
    """Every step of money; the two streams are filtered, never added up."""

    list_display = ("kind", "year", "date", "stream", "level", "amount", "pairing_short", "project", "doc_no")
    list_filter = ("kind", "stream", "level", "year", "pairing")
    search_fields = SEARCH
    list_select_related = ("project",)
    autocomplete_fields = ("pairing", "project", "allocation")
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("kind", "pairing", "project", "allocation", "stream", "level", "year", "date", "amount")}),
        (_("Documents"), {"fields": ("doc_no", "account", "note")}),
        (_("Source"), {"fields": ("source", "is_illustrative")}),
    )


@admin.register(FundAllocation)
class FundAllocationAdmin(AuditedModelAdmin):
    """Allocations (计划下达) only: the kind is fixed and an allocation draws on nothing."""

    list_display = ("year", "pairing_short", "project", "stream", "level", "amount", "doc_no", "date")
    list_filter = ("year", "stream", "level", "pairing")
    search_fields = SEARCH
    list_select_related = ("project",)
    autocomplete_fields = ("pairing", "project")
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("pairing", "project", "stream", "level", "year", "date", "amount")}),
        (_("Documents"), {"fields": ("doc_no", "account", "note")}),
        (_("Source"), {"fields": ("source", "is_illustrative")}),
    )
