from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin, AuditedTabularInline

from .models import Project, ProjectBeneficiary, ProjectOutput

__all__ = ["ProjectAdmin", "ProjectBeneficiaryAdmin", "ProjectOutputAdmin"]


class ProjectOutputInline(AuditedTabularInline):
    model = ProjectOutput
    fields = ("name", "quantity", "unit", "is_illustrative")


class ProjectBeneficiaryInline(AuditedTabularInline):
    model = ProjectBeneficiary
    fields = ("group", "count", "qualifier", "is_illustrative")


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "pairing_short", "key_task", "work_field", "sector", "start_year", "end_year",
                    "budget", "status")
    list_display_links = ("code", "name")
    list_filter = ("status", "key_task", "work_field", "sector", "start_year", "pairing")
    search_fields = ("code", "name", "location", "location_division__name", "implementing_unit__name")
    list_select_related = ("key_task",)
    autocomplete_fields = ("pairing", "annual_plan", "location_division", "implementing_unit")
    inlines = (ProjectOutputInline, ProjectBeneficiaryInline)
    fieldsets = (
        (None, {"fields": ("code", "name", "pairing", "key_task", "work_field", "sector", "status")}),
        (_("Plan and money"), {"fields": ("annual_plan", "start_year", "end_year", "budget")}),
        (_("Location"), {"fields": ("location_division", "location", "latitude", "longitude")}),
        (_("Implementation"), {"fields": ("implementing_unit", "description")}),
        (_("Source"), {"fields": ("source", "is_illustrative")}),
    )


@admin.register(ProjectOutput)
class ProjectOutputAdmin(AuditedModelAdmin):
    list_display = ("name", "quantity", "unit", "project")
    search_fields = ("name", "project__code", "project__name")
    list_select_related = ("project",)
    autocomplete_fields = ("project",)


@admin.register(ProjectBeneficiary)
class ProjectBeneficiaryAdmin(AuditedModelAdmin):
    list_display = ("group", "count", "qualifier", "project")
    list_filter = ("qualifier",)
    search_fields = ("group", "project__code", "project__name")
    list_select_related = ("project",)
    autocomplete_fields = ("project",)
