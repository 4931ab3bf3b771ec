from django.contrib import admin

from duikou.audit.admin_base import AuditedModelAdmin

from .models import FigureSet, PublishedFigure

__all__ = ["FigureSetAdmin", "PublishedFigureAdmin"]


class ReadOnlyAdmin(AuditedModelAdmin):
    """Published figures are never changed: the admin shows them (scoped like every admin page)
    and offers no add, change or delete."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(FigureSet)
class FigureSetAdmin(ReadOnlyAdmin):
    list_display = ("name", "pairing", "year_from", "year_to", "as_of", "published_at", "published_by_name")
    search_fields = ("name", "pairing__supporter__name", "pairing__recipient__name")
    list_select_related = ("pairing__supporter", "pairing__recipient", "pairing__programme")
    autocomplete_fields = ("pairing", "published_by")  # read-only here, but never a list of every pairing


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ReadOnlyAdmin):
    list_display = ("figure_set", "order", "key", "label_zh", "value", "unit", "year_from", "year_to")
    search_fields = ("key", "label_zh", "figure_set__name")
    list_select_related = ("figure_set",)
