"""Reads for this app, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .models import CatalogueListing, Product, SalesChannel, SalesContract, SalesRecord, Supplier

__all__ = ["catalogue_listing_get", "catalogue_listing_list", "product_get", "product_list", "sales_channel_get", "sales_channel_list", "sales_contract_get", "sales_contract_list", "sales_record_get", "sales_record_list", "supplier_get", "supplier_list"]

supplier_list, supplier_get = crud_selectors(Supplier)
product_list, product_get = crud_selectors(Product)
sales_channel_list, sales_channel_get = crud_selectors(SalesChannel)
catalogue_listing_list, catalogue_listing_get = crud_selectors(CatalogueListing)
sales_record_list, sales_record_get = crud_selectors(SalesRecord)
sales_contract_list, sales_contract_get = crud_selectors(SalesContract)
