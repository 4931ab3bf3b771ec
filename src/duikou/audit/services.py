"""Audited writes. Every domain service ends in one of these, and so do the admin and loaders.

``object_create`` / ``object_update`` / ``object_delete`` check the actor's right with ``require()``,
run ``full_clean()`` (field, row and constraint rules, with messages naming the field), save inside
one transaction and leave an :class:`ObjectChange` with the record before and after.
"""

import json
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from duikou.core.permissions import SystemActor, require

from .context import current_actor, current_batch
from .models import ObjectChange

__all__ = ["crud_services", "object_create", "object_delete", "object_update", "record", "record_bulk", "snapshot"]

_SKIP = {"created", "last_updated", "password", "last_login"}


def snapshot(obj) -> dict:
    """The record's fields (and many-to-many ids) as JSON-safe values.

    Decimals take their stored form (``"51130000.00"`` however they were written), so that
    re-writing the same amount is no change."""
    data = serializers.serialize("python", [obj])[0]["fields"]
    data = {k: v for k, v in data.items() if k not in _SKIP}
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.DecimalField) and isinstance(data.get(field.name), Decimal):
            data[field.name] = data[field.name].quantize(Decimal(1).scaleb(-field.decimal_places))
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _actor_fields(actor):
    actor = actor if actor is not None else current_actor()
    if actor is None:
        return None, "anonymous"
    if isinstance(actor, SystemActor):
        return None, str(actor)[:150]
    return (actor if getattr(actor, "pk", None) else None), (getattr(actor, "username", "") or str(actor))[:150]


def _change(obj, action, before, after, actor, message, batch):
    user, name = _actor_fields(actor)
    return ObjectChange(
        actor=user,
        actor_name=name,
        batch_id=batch or current_batch(),
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        message=str(message)[:300],
        before=before,
        after=after,
    )


def record(obj, *, action: str, before: dict | None = None, actor=None, message: str = "", batch=None):
    """Write the change record for one object (``after`` is read from the object now)."""
    after = None if action == ObjectChange.Action.DELETE else snapshot(obj)
    return _change(obj, action, before, after, actor, message, batch).save()


def record_bulk(objs, *, action: str, actor=None, message: str = "", batch=None):
    """One change record per object, written with ``bulk_create`` (for bulk paths)."""
    batch = batch or current_batch()
    ObjectChange.objects.bulk_create(
        [_change(o, action, None, snapshot(o), actor, message, batch) for o in objs], batch_size=500
    )


def _set_m2m(obj, m2m: dict | None):
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)


def object_create(model, *, actor, data: dict, m2m: dict | None = None, message: str = ""):
    obj = model(**data)
    require(actor, "add", obj)
    obj.full_clean()
    with transaction.atomic():
        obj.save()
        _set_m2m(obj, m2m)
        record(obj, action=ObjectChange.Action.CREATE, actor=actor, message=message)
    return obj


def object_update(obj, *, actor, data: dict, m2m: dict | None = None, message: str = ""):
    """Change fields of ``obj``; no write and no record if nothing changes."""
    require(actor, "change", obj)
    before = snapshot(obj)
    for name, value in data.items():
        setattr(obj, name, value)
    require(actor, "change", obj)  # again on the record as it will be saved: nobody moves it out of their scope
    obj.full_clean()
    with transaction.atomic():
        obj.save()
        _set_m2m(obj, m2m)
        after = snapshot(obj)
        if after != before:
            _change(obj, ObjectChange.Action.UPDATE, before, after, actor, message, None).save()
    return obj


def object_delete(obj, *, actor, message: str = "") -> None:
    require(actor, "delete", obj)
    before = snapshot(obj)
    with transaction.atomic():
        change = _change(obj, ObjectChange.Action.DELETE, before, None, actor, message, None)
        obj.delete()
        change.save()


def crud_services(model):
    """The three audited writes for a model, as keyword-only functions.

    ``create(*, actor, m2m=None, **fields)``, ``update(*, actor, instance, m2m=None, **fields)``,
    ``delete(*, actor, instance)``. Apps bind them to ``<entity>_create`` … so that
    ``grep project_`` finds every operation; entities with more rules wrap them.
    """

    def create(*, actor, m2m: dict | None = None, **fields):
        return object_create(model, actor=actor, data=fields, m2m=m2m)

    def update(*, actor, instance, m2m: dict | None = None, **fields):
        return object_update(instance, actor=actor, data=fields, m2m=m2m)

    def delete(*, actor, instance) -> None:
        object_delete(instance, actor=actor)

    for fn, verb in ((create, "create"), (update, "update"), (delete, "delete")):
        fn.__name__ = f"{model._meta.model_name}_{verb}"
        fn.__doc__ = f"{verb.capitalize()} a {model._meta.verbose_name} (audited, checked with full_clean)."
    return create, update, delete
