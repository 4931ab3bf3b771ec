"""Writes for this app: audited, permission-checked, validated with full_clean()."""

from duikou.audit.services import crud_services

from .models import AdminDivision, Organisation, OrganisationName, Pairing, Programme

__all__ = ["division_create", "division_delete", "division_update", "organisation_create", "organisation_delete", "organisation_name_create", "organisation_name_delete", "organisation_name_update", "organisation_update", "pairing_create", "pairing_delete", "pairing_update", "programme_create", "programme_delete", "programme_update"]

division_create, division_update, division_delete = crud_services(AdminDivision)
organisation_create, organisation_update, organisation_delete = crud_services(Organisation)
organisation_name_create, organisation_name_update, organisation_name_delete = crud_services(OrganisationName)
programme_create, programme_update, programme_delete = crud_services(Programme)
pairing_create, pairing_update, pairing_delete = crud_services(Pairing)
