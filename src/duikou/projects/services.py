"""Writes for this app: audited, permission-checked, validated with full_clean()."""

from duikou.audit.services import crud_services

from .models import Project, ProjectBeneficiary, ProjectOutput

__all__ = ["project_beneficiary_create", "project_beneficiary_delete", "project_beneficiary_update", "project_create", "project_delete", "project_output_create", "project_output_delete", "project_output_update", "project_update"]

project_create, project_update, project_delete = crud_services(Project)
project_output_create, project_output_update, project_output_delete = crud_services(ProjectOutput)
project_beneficiary_create, project_beneficiary_update, project_beneficiary_delete = crud_services(ProjectBeneficiary)
