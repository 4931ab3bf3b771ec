from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "duikou.disclosure"
    label = "disclosure"
    verbose_name = _("Public disclosure")

    def ready(self):
        # The lifecycle steps that go with a 公示/公告 wait until it has run its period.
        from duikou.projects.workflow import register_guard

        from .guards import disclosure_guard

        register_guard(disclosure_guard)
