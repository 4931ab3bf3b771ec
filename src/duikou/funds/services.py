"""Writes for this app: audited, permission-checked, validated with full_clean()."""

from duikou.audit.services import crud_services

from .models import FundAllocation, FundTransaction

__all__ = ["allocation_create", "allocation_delete", "allocation_update", "fund_transaction_create", "fund_transaction_delete", "fund_transaction_update"]

fund_transaction_create, fund_transaction_update, fund_transaction_delete = crud_services(FundTransaction)
allocation_create, allocation_update, allocation_delete = crud_services(FundAllocation)
