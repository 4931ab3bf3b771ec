from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin, AuditedTabularInline

from .models import Document, Indicator, KeyTask, MemberUnitDuty, Plan, PlanEnvelope, Target

__all__ = [
    "DocumentAdmin",
    "IndicatorAdmin",
    "KeyTaskAdmin",
    "MemberUnitDutyAdmin",
    "PlanAdmin",
    "PlanEnvelopeAdmin",
    "TargetAdmin",
]

RECORD_FIELDSET = (_("Source"), {"fields": ("source", "is_illustrative")})


@admin.register(KeyTask)
class KeyTaskAdmin(AuditedModelAdmin):
    list_display = ("order", "code", "name", "name_en")
    list_display_links = ("code", "name")
    search_fields = ("code", "name", "name_en")


class PlanEnvelopeInline(AuditedTabularInline):
    model = PlanEnvelope
    fields = ("stream", "amount", "basis", "is_illustrative")


class TargetInline(AuditedTabularInline):
    model = Target
    fields = ("indicator", "key_task", "year", "direction", "value", "note", "is_illustrative")


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ("title", "kind", "programme", "pairing_short", "start_year", "end_year", "doc_no", "issued_on")
    list_filter = ("kind", "programme", "pairing", "start_year")
    search_fields = ("title", "doc_no")
    list_select_related = ("programme",)
    autocomplete_fields = ("pairing", "parent", "issuers")
    filter_horizontal = ("key_tasks",)
    inlines = (PlanEnvelopeInline, TargetInline)
    fieldsets = (
        (None, {"fields": ("kind", "title", "programme", "pairing", "parent", "start_year", "end_year")}),
        (_("Issue"), {"fields": ("issuers", "issued_on", "doc_no")}),
        (_("Content"), {"fields": ("overall_requirements", "main_goals", "safeguards", "key_tasks")}),
        RECORD_FIELDSET,
    )


@admin.register(PlanEnvelope)
class PlanEnvelopeAdmin(AuditedModelAdmin):
    list_display = ("plan", "stream", "amount")
    list_filter = ("stream",)
    search_fields = ("plan__title",)
    list_select_related = ("plan",)
    autocomplete_fields = ("plan",)


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ("key", "unit")
    search_fields = ("key", "description")


@admin.register(Target)
class TargetAdmin(AuditedModelAdmin):
    list_display = ("indicator", "plan", "key_task", "year", "direction", "value")
    list_filter = ("key_task", "direction", "year")
    search_fields = ("indicator__key", "plan__title", "note")
    list_select_related = ("indicator", "plan", "key_task")
    autocomplete_fields = ("plan", "indicator")


@admin.register(Document)
class DocumentAdmin(AuditedModelAdmin):
    list_display = ("title", "kind", "pairing_short", "doc_no", "issued_on", "is_public")
    list_filter = ("kind", "is_public", "pairing")
    search_fields = ("title", "doc_no", "summary")
    autocomplete_fields = ("pairing", "plan")
    date_hierarchy = "issued_on"
    fieldsets = (
        (None, {"fields": ("kind", "title", "pairing", "plan", "doc_no", "issued_on")}),
        (_("Text"), {"fields": ("is_public", "url", "summary")}),
        RECORD_FIELDSET,
    )


@admin.register(MemberUnitDuty)
class MemberUnitDutyAdmin(AuditedModelAdmin):
    list_display = ("member_unit", "duty_short", "pairing_short", "key_task", "field")
    list_filter = ("key_task", "pairing")
    search_fields = ("duty", "field", "member_unit__name")
    list_select_related = ("member_unit", "key_task")
    autocomplete_fields = ("pairing", "member_unit", "document")

    @admin.display(description=_("duty"), ordering="duty")
    def duty_short(self, obj):
        return Truncator(obj.duty).chars(60)
