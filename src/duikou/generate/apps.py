from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GenerateConfig(AppConfig):
    name = "duikou.generate"
    label = "generate"
    verbose_name = _("Generated national dataset")
