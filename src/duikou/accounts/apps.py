from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "duikou.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from duikou.core.permissions import register_scope_provider

        from .scopes import membership_scope

        register_scope_provider(membership_scope)
