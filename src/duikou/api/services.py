"""API tokens (DRF ``authtoken``): one token per user, made or replaced by a service that checks
the right and leaves an audit record. The key itself is never written to the audit log."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from duikou.audit.models import ObjectChange
from duikou.audit.services import record, snapshot
from duikou.core.errors import PermissionDenied

__all__ = ["api_token_create"]


def api_token_create(*, actor, user, reset: bool = False) -> tuple[Token, bool]:
    """The user's API token, made now if missing (or replaced when ``reset``); (token, made).

    Only the user themself, a superuser or the system actor may do it. The audit record is a
    change of the user ("API token created"/"replaced"), so that the key stays out of the log."""
    if not (getattr(actor, "is_superuser", False) or getattr(actor, "pk", None) == user.pk):
        raise PermissionDenied(action="change", obj=user)
    with transaction.atomic():
        existing = Token.objects.filter(user=user).first()
        if existing is not None and not reset:
            return existing, False
        before = snapshot(user)
        if existing is not None:
            existing.delete()
        token = Token.objects.create(user=user)
        record(user, action=ObjectChange.Action.UPDATE, before=before, actor=actor,
               message="API token replaced" if existing is not None else "API token created")
    return token, True
