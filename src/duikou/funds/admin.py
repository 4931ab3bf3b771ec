from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin

from .models import FundAllocation, FundTransaction
from .validators import fund_transaction_breaches

__all__ = ["FundAllocationAdmin", "FundTransactionAdmin", "MoneyInvariantsMixin"]

SEARCH = ("doc_no", "note", "account", "project__code", "project__name")


class MoneyInvariantsMixin:
    """Saves run the money invariants through ``FundTransaction.clean`` (the admin's form calls
    ``full_clean``); a row whose deletion would break one (a remittance that expenditure relies on)
    offers no delete, and the delete page and the bulk delete refuse it."""

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not fund_transaction_breaches(obj, deleting=True)


@admin.register(FundTransaction)
class FundTransactionAdmin(MoneyInvariantsMixin, AuditedModelAdmin):
    """Every step of money; the two streams are filtered, never added up."""

    list_display = ("kind", "year", "date", "stream", "level", "amount", "pairing_short", "project", "doc_no")
    list_filter = ("kind", "stream", "level", "year", "pairing")
    search_fields = SEARCH
    list_select_related = ("project",)
    autocomplete_fields = ("pairing", "project", "allocation")
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("kind", "pairing", "project", "allocation", "stream", "level", "year", "date", "amount",
                           "is_management_fee")}),
        (_("Documents"), {"fields": ("doc_no", "account", "note")}),
        (_("Source"), {"fields": ("source", "is_illustrative")}),
    )


@admin.register(FundAllocation)
class FundAllocationAdmin(MoneyInvariantsMixin, AuditedModelAdmin):
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
