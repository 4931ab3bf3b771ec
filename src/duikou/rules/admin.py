from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin

from .models import Rule

__all__ = ["RuleAdmin"]


@admin.register(Rule)
class RuleAdmin(AuditedModelAdmin):
    """The rules in force, by key and scope. A change of a rule from a year on is a new row with the
    old one ending the year before (``rule_set_from_year``); overlapping rows are refused."""

    list_display = ("key", "value", "programme", "supporter", "recipient", "valid_from_year", "valid_to_year",
                    "is_blocking")
    list_filter = ("key", "programme", "is_blocking", "valid_from_year")
    search_fields = ("key", "value", "note", "source", "supporter__name", "recipient__name")
    list_select_related = ("programme", "supporter", "recipient")
    autocomplete_fields = ("supporter", "recipient")
    fieldsets = (
        (None, {"fields": ("key", "value", "is_blocking")}),
        (_("Scope"), {"fields": ("programme", "supporter", "recipient", "valid_from_year", "valid_to_year")}),
        (_("Source"), {"fields": ("source", "note", "is_illustrative")}),
    )
