from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "duikou.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from duikou.core import totals

        from .models import Project, ProjectTotal

        totals.register(totals.Totals(
            Project, ProjectTotal, dims=("pairing", "start_year", "status", "is_illustrative"), money="budget",
            filters=frozenset({"pairing", "year_from", "year_to", "status", "status_group", "is_illustrative"}),
        ))
