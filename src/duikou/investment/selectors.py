"""Reads for this app, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .models import CooperationAgreement, EnterpriseIntroduction

__all__ = ["cooperation_agreement_get", "cooperation_agreement_list", "enterprise_introduction_get", "enterprise_introduction_list"]

enterprise_introduction_list, enterprise_introduction_get = crud_selectors(EnterpriseIntroduction)
cooperation_agreement_list, cooperation_agreement_get = crud_selectors(CooperationAgreement)
