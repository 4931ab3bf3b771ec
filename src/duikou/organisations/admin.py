from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin, AuditedTabularInline

from .models import AdminDivision, Organisation, OrganisationName, Pairing, Programme

__all__ = ["AdminDivisionAdmin", "OrganisationAdmin", "OrganisationNameAdmin", "PairingAdmin", "ProgrammeAdmin"]

RECORD_FIELDSET = (_("Source"), {"fields": ("source", "is_illustrative")})


@admin.register(AdminDivision)
class AdminDivisionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to", "is_statistical_only")
    list_filter = ("level", "is_statistical_only")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent", "successor")
    ordering = ("code",)


class OrganisationNameInline(AuditedTabularInline):
    model = OrganisationName
    fields = ("name", "valid_from", "valid_to", "source")


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("name", "short_name", "kind", "division", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "credit_code", "names__name")
    list_select_related = ("division", "parent")
    autocomplete_fields = ("division", "parent", "successor")
    inlines = (OrganisationNameInline,)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "division", "parent", "credit_code")}),
        (_("Validity"), {"fields": ("valid_from", "valid_to", "successor")}),
        RECORD_FIELDSET,
    )


@admin.register(OrganisationName)
class OrganisationNameAdmin(AuditedModelAdmin):
    list_display = ("name", "organisation", "valid_from", "valid_to")
    search_fields = ("name", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "kind", "started_on", "ended_on")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    autocomplete_fields = ("lead_organisations", "covered_divisions")
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "started_on", "ended_on", "lead_organisations",
                           "covered_divisions", "description")}),
        RECORD_FIELDSET,
    )


@admin.register(Pairing)
class PairingAdmin(AuditedModelAdmin):
    list_display = ("__str__", "programme", "level", "recipient_division", "valid_from", "valid_to", "round", "parent")
    list_filter = ("programme", "level", "supporter", "recipient")
    search_fields = (
        "supporter__name", "supporter__short_name", "recipient__name", "recipient__short_name",
        "recipient_division__name", "recipient_division__code",
    )
    list_select_related = ("programme", "supporter", "recipient", "recipient_division", "parent__supporter",
                           "parent__recipient", "parent__programme")
    autocomplete_fields = ("supporter", "recipient", "recipient_division", "parent")
    fieldsets = (
        (None, {"fields": ("programme", "supporter", "recipient", "recipient_division", "level", "parent")}),
        (_("Period"), {"fields": ("valid_from", "valid_to", "round", "note")}),
        RECORD_FIELDSET,
    )
