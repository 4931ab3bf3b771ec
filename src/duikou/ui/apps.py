from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    name = "duikou.ui"
    label = "ui"
    verbose_name = _("Web application")

    def ready(self):
        # Each app declares its registers in <app>/registers.py.
        autodiscover_modules("registers")
