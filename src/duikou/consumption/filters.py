"""Filters of the consumption-assistance registers (shared with their exports).

The pairing dashboard's consumption card links to ``sales-contracts?pairing=&year_from=&year_to=``
(years bound ``signed_on``), so that the register's total is the card's contract sales.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.organisations.choices import DivisionLevel
from duikou.organisations.filters import PairingFilter, ProvinceFilter
from duikou.organisations.models import AdminDivision
from duikou.ui.filters import BooleanFilter, ScopedFilterSet, YearFromFilter, YearToFilter

from .models import CatalogueListing, Product, SalesChannel, SalesContract, SalesRecord, Supplier

__all__ = [
    "CatalogueListingFilterSet", "MarketFilter", "ProductFilterSet", "SalesChannelFilterSet", "SalesContractFilterSet",
    "SalesRecordFilterSet", "SupplierFilterSet",
]


class MarketFilter(ProvinceFilter):
    """A market and every division inside it (北京市 takes in sales in 房山区), as the headline
    figures count a market; offered: the provinces and the markets of the rows the user sees."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("market"))
        super().__init__(*args, **kwargs)

    def limit_to(self, rows):
        self.queryset = AdminDivision.objects.filter(
            Q(level=DivisionLevel.PROVINCE) | Q(pk__in=rows.values(self.field_name))
        ).order_by("code")


class _MarketFilterSet(ScopedFilterSet):
    """Limits the ``market`` filter's choices to the user's rows (after the scoping of the base)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["market"].limit_to(self._meta.model.objects.restrict(getattr(request, "user", None), "view"))


class SupplierFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    households = BooleanFilter(field_name="households", lookup_expr="isnull", exclude=True,
                               label=_("households linked recorded"))

    class Meta:
        model = Supplier
        fields = []


class ProductFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="pairing")
    supplier = django_filters.ModelChoiceFilter(queryset=Supplier.objects.order_by("name"), label=_("supplier"))
    category = django_filters.CharFilter(lookup_expr="icontains", label=_("category"))
    in_supporter_system = BooleanFilter(field_name="in_supporter_system",
                                        label=_("in the supporter's consumption-assistance system"))
    listed = BooleanFilter(label=_("listed in a catalogue"), method="filter_listed")

    class Meta:
        model = Product
        fields = []

    def filter_listed(self, qs, name, value):
        listed = Q(id__in=CatalogueListing.objects.values("product_id"))
        return qs.filter(listed) if value else qs.exclude(listed)


class SalesChannelFilterSet(_MarketFilterSet):
    pairing = PairingFilter(field_name="pairing")
    kind = django_filters.ChoiceFilter(choices=SalesChannel.Kind.choices, label=_("kind"))
    market = MarketFilter(field_name="market_division")
    year_from = YearFromFilter(field_name="opened_on", is_date=True, label=_("opened from year"))
    year_to = YearToFilter(field_name="opened_on", is_date=True, label=_("opened to year"))

    class Meta:
        model = SalesChannel
        fields = []


class CatalogueListingFilterSet(ScopedFilterSet):
    pairing = PairingFilter(field_name="product__pairing")
    channel = django_filters.ModelChoiceFilter(
        queryset=SalesChannel.objects.filter(kind=SalesChannel.Kind.CATALOGUE).order_by("name"), label=_("catalogue")
    )
    product = django_filters.ModelChoiceFilter(queryset=Product.objects.order_by("name"), label=_("product"))
    current = BooleanFilter(field_name="delisted_on", lookup_expr="isnull", label=_("still listed"))
    year_from = YearFromFilter(field_name="listed_on", is_date=True, label=_("listed from year"))
    year_to = YearToFilter(field_name="listed_on", is_date=True, label=_("listed to year"))

    class Meta:
        model = CatalogueListing
        fields = []


class SalesRecordFilterSet(_MarketFilterSet):
    pairing = PairingFilter(field_name="pairing")
    product = django_filters.ModelChoiceFilter(queryset=Product.objects.order_by("name"), label=_("product"))
    channel = django_filters.ModelChoiceFilter(queryset=SalesChannel.objects.order_by("name"), label=_("channel"))
    market = MarketFilter(field_name="market_division")
    buyer_type = django_filters.ChoiceFilter(choices=SalesRecord.BuyerType.choices, label=_("buyer type"))
    year_from = YearFromFilter(field_name="date", is_date=True)
    year_to = YearToFilter(field_name="date", is_date=True)

    class Meta:
        model = SalesRecord
        fields = []


class SalesContractFilterSet(_MarketFilterSet):
    pairing = PairingFilter(field_name="pairing")
    product = django_filters.ModelChoiceFilter(queryset=Product.objects.order_by("name"), label=_("product"))
    market = MarketFilter(field_name="market_division")
    year_from = YearFromFilter(field_name="signed_on", is_date=True)
    year_to = YearToFilter(field_name="signed_on", is_date=True)

    class Meta:
        model = SalesContract
        fields = []
