"""duikou's admin site: open to superusers, staff and everyone who works for an organisation
(a membership); what they see there is decided by ``restrict()`` and ``can()``."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

__all__ = ["DuikouAdminConfig", "DuikouAdminSite"]


class DuikouAdminSite(admin.AdminSite):
    site_header = site_title = "duikou 对口支援管理"

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return user.is_staff or user.is_superuser or user.memberships.exists()


class DuikouAdminConfig(AdminConfig):
    default_site = "duikou.config.admin.DuikouAdminSite"
