from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin

from .models import EvaluationScheme, PerformanceIndicator

__all__ = ["EvaluationSchemeAdmin", "PerformanceIndicatorAdmin"]


@admin.register(PerformanceIndicator)
class PerformanceIndicatorAdmin(AuditedModelAdmin):
    list_display = ("name", "project", "level1", "level2", "operator", "target_value", "target_text", "unit", "weight",
                    "actual_value", "actual_rating", "actual_recorded_on")
    list_filter = ("level1", "level2", "operator")
    search_fields = ("name", "project__code", "project__name")
    list_select_related = ("project",)
    autocomplete_fields = ("project",)
    fieldsets = (
        (None, {"fields": ("project", "level1", "level2", "name", "order")}),
        (_("Target"), {"fields": ("operator", "target_value", "target_text", "unit", "weight")}),
        (_("Actual"), {"fields": ("actual_value", "actual_rating", "actual_recorded_on", "deviation_reason")}),
        (_("Source"), {"fields": ("source", "is_illustrative")}),
    )


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(AuditedModelAdmin):
    list_display = ("name", "programme", "supporter", "valid_from_year", "valid_to_year", "weight_output",
                    "weight_effect", "weight_satisfaction", "weight_budget", "grade_excellent_min", "grade_good_min",
                    "grade_fair_min", "partial_rule", "verified")
    list_filter = ("verified", "partial_rule", "programme")
    search_fields = ("name", "programme__name", "supporter__name")
    list_select_related = ("programme", "supporter")
    autocomplete_fields = ("programme", "supporter")
    fieldsets = (
        (None, {"fields": ("name", "programme", "supporter", "valid_from_year", "valid_to_year")}),
        (_("Points of the four parts (add up to 100)"),
         {"fields": ("weight_output", "weight_effect", "weight_satisfaction", "weight_budget")}),
        (_("Grade bands (lowest total of each grade)"),
         {"fields": ("grade_excellent_min", "grade_good_min", "grade_fair_min")}),
        (_("Scoring"), {"fields": ("partial_rule", "rating_excellent", "rating_good", "rating_fair", "rating_low",
                                   "rating_poor")}),
        (_("Status and source"), {"fields": ("verified", "source", "note", "is_illustrative")}),
    )
