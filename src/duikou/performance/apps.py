from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "duikou.performance"
    label = "performance"
    verbose_name = _("Performance")

    def ready(self):
        # The guard of the lifecycle: indicators before 审定入库, actuals before 绩效评价.
        from duikou.projects.workflow import register_guard

        from .guards import performance_guard

        register_guard(performance_guard)
