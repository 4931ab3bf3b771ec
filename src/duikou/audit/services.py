"""Audited writes. Every domain service ends in one of these, and so do the admin and loaders.

``object_create`` / ``object_update`` / ``object_delete`` check the actor's right with ``require()``,
run ``full_clean()`` (field, row and constraint rules, with messages naming the field), save inside
one transaction and leave an :class:`ObjectChange` with the record before and after.

Every change also gets one :class:`ObjectChangeScope` row per organisation the record reaches
(``core.permissions.object_org_ids``: the ends of the model's ``restrict_paths``), taken before a
delete, so that ``ObjectChange.objects.restrict()`` shows each user the changes of the records
they may see. Reference data without ``restrict_paths`` reaches no organisation: its changes get
no scope rows and only users whose scope is everything see them.

Every change joins the log's hash chain (``duikou.audit.chain``) in the transaction that writes it:
:func:`_chain` locks the chain's head (:class:`AuditChainHead`), stamps the time, ``prev_hash`` and
``hash`` of each new change in order, and the head moves to the last one. That is two queries per
``record()`` and per ``record_bulk()`` call, whatever the number of rows. The head stays locked
until the transaction ends: write the audit record last in a service, as the helpers here do.
"""

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext

from duikou.core import totals
from duikou.core.errors import ApplicationError
from duikou.core.errors import PermissionDenied as DuikouPermissionDenied
from duikou.core.permissions import SystemActor, object_org_ids, require
from duikou.core.validation import BatchValidator

from .chain import GENESIS, change_hash
from .context import current_actor, current_batch
from .models import AuditChainHead, ObjectChange, ObjectChangeScope

__all__ = [
    "BulkCreateError",
    "BulkCreateResult",
    "bulk_create_service",
    "crud_services",
    "object_bulk_create",
    "object_create",
    "object_delete",
    "object_update",
    "record",
    "record_bulk",
    "snapshot",
]

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


def _lock_head(using: str) -> AuditChainHead:
    """The chain's head row, locked until the transaction ends (one query).

    The row is created by migration ``audit.0003``; if it is missing (a flushed test database, a
    deleted row), it is recreated from the last change, and a concurrent writer doing the same
    waits on the insert and then takes the row in turn."""
    heads = AuditChainHead.objects.using(using).select_for_update()
    try:
        return heads.get(pk=1)
    except AuditChainHead.DoesNotExist:
        last = ObjectChange.objects.using(using).order_by("-pk").values_list("pk", "hash").first()
        start = AuditChainHead(pk=1, change_id=last[0] if last else None, hash=(last[1] if last else "") or GENESIS)
        AuditChainHead.objects.using(using).bulk_create([start], ignore_conflicts=True)
        return heads.get(pk=1)


def _chain(changes_and_orgs: list[tuple[ObjectChange, set[int]]], using: str) -> AuditChainHead:
    """Link the unsaved ``changes`` to the chain, in order: lock the head, then set each change's
    time, ``prev_hash`` and ``hash``. Call inside the transaction that saves them, and move the
    head with :func:`_move_head` once they have ids."""
    head = _lock_head(using)
    prev, now = head.hash, timezone.now()
    for change, org_ids in changes_and_orgs:
        change.time = now
        change.prev_hash = prev
        change.hash = prev = change_hash(change, content_type=_label(change.content_type), org_ids=org_ids,
                                         prev_hash=prev)
    return head


def _move_head(head: AuditChainHead, last: ObjectChange, using: str) -> None:
    AuditChainHead.objects.using(using).filter(pk=head.pk).update(change_id=last.pk, hash=last.hash)


