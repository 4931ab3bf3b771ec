"""The fund registers: every step of money (fund transactions) and the allocations alone.

The dashboard's free-aid card links to ``fund-transactions`` filtered to the pairing's grant
allocations of the period; the register's total is then the card's figure.
"""

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duikou.plans.forms import initial_from_query
from duikou.projects.models import Project
from duikou.ui.registers import RECORD_COLUMNS, Column, Register, Related, pairing_column, pairing_joins, register

from .filters import FundAllocationFilterSet, FundTransactionFilterSet
from .forms import FundAllocationForm, FundTransactionForm
from .models import FundAllocation, FundTransaction
from .services import allocation_create, allocation_update, fund_transaction_create, fund_transaction_update

__all__ = ["PRESETS"]

# What a create form presets from the row its "Add" link names: ``?project=<id>`` (the project's
# page) gives the project's pairing; ``?allocation=<id>`` gives the allocation's pairing, project,
# stream and level. Parameters in the query string win.
PRESETS = {
    "allocation": (FundTransaction, {"pairing": "pairing_id", "project": "project_id", "stream": "stream",
                                     "level": "level"}),
    "project": (Project, {"pairing": "pairing_id"}),
}

PAIRING = pairing_column()
PROJECT = Column("project", order="project__code")
MONEY_COLUMNS = [
    Column("year"), Column("level"), Column("stream"), Column("date"), Column("amount"), Column("doc_no"),
]
EXPORT_COLUMNS = [
    Column("account", export_only=True), Column("note", export_only=True), *RECORD_COLUMNS,
]
SEARCH = ["doc_no", "note", "account", "project__code", "project__name"]
SELECT = [*pairing_joins(), "pairing__programme", "project"]
DETAIL = ["pairing", "project", "stream", "level", "year", "date", "amount", "doc_no", "account", "note",
          "is_illustrative", "source"]


def _transaction_detail_context(request, obj) -> dict:
    """An allocation's page in the allocations register lists the payments drawn on it."""
    if obj.kind != FundTransaction.Kind.ALLOCATION:
        return {}
    return {"allocation_url": reverse("ui:fund-allocations-detail", args=[obj.pk])}


register(Register(
    model=FundTransaction,
    slug="fund-transactions",
    group="funds",
    columns=[
        Column("kind", link=True),
        PAIRING,
        PROJECT,
        *MONEY_COLUMNS,
        Column("allocation", export_only=True),
        *EXPORT_COLUMNS,
    ],
    filterset=FundTransactionFilterSet,
    search=SEARCH,
    form=FundTransactionForm,
    create=fund_transaction_create,
    update=fund_transaction_update,
    initial=partial(initial_from_query, form_class=FundTransactionForm, derived=PRESETS),
    select_related=[*SELECT, "allocation"],
    total="amount",
    detail_fields=["kind", *DETAIL[:2], "allocation", *DETAIL[2:], "is_management_fee"],
    detail_template="funds/fund_transaction_detail.html",
    detail_context=_transaction_detail_context,
))

register(Register(
    model=FundAllocation,
    slug="fund-allocations",
    group="funds",
    columns=[
        Column("year", link=True),
        PAIRING,
        PROJECT,
        *MONEY_COLUMNS[1:],
        *EXPORT_COLUMNS,
    ],
    filterset=FundAllocationFilterSet,
    search=SEARCH,
    form=FundAllocationForm,
    create=allocation_create,
    update=allocation_update,
    initial=partial(initial_from_query, form_class=FundAllocationForm, derived={"project": PRESETS["project"]}),
    select_related=SELECT,
    total="amount",
    detail_fields=DETAIL,
    related=[
        Related(_("Drawn on this allocation"),
                lambda a, actor: a.movements.all().restrict(actor, "view").order_by("year", "date", "id"),
                [Column("kind", link=True), Column("year"), Column("date"), Column("amount"), Column("doc_no")],
                register="fund-transactions", add_param="allocation"),
    ],
))
