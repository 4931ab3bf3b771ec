"""Writes for this app: audited, permission-checked, validated with full_clean()."""

from duikou.audit.services import crud_services

from .models import CooperationAgreement, EnterpriseIntroduction

__all__ = ["cooperation_agreement_create", "cooperation_agreement_delete", "cooperation_agreement_update", "enterprise_introduction_create", "enterprise_introduction_delete", "enterprise_introduction_update"]

enterprise_introduction_create, enterprise_introduction_update, enterprise_introduction_delete = crud_services(EnterpriseIntroduction)
cooperation_agreement_create, cooperation_agreement_update, cooperation_agreement_delete = crud_services(CooperationAgreement)
