from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin, AuditedTabularInline

from .models import ApprovalRecord, Project, ProjectBeneficiary, ProjectOutput, TransitionPolicy

__all__ = ["ApprovalRecordAdmin", "ProjectAdmin", "ProjectBeneficiaryAdmin", "ProjectOutputAdmin",
           "TransitionPolicyAdmin"]


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
    # The status changes only through the lifecycle's steps (the project page or project_transition).
    readonly_fields = ("status", "return_status")
    fieldsets = (
        (None, {"fields": ("code", "name", "pairing", "key_task", "work_field", "sector", "status", "return_status")}),
        (_("Plan and money"), {"fields": ("annual_plan", "start_year", "end_year", "budget")}),
        (_("Location"), {"fields": ("location_division", "location", "latitude", "longitude")}),
        (_("Implementation"), {"fields": ("implementing_unit", "description", "farmer_linkage")}),
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


@admin.register(ApprovalRecord)
class ApprovalRecordAdmin(AuditedModelAdmin):
    """Read-only: approval records are written by the lifecycle's steps and never changed."""

    list_display = ("decided_on", "project", "transition", "decision", "from_status", "to_status", "role",
                    "actor_name", "actor_org", "doc_no")
    list_filter = ("transition", "decision", "role")
    search_fields = ("project__code", "project__name", "actor_name", "doc_no", "opinion")
    list_select_related = ("project", "actor_org")
    autocomplete_fields = ("project", "actor_org")  # read-only here, but never a list of every project
    date_hierarchy = "decided_on"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ApprovalRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransitionPolicy)
class TransitionPolicyAdmin(AuditedModelAdmin):
    """Who may take each step in a programme; a step without a row uses the default policy."""

    list_display = ("programme", "transition", "side", "role_codes", "note")
    list_filter = ("programme", "transition", "side")
    search_fields = ("programme__name", "programme__code", "transition", "note")
    list_select_related = ("programme",)
    fields = ("programme", "transition", "side", "role_codes", "note")
