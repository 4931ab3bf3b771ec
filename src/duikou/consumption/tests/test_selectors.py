import pytest
from django.db.models import Sum

from duikou.consumption.selectors import catalogue_listing_list, sales_record_list
from duikou.testing.factories import CatalogueListingFactory, SalesRecordFactory

pytestmark = pytest.mark.django_db


def test_sales_add_up_within_the_scope(pairings):
    for pairing, amount in (("beijing_badong", 100), ("fangshan_badong", 20), ("shanghai_yiling", 5)):
        SalesRecordFactory(pairing=pairings.pairings[pairing], amount=amount)
    total = lambda who: sales_record_list(actor=pairings.user(who)).aggregate(t=Sum("amount"))["t"]  # noqa: E731
    assert (total("supporter"), total("district"), total("national")) == (120, 20, 125)


def test_listings_follow_their_product(pairings):
    listing = CatalogueListingFactory(product__pairing=pairings.pairings["fangshan_badong"])
    assert list(catalogue_listing_list(actor=pairings.user("district"))) == [listing]
    assert not catalogue_listing_list(actor=pairings.user("foreign")).exists()
