"""Forms of the consumption-assistance pages: they parse input; the services validate and save.

Choices follow the pairings the user may write in: products, suppliers and channels of those
pairings, the recipient counties as origins, and markets among the provinces, prefectures and the
counties around the pairings (see ``organisations.forms.area_divisions``).
"""

from duikou.organisations.forms import area_divisions, party_organisations, with_current
from duikou.organisations.models import AdminDivision, Pairing
from duikou.ui.forms import ServiceForm

from .models import CatalogueListing, Product, SalesChannel, SalesContract, SalesRecord, Supplier

__all__ = [
    "CatalogueListingForm", "ProductForm", "SalesChannelForm", "SalesContractForm", "SalesRecordForm", "SupplierForm",
]


class _PairingRowForm(ServiceForm):
    """A row placed in a pairing: ``in_pairings`` fields offer the rows of the pairings offered,
    ``market_fields`` the divisions around them, ``county_fields`` their recipient counties."""

    in_pairings: tuple[str, ...] = ()
    market_fields: tuple[str, ...] = ()
    county_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pairings = self.pairings()
        for name in self.in_pairings:
            field = self.fields[name]
            field.queryset = with_current(
                field.queryset.filter(pairing__in=pairings), self._current(name)
            ).order_by("name")
        for name in self.market_fields:
            self.fields[name].queryset = area_divisions(pairings, self._current(name))
        for name in self.county_fields:
            self.fields[name].queryset = with_current(
                AdminDivision.objects.filter(id__in=pairings.values("recipient_division_id")), self._current(name)
            ).order_by("code")

    def pairings(self):
        return self.fields["pairing"].queryset

    def _current(self, name: str):
        return getattr(self.instance, f"{name}_id", None)


class SupplierForm(_PairingRowForm):
    county_fields = ("division",)

    class Meta:
        model = Supplier
        fields = ["pairing", "name", "credit_code", "division", "linkage", "households", "source"]


class ProductForm(_PairingRowForm):
    in_pairings = ("supplier",)
    county_fields = ("origin_division",)

    class Meta:
        model = Product
        fields = ["pairing", "name", "supplier", "origin_division", "category", "in_supporter_system",
                  "quality_labels", "source"]


class SalesChannelForm(_PairingRowForm):
    market_fields = ("market_division",)

    class Meta:
        model = SalesChannel
        fields = ["pairing", "name", "kind", "market_division", "operator", "opened_on", "closed_on", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = "change" if self.instance.pk else "add"
        self.fields["operator"].queryset = party_organisations(
            self.actor, action, self.pairings(), self.instance.operator_id
        )


class CatalogueListingForm(_PairingRowForm):
    write_scoped_fields = ("product",)

    class Meta:
        model = CatalogueListing
        fields = ["product", "channel", "listed_on", "delisted_on", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channels = self.fields["channel"].queryset.filter(pairing__in=self.pairings(), kind=SalesChannel.Kind.CATALOGUE)
        self.fields["channel"].queryset = with_current(channels, self.instance.channel_id).order_by("name")

    def pairings(self):
        """The pairings of the products offered (a listing is placed by its product)."""
        return Pairing.objects.filter(id__in=self.fields["product"].queryset.values("pairing_id"))


class SalesRecordForm(_PairingRowForm):
    in_pairings = ("product", "channel")
    market_fields = ("market_division",)

    class Meta:
        model = SalesRecord
        fields = ["pairing", "product", "channel", "market_division", "date", "quantity", "unit", "amount", "buyer",
                  "buyer_type", "source"]


class SalesContractForm(_PairingRowForm):
    in_pairings = ("product",)
    market_fields = ("market_division",)

    class Meta:
        model = SalesContract
        fields = ["pairing", "product", "buyer", "market_division", "signed_on", "amount", "note", "source"]
