from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "duikou.funds"
    label = "funds"
    verbose_name = _("Funds")

    def ready(self):
        from duikou.core import totals

        from .models import FundTotal, FundTransaction

        totals.register(totals.Totals(
            FundTransaction, FundTotal, dims=("pairing", "year", "kind", "stream", "level", "is_illustrative"),
            money="amount",
            filters=frozenset({"pairing", "year_from", "year_to", "kind", "stream", "level", "is_illustrative"}),
        ))
