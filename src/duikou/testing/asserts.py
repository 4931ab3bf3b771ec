"""Assertions the service tests share."""

import contextlib

import pytest
from django.core.exceptions import ValidationError

from duikou.audit.models import ObjectChange

__all__ = ["changes_for", "clean_errors", "full_clean_errors", "refused"]


@contextlib.contextmanager
def refused(field: str, *models):
    """The block raises a ``ValidationError`` naming ``field`` and saves nothing: the row counts
    of ``models`` and of the audit log are unchanged.

    ::

        with refused("amount", FundTransaction):
            fund_transaction_create(actor=admin, **data, amount=Decimal("-1"))
    """
    counts = [m._base_manager.count() for m in models]
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as info:
        yield info
    errors = info.value.message_dict
    assert field in errors, f"expected an error on {field!r}, got {errors}"
    assert [m._base_manager.count() for m in models] == counts, "a row was saved"
    assert ObjectChange.objects.count() == changes, "a change was recorded"


def changes_for(obj, action: str | None = None):
    """The audit records of one object (oldest first), optionally of one action."""
    from django.contrib.contenttypes.models import ContentType

    qs = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).order_by("id")
    return list(qs.filter(action=action) if action else qs)


def clean_errors(obj) -> dict:
    """The ``message_dict`` of the ValidationError that ``obj.clean()`` raises (it must raise)."""
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        obj.clean()
    return info.value.message_dict


def full_clean_errors(obj, **kwargs) -> dict:
    """The same for ``obj.full_clean(**kwargs)``."""
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        obj.full_clean(**kwargs)
    return info.value.message_dict
