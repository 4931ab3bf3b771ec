"""The base of every duikou admin page.

- Rows come through ``restrict()``: the changelist, inlines, autocomplete results, related-object
  filters and the choices of every foreign-key and many-to-many field.
- Rights come from ``can()``: an object page needs the right on that object, and a save needs the
  right on the record as it will be saved (so nobody moves a record out of, or into, another
  organisation's scope). Buttons and bulk actions show only when the scope is not empty.
- Every save and delete is recorded in the audit log with before/after, including inline rows and
  rows removed by a cascade (admin forms already run ``full_clean()``).
- Records generated for the demo (``is_illustrative``) carry a visible "illustrative" badge.

The Django admin still requires ``is_staff`` to sign in; what a staff member sees and does comes
only from their memberships (a superuser sees everything).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, NotRelationField, get_fields_from_path, unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router, transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from duikou.core.permissions import can, object_org_ids, require, scope_for

from .models import ObjectChange
from .services import record, snapshot

__all__ = [
    "MESSAGE",
    "AuditedInlineMixin",
    "AuditedModelAdmin",
    "AuditedStackedInline",
    "AuditedTabularInline",
    "ObjectChangeAdmin",
    "ScopedChoicesMixin",
    "may",
]

MESSAGE = "admin"


def may(user, action: str, model) -> bool:
    """Could ``user`` do ``action`` on some row of ``model``? (Shows buttons, menus, bulk actions.)"""
    if not (getattr(user, "is_active", False) and getattr(user, "is_authenticated", False)):
        return False
    scope = scope_for(user, action)
    if scope.all:
        return True
    if action == "view" and getattr(model, "restrict_public_view", False):
        return True
    return bool(scope.org_ids) and bool(getattr(model, "restrict_paths", ()))


def _restricted(queryset, user):
    return queryset.restrict(user, "view") if hasattr(queryset, "restrict") else queryset


def _with_labels(queryset):
    """Fetch what the rows' ``str()`` reads (a model's ``label_related``) with the rows."""
    related = getattr(queryset.model, "label_related", ())
    return queryset.select_related(*related) if related else queryset


class ScopedRelatedOnlyFilter(admin.RelatedOnlyFieldListFilter):
    """Django's related-only filter, with the choices' labels fetched in the same query."""

    def field_choices(self, field, request, model_admin):
        pk_qs = model_admin.get_queryset(request).distinct().values_list(f"{self.field_path}__pk", flat=True)
        choices = _with_labels(field.related_model._default_manager.filter(pk__in=pk_qs))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            choices = choices.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in choices]


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices only from rows the user may see."""

    # Links typed without a scheme are https (Django 6's default; silences its deprecation warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using")).all()
            kwargs["queryset"] = _with_labels(_restricted(queryset, request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and db_field.remote_field.through._meta.auto_created:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using")).all()
            kwargs["queryset"] = _restricted(queryset, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AuditedInlineMixin(ScopedChoicesMixin):
    """Inline rows through ``restrict()``; each row's right is checked when the parent is saved
    (``AuditedModelAdmin.save_formset``), which also records the rows in the audit log."""

    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return _restricted(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        return may(request.user, "view", self.model)

    def has_add_permission(self, request, obj=None):
        return may(request.user, "add", self.model) and (obj is None or can(request.user, "change", obj))

    def has_change_permission(self, request, obj=None):
        return may(request.user, "change", self.model) and (obj is None or can(request.user, "change", obj))

    def has_delete_permission(self, request, obj=None):
        return may(request.user, "delete", self.model) and (obj is None or can(request.user, "change", obj))


class AuditedTabularInline(AuditedInlineMixin, admin.TabularInline):
    pass


class AuditedStackedInline(AuditedInlineMixin, admin.StackedInline):
    pass


class AuditedModelAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """The base of every duikou model admin (see the module docstring)."""

    list_per_page = 50

    # -- rows --------------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")

    def get_list_select_related(self, request):
        """The admin's own ``list_select_related`` plus, for models with a pairing, what
        ``pairing_short`` shows (the changelist applies this only once, so it is added here)."""
        related = super().get_list_select_related(request)
        if _has_field(self.model, "pairing") and related is not True:
            related = (*(related or ()), "pairing__supporter", "pairing__recipient")
        return related

    @admin.display(description=_("pairing"), ordering="pairing")
    def pairing_short(self, obj):
        """The pairing as supporter → recipient: the full label (programme, period) is for forms."""
        return obj.pairing.short_label if obj.pairing_id else "—"

    def get_list_display(self, request):
        """Every model with ``is_illustrative`` shows the badge (after the admin's own columns)."""
        columns = list(super().get_list_display(request))
        if _has_field(self.model, "is_illustrative") and not {"illustrative_mark", "is_illustrative"} & set(columns):
            columns.append("illustrative_mark")
        return columns

    def get_list_filter(self, request):
        """Related-object filters list only the objects that occur in the user's rows (plain
        ``RelatedFieldListFilter`` would list every organisation's pairings, projects …)."""
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                try:
                    field = get_fields_from_path(self.model, item)[-1]
                except (FieldDoesNotExist, NotRelationField):
                    field = None
                if field is not None and field.is_relation:
                    item = (item, ScopedRelatedOnlyFilter)
            filters.append(item)
        names = {f[0] if isinstance(f, tuple) else f for f in filters}
        if _has_field(self.model, "is_illustrative") and "is_illustrative" not in names:
            filters.append("is_illustrative")
        return filters

    @admin.display(description=_("illustrative"), ordering="is_illustrative")
    def illustrative_mark(self, obj):
        if not getattr(obj, "is_illustrative", False):
            return ""
        return format_html(
            '<span class="duikou-illustrative" title="{}" style="display:inline-block;padding:0 6px;'
            'border-radius:3px;background:#fff3cd;color:#8a6d3b;border:1px solid #e0c068;'
            'font-size:11px;line-height:18px;white-space:nowrap">{}</span>',
            _("Generated for the demo, not from a source document."),
            _("illustrative"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and _has_field(self.model, "is_illustrative"):
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and obj.is_illustrative:
                messages.warning(
                    request, _("This record is illustrative: generated for the demo, not from a source document.")
                )
        return super().change_view(request, object_id, form_url, extra_context)

    # -- rights ------------------------------------------------------------------------------

    def has_module_permission(self, request):
        return may(request.user, "view", self.model)

    def has_view_permission(self, request, obj=None):
        return may(request.user, "view", self.model) and (obj is None or can(request.user, "view", obj))

    def has_add_permission(self, request):
        return may(request.user, "add", self.model)

    def has_change_permission(self, request, obj=None):
        return may(request.user, "change", self.model) and (obj is None or can(request.user, "change", obj))

    def has_delete_permission(self, request, obj=None):
        return may(request.user, "delete", self.model) and (obj is None or can(request.user, "delete", obj))

    # -- writes ------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        # The page already checked the record as stored; this checks it as it will be stored.
        require(request.user, "change" if change else "add", obj)
        stored = type(obj)._base_manager.get(pk=obj.pk) if change else None
        obj._duikou_admin_before = snapshot(stored) if change else None
        obj._duikou_admin_org_ids = object_org_ids(stored) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Django's order (many-to-many, then inlines), with the parent's record written in between
        # so that its after-image holds the many-to-many values and precedes its inline rows.
        form.save_m2m()
        self.record_save(request, form.instance, change)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def record_save(self, request, obj, change):
        before = getattr(obj, "_duikou_admin_before", None)
        if not change:
            record(obj, action=ObjectChange.Action.CREATE, actor=request.user, message=MESSAGE)
        elif snapshot(obj) != before:
            org_ids = getattr(obj, "_duikou_admin_org_ids", set()) | object_org_ids(obj)
            record(obj, action=ObjectChange.Action.UPDATE, before=before, actor=request.user, message=MESSAGE,
                   org_ids=org_ids)

    def save_formset(self, request, form, formset, change):
        """Save inline rows, checking each row's right and recording each create, update and delete."""
        user = request.user
        before, org_ids, deleted_pks = {}, {}, {}
        for row in formset.initial_forms:
            instance = row.instance
            if instance.pk is None:
                continue
            deleting = formset.can_delete and formset._should_delete_form(row)
            if deleting or row.has_changed():
                stored = type(instance)._base_manager.get(pk=instance.pk)
                require(user, "delete" if deleting else "change", stored)
                before[instance.pk] = snapshot(stored)
                org_ids[instance.pk] = object_org_ids(stored)
                if deleting:
                    deleted_pks[id(instance)] = instance.pk
        formset.save()
        for obj in formset.new_objects:
            require(user, "add", obj)
            record(obj, action=ObjectChange.Action.CREATE, actor=user, message=MESSAGE)
        for obj, _fields in formset.changed_objects:
            require(user, "change", obj)
            if snapshot(obj) != before.get(obj.pk):
                record(obj, action=ObjectChange.Action.UPDATE, before=before.get(obj.pk), actor=user, message=MESSAGE,
                       org_ids=org_ids.get(obj.pk, set()) | object_org_ids(obj))
        for obj in formset.deleted_objects:
            pk = deleted_pks.get(id(obj), obj.pk)
            obj.pk = pk
            record(obj, action=ObjectChange.Action.DELETE, before=before.get(pk), actor=user, message=MESSAGE,
                   org_ids=org_ids.get(pk))

    def delete_model(self, request, obj):
        """Delete and record the object and every row its deletion cascades to."""
        require(request.user, "delete", obj)
        collector = NestedObjects(using=router.db_for_write(type(obj)))
        collector.collect([obj])
        # Snapshots and scopes are taken before the delete: afterwards the rows they follow are gone.
        doomed = [(obj, obj.pk, snapshot(obj), object_org_ids(obj))]
        for model, instances in collector.data.items():
            if model._meta.auto_created:  # many-to-many link rows: already in the owner's before-image
                continue
            for other in instances:
                if not (type(other)._meta.concrete_model is type(obj)._meta.concrete_model and other.pk == obj.pk):
                    doomed.append((other, other.pk, snapshot(other), object_org_ids(other)))
        super().delete_model(request, obj)
        for instance, pk, before, org_ids in doomed:
            instance.pk = pk
            message = MESSAGE if instance is obj else f"{MESSAGE}: cascade"
            record(instance, action=ObjectChange.Action.DELETE, before=before, actor=request.user, message=message,
                   org_ids=org_ids)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """The audit log, read-only. Superusers and national supervisors see every change; other staff
    see the changes scoped to their organisations (``ObjectChange.objects.restrict()``), so no
    record of another organisation's work reaches them through its before/after."""

    list_display = ("time", "actor_name", "action", "content_type", "object_id", "object_repr", "message")
    list_filter = ("action", "content_type")
    list_select_related = ("content_type",)
    search_fields = ("object_repr", "actor_name", "message", "object_id")
    date_hierarchy = "time"
    readonly_fields = [f.name for f in ObjectChange._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return may(request.user, "view", ObjectChange) and (obj is None or can(request.user, "view", obj))

    def has_module_permission(self, request):
        return may(request.user, "view", ObjectChange)
