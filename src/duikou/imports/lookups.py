"""Foreign keys given by human keys, resolved once per file.

A cell names a related record by one of its keys (see :data:`KEYS`); the id works too when no
human key matches. The candidates are the rows the form offers the user (its restricted
queryset), read once per column and file; for the models of :data:`KEY_FIELDS` only their ids and
keys are read for the file, and the records a batch names with one query per batch. Records that belong to a pairing (products, channels,
suppliers, batches) are looked up within the row's pairing first, so the same product name may
exist in two pairings.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.utils import translation

__all__ = ["KEYS", "Lookup", "normalise"]


def normalise(text) -> str:
    """Spaces collapsed, ``->`` read as ``→``, lower case."""
    text = re.sub(r"\s*(→|->|—>|＞|>)\s*", "→", str(text).strip())
    return re.sub(r"\s+", " ", text).lower()


def _pairing_keys(obj):
    return [obj.short_label, str(obj)]


def _attrs(*names):
    def keys(obj):
        return [getattr(obj, n) for n in names if getattr(obj, n, "")]
    return keys


# model label → the human keys of a row (besides its id)
KEYS = {
    "organisations.pairing": _pairing_keys,
    "organisations.organisation": _attrs("name", "short_name"),
    "organisations.admindivision": _attrs("code", "name"),
    "plans.keytask": _attrs("code", "name"),
    "plans.plan": _attrs("title"),
    "projects.project": _attrs("code"),
    "consumption.supplier": _attrs("name"),
    "consumption.product": _attrs("name"),
    "consumption.saleschannel": _attrs("name"),
    "people.secondmentbatch": lambda obj: [obj.name, str(obj)] if obj.name else [str(obj)],
}


# Models with too many rows to read whole for a file (300,000 projects at national scale): their one
# key field is read for every row the user may see, as (id, key) pairs, and the records themselves
# only for the ids a batch of rows names (:meth:`Lookup.load`).
KEY_FIELDS = {"projects.project": "code"}


class Lookup:
    """Cell text → primary key for one form field (a ``ModelChoiceField``)."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.model = queryset.model
        self._index: dict[tuple[str, int | None], set[int]] | None = None
        self.objects: dict[int, object] = {}
        self.key_field = KEY_FIELDS.get(self.model._meta.label_lower)
        self._pks: set[int] = set()  # every id the queryset offers (key-field models)

    def _build(self):
        if self.key_field:
            return self._build_keys()
        keys_of = KEYS.get(self.model._meta.label_lower, lambda obj: [str(obj)])
        by_pairing = any(f.name == "pairing" for f in self.model._meta.concrete_fields)
        index: dict[tuple[str, int | None], set[int]] = defaultdict(set)
        related = list(getattr(self.model, "label_related", ()))
        if self.model._meta.label_lower == "people.secondmentbatch":
            related = ["pairing__supporter", "pairing__recipient"]
        qs = self.queryset.select_related(*related) if related else self.queryset
        for obj in qs:
            self.objects[obj.pk] = obj
            texts = set()
            for language in ("zh-hans", "en"):  # labels built with gettext (第N批 / Batch N)
                with translation.override(language):
                    texts.update(normalise(k) for k in keys_of(obj) if k)
            for text in texts:
                index[(text, None)].add(obj.pk)
                if by_pairing:
                    index[(text, obj.pairing_id)].add(obj.pk)
        self._index = index

    def _build_keys(self):
        """The index of a key-field model from (id, key) pairs: the same keys as reading the rows
        (its key is one field, not a label), without the rows."""
        by_pairing = any(f.name == "pairing" for f in self.model._meta.concrete_fields)
        fields = ["pk", self.key_field] + (["pairing_id"] if by_pairing else [])
        index: dict[tuple[str, int | None], set[int]] = defaultdict(set)
        for pk, key, *pairing in self.queryset.order_by().values_list(*fields):
            self._pks.add(pk)
            if not key:
                continue
            text = normalise(key)
            index[(text, None)].add(pk)
            if by_pairing:
                index[(text, pairing[0])].add(pk)
        self._index = index

    def load(self, pks) -> None:
        """Read the records ``pks`` (those a batch of rows names) with one query, for the form."""
        wanted = {pk for pk in pks if isinstance(pk, int) and pk not in self.objects}
        if not wanted:
            return
        related = list(getattr(self.model, "label_related", ()))
        qs = self.queryset.filter(pk__in=wanted)
        for obj in (qs.select_related(*related) if related else qs):
            self.objects[obj.pk] = obj

    def cached_to_python(self, field):
        """``field.to_python`` that takes the rows read once for the file instead of one query per
        row; a value not among them goes to the field's own ``to_python`` (its queryset decides)."""
        original = field.to_python

        def to_python(value):
            if value in field.empty_values:
                return None
            if self._index is None:
                self._build()
            try:
                obj = self.objects.get(int(value))
            except (TypeError, ValueError):
                obj = None
            return obj if obj is not None else original(value)

        return to_python

    def resolve(self, text, pairing_id: int | None = None) -> tuple[int | None, str]:
        """(pk, "") when the text names one row; (None, "unknown" | "ambiguous") otherwise."""
        if self._index is None:
            self._build()
        key = normalise(text)
        if pairing_id is not None and (key, pairing_id) in self._index:
            found = self._index[(key, pairing_id)]
        else:
            found = self._index.get((key, None), set())
        if len(found) == 1:
            return next(iter(found)), ""
        if len(found) > 1:
            return None, "ambiguous"
        digits = str(text).strip().lstrip("#")
        if digits.isdigit() and int(digits) in (self._pks if self.key_field else self.objects):
            return int(digits), ""
        return None, "unknown"
