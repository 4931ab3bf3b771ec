"""Reads for this app, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .models import FundAllocation, FundTransaction

__all__ = ["allocation_get", "allocation_list", "fund_transaction_get", "fund_transaction_list"]

fund_transaction_list, fund_transaction_get = crud_selectors(FundTransaction)
allocation_list, allocation_get = crud_selectors(FundAllocation)
