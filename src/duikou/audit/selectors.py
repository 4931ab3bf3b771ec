"""Reads of the audit log: verifying its hash chain."""

from collections import defaultdict
from dataclasses import asdict, dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import router

from duikou.core.errors import PermissionDenied
from duikou.core.permissions import scope_for

from .chain import GENESIS, content_hash
from .models import AuditChainHead, ObjectChange, ObjectChangeScope

__all__ = ["CHUNK", "PROBLEMS", "ChainReport", "audit_chain_verify"]

CHUNK = 2000

#: What a broken link can be, in the order they are checked at the first record that fails.
PROBLEMS = (
    "unchained",  # no hash: written outside the audited services (raw SQL, a bare ``objects.create()``)
    "altered",  # the stored hash is not that of the record: its content or scope changed after writing
    "deleted",  # prev_hash names no record: the record(s) before it were deleted
    "reordered",  # prev_hash names a record further on: records were moved in id order
    "misplaced",  # prev_hash names an earlier record, not the one before: a record was inserted or moved
    "rewritten",  # the chain holds together but does not pass through the head: it was recomputed
    "truncated",  # the chain ends before the head: records at the end were deleted
)

_FIELDS = ("pk", "time", "actor_id", "actor_name", "batch_id", "action", "content_type_id", "object_id",
           "object_repr", "message", "before", "after", "prev_hash", "hash")


@dataclass(frozen=True)
class ChainReport:
    """The result of walking the chain. ``ok``: every record from ``first_id`` to ``last_id``
    (``records`` of them) links to the one before and the chain reaches the head.

    When it is broken, ``broken_at`` is the id of the first record that does not fit (for
    ``truncated``, the head's), ``problem`` one of :data:`PROBLEMS`, ``records`` the number of
    records that verified before it, and the hashes say what was expected and found. ``linked_to``
    is the id of the record ``prev_hash`` names, when there is one (``reordered``, ``misplaced``).
    """

    ok: bool
    records: int
    first_id: int | None
    last_id: int | None
    head_hash: str
    head_id: int | None
    broken_at: int | None = None
    problem: str | None = None
    expected_prev_hash: str | None = None
    stored_prev_hash: str | None = None
    stored_hash: str | None = None
    computed_hash: str | None = None
    linked_to: int | None = None

    def as_json(self) -> dict:
        return asdict(self)


def _walk(queryset, from_id: int, chunk: int):
    """(values, sorted scope ids) of every change from ``from_id`` in id order, ``chunk`` rows per
    query plus one query for their scope rows: memory stays flat however long the log."""
    last = from_id - 1
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list(*_FIELDS)[:chunk])
        if not rows:
            return
        scopes = defaultdict(list)
        for change_id, org_id in (ObjectChangeScope.objects.using(queryset.db)
                                  .filter(change_id__gte=rows[0][0], change_id__lte=rows[-1][0])
                                  .values_list("change_id", "organisation_id")):
            scopes[change_id].append(org_id)
        for row in rows:
            yield dict(zip(_FIELDS, row, strict=True)), scopes.get(row[0], ())
        last = rows[-1][0]


def audit_chain_verify(*, actor, from_id: int | None = None, chunk: int = CHUNK) -> ChainReport:
    """Walk the audit log's hash chain in id order, recompute every hash and report the first
    broken link (:class:`ChainReport`).

    ``from_id``: start at that record, trusting the hash of the record before it (a quick check of
    the recent part; the full walk is the proof). Only an actor whose scope is everything may
    verify: the walk reads every change. The head is read before the walk, so changes appended
    while it runs are walked as well and do not count as a break.
    """
    if not scope_for(actor, "view").all:
        raise PermissionDenied(action="view", obj=ObjectChange())
    changes = ObjectChange.objects.restrict(actor, "view").using(router.db_for_read(ObjectChange))
    head = AuditChainHead.objects.using(changes.db).filter(pk=1).values_list("change_id", "hash").first()
    head_id, head_hash = head if head else (None, GENESIS)
    start = max(from_id or 1, 1)
    before = changes.filter(pk__lt=start).order_by("-pk").values_list("hash", flat=True).first()
    prev = before if before is not None else GENESIS
    labels = {pk: f"{app}.{model}" for pk, app, model in
              ContentType.objects.using(changes.db).values_list("pk", "app_label", "model")}
    count, first_id, last_id, head_seen = 0, None, None, head_id is None or head_id < start

    def report(**kwargs) -> ChainReport:
        return ChainReport(records=count, first_id=first_id, last_id=last_id, head_hash=head_hash, head_id=head_id,
                           **kwargs)

    for row, org_ids in _walk(changes, start, chunk):
        pk = row["pk"]
        broken = {"ok": False, "broken_at": pk, "expected_prev_hash": prev, "stored_prev_hash": row["prev_hash"],
                  "stored_hash": row["hash"]}
        if not row["hash"]:
            return report(problem="unchained", **broken)
        computed = content_hash(
            time=row["time"], actor_id=row["actor_id"], actor_name=row["actor_name"], batch_id=row["batch_id"],
            action=row["action"], content_type=labels.get(row["content_type_id"], ""), object_id=row["object_id"],
            object_repr=row["object_repr"], message=row["message"], before=row["before"], after=row["after"],
            org_ids=org_ids, prev_hash=row["prev_hash"],
        )
        if computed != row["hash"]:
            return report(problem="altered", computed_hash=computed, **broken)
        if row["prev_hash"] != prev:
            linked = changes.filter(hash=row["prev_hash"]).order_by("pk").values_list("pk", flat=True).first()
            problem = "deleted" if linked is None else "reordered" if linked > pk else "misplaced"
            return report(problem=problem, computed_hash=computed, linked_to=linked, **broken)
        if pk == head_id:
            if row["hash"] != head_hash:  # the hashes were recomputed up to here, but not the head
                return report(problem="rewritten", computed_hash=computed, **broken)
            head_seen = True
        prev = row["hash"]
        count += 1
        first_id = first_id or pk
        last_id = pk
    if not head_seen:
        return report(ok=False, problem="truncated", broken_at=head_id, expected_prev_hash=head_hash,
                      stored_prev_hash=prev)
    return report(ok=True)
