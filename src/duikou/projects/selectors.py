"""Reads for this app, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .models import Project, ProjectBeneficiary, ProjectOutput

__all__ = ["project_beneficiary_get", "project_beneficiary_list", "project_get", "project_list", "project_output_get", "project_output_list"]

project_list, project_get = crud_selectors(Project)
project_output_list, project_output_get = crud_selectors(ProjectOutput)
project_beneficiary_list, project_beneficiary_get = crud_selectors(ProjectBeneficiary)
