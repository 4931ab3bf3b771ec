"""Writes for this app: audited, permission-checked, validated with full_clean().

Every write of a fund transaction runs in one transaction that first locks the pairing's row and
its parent pairings' (``select_for_update``; SQLite takes its write lock when the transaction
starts), then validates the money invariants (``validators``, run by ``FundTransaction.clean``)
against the rows as they are now and saves. Two concurrent remittances on one allocation therefore
cannot together exceed it: the second waits for the first and sees it. A delete is checked the
same way (deleting a remittance that expenditure relies on is refused).
"""

from django.db import transaction

from duikou.audit.services import object_create, object_delete, object_update
from duikou.core.permissions import require
from duikou.organisations.models import Pairing

from .models import FundAllocation, FundTransaction
from .validators import validate_fund_delete

__all__ = [
    "allocation_create",
    "allocation_delete",
    "allocation_update",
    "fund_transaction_create",
    "fund_transaction_delete",
    "fund_transaction_update",
    "lock_pairings",
]


def lock_pairings(*pairings) -> None:
    """Lock the rows of the pairings (instances or ids) and of their parents, in id order."""
    ids = {getattr(p, "pk", p) for p in pairings if p is not None}
    ids = {i for i in ids if isinstance(i, int)}
    frontier = set(ids)
    while frontier:
        parents = set(Pairing._base_manager.filter(pk__in=frontier, parent__isnull=False)
                      .values_list("parent_id", flat=True)) - ids
        ids |= parents
        frontier = parents
    if ids:
        list(Pairing._base_manager.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _services(model):
    def create(*, actor, m2m: dict | None = None, **fields):
        with transaction.atomic():
            lock_pairings(fields.get("pairing"))
            return object_create(model, actor=actor, data=fields, m2m=m2m)

    def update(*, actor, instance, m2m: dict | None = None, **fields):
        with transaction.atomic():
            lock_pairings(instance.pairing_id, fields.get("pairing"))
            return object_update(instance, actor=actor, data=fields, m2m=m2m)

    def delete(*, actor, instance) -> None:
        with transaction.atomic():
            lock_pairings(instance.pairing_id)
            require(actor, "delete", instance)  # the right first: an outsider learns nothing of the money
            validate_fund_delete(instance)
            object_delete(instance, actor=actor)

    name = model._meta.model_name
    for fn, verb in ((create, "create"), (update, "update"), (delete, "delete")):
        fn.__name__ = f"{name}_{verb}"
        fn.__doc__ = (f"{verb.capitalize()} a {model._meta.verbose_name}: pairing locked, money invariants "
                      "checked, audited.")
    return create, update, delete


fund_transaction_create, fund_transaction_update, fund_transaction_delete = _services(FundTransaction)
allocation_create, allocation_update, allocation_delete = _services(FundAllocation)
