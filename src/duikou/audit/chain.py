"""The hash chain of the audit log: what a change's ``hash`` is computed over, and how.

Each :class:`~duikou.audit.models.ObjectChange` carries ``prev_hash`` (the ``hash`` of the change
before it in id order; :data:`GENESIS`, 64 zeros, for the first) and ``hash``: the hex SHA-256 of
:func:`canonical`, a sorted-key JSON object with fixed separators, ``ensure_ascii=False``, encoded
as UTF-8, of the change's content and its ``prev_hash``:

=============== ==========================================================================
``v``           the format version (:data:`FORMAT`)
``time``        ISO 8601 in UTC with microseconds and offset (``2024-10-23T02:00:00.000000+00:00``)
``actor``       the user's id, or null (the system actor, anonymous)
``actor_name``  as stored
``batch``       the batch UUID, hyphenated lower case
``action``      ``create`` / ``update`` / ``delete``
``type``        the content type as ``app_label.model``
``object_id``   ``object_repr``, ``message``: as stored
``before``      ``after``: the JSON as stored (numbers normalised, see :func:`_normalise`)
``scopes``      the organisation ids of its :class:`ObjectChangeScope` rows, sorted
``prev``        ``prev_hash``
=============== ==========================================================================

The scope rows are hashed too: they decide who may read the change (decision 0008), so moving a
change into or out of an organisation's view is tampering like any other. They are known before
the change is saved (the services take them first), so hashing them costs nothing.

Changing anything here changes every hash: existing chains would no longer verify. A new format
needs a new ``v`` and a verifier that knows both.
"""

import datetime
import hashlib
import json
import uuid

__all__ = ["FORMAT", "GENESIS", "canonical", "change_hash", "content_hash"]

GENESIS = "0" * 64
FORMAT = 1


def _normalise(value):
    """JSON values as they come back from any backend.

    PostgreSQL's ``jsonb`` keeps numbers as ``numeric``: a float that is a whole number may come
    back as an integer (``1e+20`` → ``100000000000000000000``), so whole floats are hashed as
    integers. Key order is irrelevant (``sort_keys``)."""
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _time(value: datetime.datetime) -> str:
    if value.tzinfo is None:  # USE_TZ = False: stored times are UTC by convention
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(*, time, actor_id, actor_name, batch_id, action, content_type: str, object_id, object_repr,
              message, before, after, org_ids, prev_hash: str) -> bytes:
    """The bytes a change's hash is computed over (see the module docstring)."""
    data = {
        "v": FORMAT,
        "time": _time(time),
        "actor": actor_id,
        "actor_name": actor_name,
        "batch": str(batch_id if isinstance(batch_id, uuid.UUID) else uuid.UUID(str(batch_id))),
        "action": str(action),
        "type": content_type,
        "object_id": str(object_id),
        "object_repr": object_repr,
        "message": message,
        "before": _normalise(before),
        "after": _normalise(after),
        "scopes": sorted(int(i) for i in org_ids),
        "prev": prev_hash,
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def content_hash(**fields) -> str:
    """The hex SHA-256 of :func:`canonical` (same keyword arguments)."""
    return hashlib.sha256(canonical(**fields)).hexdigest()


def change_hash(change, *, content_type: str, org_ids, prev_hash: str) -> str:
    """The hash of an :class:`ObjectChange` instance (saved or not) with the given scope and predecessor."""
    return content_hash(
        time=change.time, actor_id=change.actor_id, actor_name=change.actor_name, batch_id=change.batch_id,
        action=change.action, content_type=content_type, object_id=change.object_id,
        object_repr=change.object_repr, message=change.message, before=change.before, after=change.after,
        org_ids=org_ids, prev_hash=prev_hash,
    )
