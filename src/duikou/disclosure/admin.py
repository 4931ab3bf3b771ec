from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin, AuditedTabularInline

from .models import Disclosure, Objection

__all__ = ["DisclosureAdmin", "ObjectionAdmin"]


class ObjectionInline(AuditedTabularInline):
    model = Objection
    fields = ("received_on", "summary", "decision", "decided_on", "resolution")
    extra = 0


@admin.register(Disclosure)
class DisclosureAdmin(AuditedModelAdmin):
    """Drafts are edited here as on the web pages; publishing and withdrawing are actions of the
    notice's web page (they build and freeze the content), so the status and the snapshot are
    read-only here, and the model refuses changes to what a published notice shows."""

    list_display = ("title", "kind", "project", "pairing", "year", "start_date", "end_date", "status")
    list_display_links = ("title",)
    list_filter = ("kind", "status", "level", "year")
    search_fields = ("title", "project__code", "project__name", "note")
    list_select_related = ("project", "pairing__supporter", "pairing__recipient", "pairing__programme")
    autocomplete_fields = ("pairing", "project", "plan", "issuer")
    readonly_fields = ("status", "content_snapshot", "published_on", "published_by", "withdrawn_on",
                       "withdrawal_reason")
    inlines = (ObjectionInline,)
    fieldsets = (
        (None, {"fields": ("kind", "pairing", "project", "plan", "year", "title", "level", "channels")}),
        (_("Period"), {"fields": ("start_date", "end_date", "supervision_phone", "issuer", "note")}),
        (_("Publication"), {"fields": ("status", "published_on", "published_by", "withdrawn_on",
                                       "withdrawal_reason", "content_snapshot")}),
        (_("Source"), {"fields": ("source", "is_illustrative")}),
    )


@admin.register(Objection)
class ObjectionAdmin(AuditedModelAdmin):
    list_display = ("received_on", "disclosure", "decision", "decided_on")
    list_filter = ("decision",)
    search_fields = ("summary", "resolution", "disclosure__title", "disclosure__project__code")
    list_select_related = ("disclosure",)
    autocomplete_fields = ("disclosure",)
