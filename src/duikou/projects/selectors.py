"""Reads for this app, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .choices import COUNTED_STATUSES
from .models import Project, ProjectBeneficiary, ProjectOutput

__all__ = [
    "project_beneficiary_get",
    "project_beneficiary_list",
    "project_counted",
    "project_get",
    "project_list",
    "project_output_get",
    "project_output_list",
]

project_list, project_get = crud_selectors(Project)
project_output_list, project_output_get = crud_selectors(ProjectOutput)
project_beneficiary_list, project_beneficiary_get = crud_selectors(ProjectBeneficiary)


def project_counted(projects):
    """The projects of ``projects`` (a queryset, already restricted) that the figures count: in an
    annual plan and not cancelled (:data:`~duikou.projects.choices.COUNTED_STATUSES`). The
    dashboard cards and the register's "counted" filter both use it, so their numbers match."""
    return projects.filter(status__in=COUNTED_STATUSES)
