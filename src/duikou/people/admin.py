from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin, AuditedTabularInline

from .models import ExpertSupport, Secondment, SecondmentBatch, TrainingSession

__all__ = ["ExpertSupportAdmin", "SecondmentAdmin", "SecondmentBatchAdmin", "TrainingSessionAdmin"]


class SecondmentInline(AuditedTabularInline):
    model = Secondment
    fields = ("person_name", "kind", "field", "home_unit", "host_unit", "post", "start_date", "end_date",
              "is_illustrative")
    autocomplete_fields = ("home_unit",)


@admin.register(SecondmentBatch)
class SecondmentBatchAdmin(AuditedModelAdmin):
    list_display = ("__str__", "number", "pairing_short", "dispatched_on", "people")
    list_filter = ("pairing",)
    search_fields = ("name", "pairing__supporter__name", "pairing__recipient__name")
    autocomplete_fields = ("pairing",)
    date_hierarchy = "dispatched_on"
    inlines = (SecondmentInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("secondments"))

    @admin.display(description=_("number of people"), ordering="people_count")
    def people(self, obj):
        return obj.people_count


@admin.register(Secondment)
class SecondmentAdmin(AuditedModelAdmin):
    list_display = ("person_name", "kind", "field", "batch", "home_unit", "host_unit", "post", "start_date",
                    "end_date")
    list_filter = ("kind", "field", "batch")
    search_fields = ("person_name", "host_unit", "post", "home_unit__name")
    list_select_related = ("batch__pairing__supporter", "batch__pairing__recipient", "home_unit")
    autocomplete_fields = ("batch", "home_unit")
    date_hierarchy = "start_date"


@admin.register(ExpertSupport)
class ExpertSupportAdmin(AuditedModelAdmin):
    list_display = ("expert_name", "topic", "field", "home_unit", "pairing_short", "start_date", "end_date")
    list_filter = ("field", "pairing")
    search_fields = ("expert_name", "topic", "home_unit__name")
    list_select_related = ("home_unit",)
    autocomplete_fields = ("pairing", "home_unit")
    date_hierarchy = "start_date"


@admin.register(TrainingSession)
class TrainingSessionAdmin(AuditedModelAdmin):
    list_display = ("title", "category", "start_date", "end_date", "participants", "person_times", "funds",
                    "organiser", "pairing_short")
    list_filter = ("category", "pairing")
    search_fields = ("title", "location", "organiser__name")
    list_select_related = ("organiser",)
    autocomplete_fields = ("pairing", "organiser")
    date_hierarchy = "start_date"
