from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import MESSAGE, AuditedModelAdmin, AuditedTabularInline, may
from duikou.audit.models import ObjectChange
from duikou.audit.services import record, snapshot
from duikou.core.permissions import ACTIONS, scope_for

from .models import Membership, Role, User
from .validators import may_grant

__all__ = ["MembershipAdmin", "MembershipForm", "RoleAdmin", "UserAdmin", "assignable_roles"]

# Access comes from memberships and roles (rows of Role), not from Django groups or permissions:
# the group page would only mislead.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def assignable_roles(user):
    """The roles ``user`` may grant: those that act on every organisation only for a user who
    acts on every organisation; otherwise roles whose actions the user holds somewhere."""
    roles = Role.objects.all()
    if scope_for(user, "add").all:
        return roles
    held = {a for a in ACTIONS if (s := scope_for(user, a)).all or s.org_ids}
    return roles.filter(pk__in=[r.pk for r in roles if not r.all_organisations and set(r.actions or []) <= held])


class MembershipForm(forms.ModelForm):
    actor = None  # set per request by the admin

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") and cleaned.get("organisation") and self.actor is not None:
            if not may_grant(self.actor, Membership(organisation=cleaned["organisation"], role=cleaned["role"])):
                self.add_error("role", _("You may not grant this role at this organisation."))
        return cleaned


class RoleChoicesMixin:
    """Offer only the roles the user may grant, and check the grant at the chosen organisation."""

    form = MembershipForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["queryset"] = assignable_roles(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @staticmethod
    def _with_actor(form, request):
        return type(form.__name__, (form,), {"actor": request.user})


class MembershipFormsetMixin(RoleChoicesMixin):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self._with_actor(formset.form, request)
        return formset


class MembershipInline(MembershipFormsetMixin, AuditedTabularInline):
    model = Membership
    fk_name = "user"
    fields = ("organisation", "role")
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """Django's user pages (password handling included), scoped and audited.

    Users are created, changed and deleted only by someone who acts on every organisation (as
    ``user_create`` requires); others see the users of their organisations, read-only.
    """

    list_display = ("username", "last_name", "first_name", "email", "organisations", "is_staff", "is_active",
                    "is_superuser")
    list_filter = ("is_staff", "is_superuser", "is_active")
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        memberships = Membership.objects.restrict(request.user, "view").select_related("organisation")
        return super().get_queryset(request).prefetch_related(Prefetch("memberships", queryset=memberships))

    @admin.display(description=_("organisations"))
    def organisations(self, obj):
        return "、".join(str(m.organisation) for m in obj.memberships.all())

    def has_view_permission(self, request, obj=None):
        # can() cannot follow the to-many path User → memberships, so ask the scoped queryset.
        return may(request.user, "view", User) and (
            obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()
        )

    def _global(self, request, action):
        return request.user.is_active and scope_for(request.user, action).all

    def has_add_permission(self, request):
        return self._global(request, "add")

    def _guards_superuser(self, request, obj):
        # Only a superuser touches a superuser's account (its password above all).
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return self._global(request, "change") and not self._guards_superuser(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._global(request, "delete") and not self._guards_superuser(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, "is_superuser")

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None:
                # The password itself is never written to the log; the record says it changed.
                record(user, action=ObjectChange.Action.UPDATE, before=snapshot(user), actor=request.user,
                       message=f"{MESSAGE}: password changed")
        return response


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "actions", "all_organisations")
    list_filter = ("all_organisations",)
    search_fields = ("code", "name")


@admin.register(Membership)
class MembershipAdmin(RoleChoicesMixin, AuditedModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "user__first_name", "user__last_name", "organisation__name")
    list_select_related = ("user", "organisation", "role")
    autocomplete_fields = ("user", "organisation")

    def get_form(self, request, obj=None, **kwargs):
        return self._with_actor(super().get_form(request, obj, **kwargs), request)
