"""Writes for this app: audited, permission-checked, validated with full_clean()."""

from duikou.audit.services import bulk_create_service, crud_services

from .models import CatalogueListing, Product, SalesChannel, SalesContract, SalesRecord, Supplier

__all__ = ["catalogue_listing_create", "catalogue_listing_delete", "catalogue_listing_update", "product_bulk_create", "product_create", "product_delete", "product_update", "sales_channel_create", "sales_channel_delete", "sales_channel_update", "sales_contract_create", "sales_contract_delete", "sales_contract_update", "sales_record_bulk_create", "sales_record_create", "sales_record_delete", "sales_record_update", "supplier_create", "supplier_delete", "supplier_update"]

supplier_create, supplier_update, supplier_delete = crud_services(Supplier)
product_create, product_update, product_delete = crud_services(Product)
sales_channel_create, sales_channel_update, sales_channel_delete = crud_services(SalesChannel)
catalogue_listing_create, catalogue_listing_update, catalogue_listing_delete = crud_services(CatalogueListing)
sales_record_create, sales_record_update, sales_record_delete = crud_services(SalesRecord)
sales_contract_create, sales_contract_update, sales_contract_delete = crud_services(SalesContract)
product_bulk_create = bulk_create_service(Product)
sales_record_bulk_create = bulk_create_service(SalesRecord)
