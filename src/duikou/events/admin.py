from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin

from .models import Event

__all__ = ["EventAdmin"]


@admin.register(Event)
class EventAdmin(AuditedModelAdmin):
    list_display = ("date", "title", "kind", "programme", "pairing_short", "place")
    list_filter = ("kind", "programme", "pairing")
    search_fields = ("title", "place", "speakers", "participants", "summary")
    list_select_related = ("programme",)
    autocomplete_fields = ("pairing", "place_division", "organisers")
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("kind", "title", "programme", "pairing", "date", "place_division", "place")}),
        (_("Organisers and participants"), {"fields": ("organisers", "speakers", "participants")}),
        (_("Content"), {"fields": ("summary",)}),
        (_("Source"), {"fields": ("source", "is_illustrative")}),
    )
