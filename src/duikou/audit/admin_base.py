"""The base of every duikou admin page: rows through ``restrict()``, rights through ``can()``,
and every save or delete recorded in the audit log (admin forms already run ``full_clean()``)."""

from django.contrib import admin

from duikou.core.permissions import can

from .models import ObjectChange
from .services import record, snapshot

__all__ = ["AuditedModelAdmin"]


class AuditedModelAdmin(admin.ModelAdmin):
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (obj is None or can(request.user, "view", obj))

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_authenticated

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_authenticated

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and (obj is None or can(request.user, "change", obj))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and (obj is None or can(request.user, "delete", obj))

    def save_model(self, request, obj, form, change):
        if not can(request.user, "change" if change else "add", obj):
            from duikou.core.errors import PermissionDenied

            raise PermissionDenied(action="change" if change else "add", obj=obj)
        request._duikou_before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_duikou_before", None)
        after = snapshot(obj)
        if not change:
            record(obj, action=ObjectChange.Action.CREATE, actor=request.user, message="admin")
        elif after != before:
            record(obj, action=ObjectChange.Action.UPDATE, before=before, actor=request.user, message="admin")

    def delete_model(self, request, obj):
        before = snapshot(obj)
        pk = obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        record(obj, action=ObjectChange.Action.DELETE, before=before, actor=request.user, message="admin")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    list_display = ("time", "actor_name", "action", "content_type", "object_repr", "message")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_name", "message")
    readonly_fields = [f.name for f in ObjectChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