def _label(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def _keep_totals(model, changes: list[ObjectChange]) -> None:
    """Keep the register totals of ``model`` (:mod:`duikou.core.totals`) for ``changes``, in the
    transaction of the write: every audited write passes here."""
    if totals.for_model(model) is None:
        return
    if any(c.action == ObjectChange.Action.UPDATE and c.before is None for c in changes):
        raise ValueError(f"An update of {model.__name__} must be recorded with its values before.")
    totals.apply(model, [(c.before, c.after) for c in changes])


def _save(change: ObjectChange, org_ids: set[int], model=None) -> None:
    """Save one change, chained, with its scope rows: lock the head, insert the change, insert its
    scope rows (none when it reaches no organisation), move the head; and keep the register totals
    of ``model`` (the changed record's class)."""
    using = router.db_for_write(ObjectChange)
    with transaction.atomic(using=using, savepoint=False):
        head = _chain([(change, org_ids)], using)
        change.save(using=using)
        _save_scopes([(change, org_ids)])
        _move_head(head, change, using)
        if model is not None:
            _keep_totals(model, [change])


def _save_scopes(changes_and_orgs: list[tuple[ObjectChange, set[int]]]) -> None:
    scopes = [
        ObjectChangeScope(change=change, organisation_id=org_id)
        for change, org_ids in changes_and_orgs for org_id in sorted(org_ids)
    ]
    if scopes:
        ObjectChangeScope.objects.bulk_create(scopes, batch_size=1000)


def record(obj, *, action: str, before: dict | None = None, actor=None, message: str = "", batch=None,
           org_ids=None, keep_totals: bool = True) -> ObjectChange:
    """Write the change record for one object (``after`` is read from the object now), and keep the
    register totals (:mod:`duikou.core.totals`) for the change.

    ``org_ids``: the organisations the record reaches, when the caller took them earlier (a delete
    records after the row is gone, when its relations can no longer be followed); by default
    ``object_org_ids(obj)`` now. ``keep_totals=False`` only for a record that stands for a bulk write
    of many rows, whose caller rebuilds the totals (``duikou generate``).
    """
    after = None if action == ObjectChange.Action.DELETE else snapshot(obj)
    change = _change(obj, action, before, after, actor, message, batch)
    _save(change, object_org_ids(obj) if org_ids is None else set(org_ids), type(obj) if keep_totals else None)
    return change


def record_bulk(objs, *, action: str, actor=None, message: str = "", batch=None) -> None:
    """One change record per object, written with ``bulk_create`` (for bulk paths), and their
    scope rows with one more ``bulk_create``.

    The scope rows follow each object's ``restrict_paths``; pass objects whose relations on those
    paths are loaded (``select_related``) or each object costs a query. ``bulk_create`` sets the
    primary keys the scope rows need on SQLite ≥ 3.35 and PostgreSQL; a database that cannot return
    them gets the changes saved one by one.

    The changes are chained in the order of ``objs``, their hashes computed in Python before the
    insert; ``bulk_create`` gives them ascending ids in that order on both databases.
    """
    batch = batch or current_batch()
    objs = list(objs)
    if not objs:
        return
    pairs = [(_change(o, action, None, snapshot(o), actor, message, batch), object_org_ids(o)) for o in objs]
    using = router.db_for_write(ObjectChange)
    with transaction.atomic(using=using, savepoint=False):
        head = _chain(pairs, using)
        if connections[using].features.can_return_rows_from_bulk_insert:
            ObjectChange.objects.using(using).bulk_create([c for c, _ in pairs], batch_size=500)
        else:  # pragma: no cover - SQLite before 3.35
            for change, _org_ids in pairs:
                change.save(using=using)
        _save_scopes(pairs)
        _move_head(head, pairs[-1][0], using)
        for model in {type(o) for o in objs}:
            _keep_totals(model, [c for (c, _o), obj in zip(pairs, objs, strict=True) if type(obj) is model])


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


@dataclass
class BulkCreateResult:
    """What :func:`object_bulk_create` did: the records created, in the order of the rows given,
    and for each row refused its index → the ``ValidationError`` or ``PermissionDenied``."""

    created: list = dataclasses.field(default_factory=list)
    errors: dict[int, Exception] = dataclasses.field(default_factory=dict)


class BulkCreateError(ApplicationError):
    """Rows of a bulk create were refused and nothing was written; ``errors``: index → error."""

    def __init__(self, errors: dict[int, Exception]):
        first = min(errors)
        problem = errors[first]
        text = "; ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)
        super().__init__(f"{gettext('row {n}').format(n=first + 1)}: {text}", extra={"errors": errors})
        self.errors = errors


def object_bulk_create(model, *, actor, rows: Sequence[dict], message: str = "", partial: bool = False,
                       check: Callable[[object, dict], None] | None = None) -> BulkCreateResult:
    """Create one record of ``model`` per dict of ``rows`` under the rules of :func:`object_create`,
    with the database work done per batch rather than per record.

    Each row is checked as ``object_create`` checks it: ``check(actor, fields)`` first if given
    (the domain rules of a wrapping service, raising ``ValidationError``), the right with
    ``require(actor, "add", obj)``, then the model's validation (``full_clean()``: fields,
    ``clean()``, uniqueness, constraints) through :class:`~duikou.core.validation.BatchValidator`,
    which asks the database once per foreign key and unique check for all the rows and treats the
    rows accepted before a row as saved. The records are then written with ``bulk_create`` and
    each gets its own audit record in the hash chain (:func:`record_bulk`), all in one
    transaction.

    A refused row is reported in the result's ``errors`` by its index. Without ``partial``, one
    refused row and nothing is written (:class:`BulkCreateError`); with ``partial``, the other rows
    are written. Many-to-many values are not taken: use :func:`object_create` for such rows.
    """
    objs = [model(**data) for data in rows]
    errors: dict[int, Exception] = {}
    candidates = []
    for index, (obj, data) in enumerate(zip(objs, rows, strict=True)):
        try:
            if check is not None:
                check(actor, data)
            require(actor, "add", obj)
        except (ValidationError, DuikouPermissionDenied) as exc:
            errors[index] = exc
        else:
            candidates.append(index)
    problems = BatchValidator(model).validate([objs[i] for i in candidates])
    for index, problem in zip(candidates, problems, strict=True):
        if problem is not None:
            errors[index] = problem
    if errors and not partial:
        raise BulkCreateError(errors)
    good = [obj for index, obj in enumerate(objs) if index not in errors]
    if good:
        using = router.db_for_write(model)
        with transaction.atomic(using=using):
            if connections[using].features.can_return_rows_from_bulk_insert:
                model._default_manager.using(using).bulk_create(good, batch_size=500)
            else:  # pragma: no cover - SQLite before 3.35
                for obj in good:
                    obj.save(using=using)
            record_bulk(good, action=ObjectChange.Action.CREATE, actor=actor, message=message)
    return BulkCreateResult(created=good, errors=errors)


def bulk_create_service(model, check: Callable[[object, dict], None] | None = None):
    """``<model>_bulk_create(*, actor, rows, partial=False)``: :func:`object_bulk_create` of
    ``model``, with the row rule ``check`` of the model's own create service, if it has one."""

    def bulk_create(*, actor, rows: Sequence[dict], partial: bool = False) -> BulkCreateResult:
        return object_bulk_create(model, actor=actor, rows=rows, partial=partial, check=check)

    bulk_create.__name__ = f"{model._meta.model_name}_bulk_create"
    bulk_create.__doc__ = (f"Create {model._meta.verbose_name_plural} in bulk (each audited, checked as "
                           f"{model._meta.model_name}_create checks it).")
    return bulk_create


def object_update(obj, *, actor, data: dict, m2m: dict | None = None, message: str = ""):
    """Change fields of ``obj``; no write and no record if nothing changes.

    The change is scoped to the organisations the record reached before and after, so that those
    it moved away from still see that it left."""
    require(actor, "change", obj)
    before = snapshot(obj)
    org_ids = object_org_ids(obj)
    for name, value in data.items():
        setattr(obj, name, value)
    require(actor, "change", obj)  # again on the record as it will be saved: nobody moves it out of their scope
    obj.full_clean()
    with transaction.atomic():
        obj.save()
        _set_m2m(obj, m2m)
        after = snapshot(obj)
        if after != before:
            change = _change(obj, ObjectChange.Action.UPDATE, before, after, actor, message, None)
            _save(change, org_ids | object_org_ids(obj), type(obj))
    return obj


def object_delete(obj, *, actor, message: str = "") -> None:
    require(actor, "delete", obj)
    before = snapshot(obj)
    org_ids = object_org_ids(obj)  # while the row and the rows it points through still exist
    with transaction.atomic():
        change = _change(obj, ObjectChange.Action.DELETE, before, None, actor, message, None)
        obj.delete()
        _save(change, org_ids, type(obj))


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
