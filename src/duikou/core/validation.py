"""Validating a batch of new records with a few queries for the batch instead of several per record.

``BaseModel.full_clean()`` asks the database once per foreign key of a record (does the row it
names exist?), once per unique field and unique constraint (is the value taken?) and once per
check constraint (Django evaluates the condition in a ``SELECT``). :class:`BatchValidator`
answers the same questions for a batch of unsaved instances of one model:

- foreign keys: one query per foreign key for the whole batch (the ids that exist, with the
  field's ``limit_choices_to``);
- unique fields, ``unique_together`` and unique constraints on plain fields without a condition:
  one query per check for the whole batch, and the rows of the batch accepted before (a later row
  of the batch may not take a value an earlier one took, as if they had been saved one by one);
- check constraints: evaluated in Python (:func:`evaluate`) when their condition uses only the
  lookups ``exact``, ``in``, ``isnull``, ``gt``, ``gte``, ``lt``, ``lte`` between the record's own
  fields and constants of comparable types, with SQL's three-valued logic (a condition that comes
  out unknown passes, as ``Q.check`` treats it); any other constraint is asked of the database as
  before.

Everything else (``clean_fields()`` itself, ``clean()``, the exclusion of failed fields, the
messages and the fields they are reported on) is the model's own code, in the order of
``BaseModel.full_clean()``; a model that overrides one of the validation methods is validated by
its own ``full_clean()``, one record at a time. ``tests/test_validation.py`` of this app checks
that both give the same errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, router
from django.db.models import CheckConstraint, F, ForeignKey, Q, UniqueConstraint
from django.db.models.expressions import DatabaseDefault

from .models import BaseModel

__all__ = ["BatchValidator", "Unsupported", "evaluate"]

CHUNK = 500  # values per IN (...) list


class Unsupported(Exception):
    """The condition cannot be evaluated in Python: ask the database."""


# check constraints in Python --------------------------------------------------------------------

_NUMBERS = (int, Decimal)  # not float: SQL compares floats and decimals differently from Python


def _comparable(a, b, ordered: bool) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and not ordered
    if isinstance(a, _NUMBERS) and isinstance(b, _NUMBERS):
        return True
    if isinstance(a, dt.datetime) or isinstance(b, dt.datetime):
        return isinstance(a, dt.datetime) and isinstance(b, dt.datetime) and (a.tzinfo is None) == (b.tzinfo is None)
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return True
    if isinstance(a, str) and isinstance(b, str):
        return not ordered  # ordering of text follows the database's collation
    return False


def _operand(value, values: dict):
    if isinstance(value, F):
        if value.name not in values:
            raise Unsupported(value.name)
        return values[value.name]
    if hasattr(value, "resolve_expression"):
        raise Unsupported(repr(value))
    return value


def _lookup(lookup: str, rhs, values: dict) -> bool | None:
    name, _sep, op = lookup.partition("__")
    op = op or "exact"
    if "__" in op or name not in values:
        raise Unsupported(lookup)  # a join, a transform or a name the record does not have
    lhs = values[name]
    if op == "isnull":
        if not isinstance(rhs, bool):
            raise Unsupported(lookup)
        return (lhs is None) == rhs
    if op == "in":
        if isinstance(rhs, str) or not isinstance(rhs, list | tuple | set | frozenset):
            raise Unsupported(lookup)
        items = [_operand(v, values) for v in rhs]
        if lhs is None:
            return None
        known = [v for v in items if v is not None]
        if any(not _comparable(lhs, v, ordered=False) for v in known):
            raise Unsupported(lookup)
        if lhs in known:
            return True
        return None if len(known) < len(items) else False
    if op == "exact" and rhs is None:
        return lhs is None  # Django turns ``exact=None`` into ``isnull``
    rhs = _operand(rhs, values)
    if op not in ("exact", "gt", "gte", "lt", "lte"):
        raise Unsupported(lookup)
    if lhs is None or rhs is None:
        return None
    if not _comparable(lhs, rhs, ordered=op != "exact"):
        raise Unsupported(lookup)
    return {"exact": lhs == rhs, "gt": lhs > rhs, "gte": lhs >= rhs, "lt": lhs < rhs, "lte": lhs <= rhs}[op]


def evaluate(condition, values: dict) -> bool | None:
    """The truth of a ``Q`` over ``values`` (field name → value) in SQL's three-valued logic:
    ``True``, ``False`` or ``None`` (unknown). Raises :class:`Unsupported` for what it cannot
    evaluate exactly as the database would."""
    if isinstance(condition, Q):
        results = [evaluate(child, values) for child in condition.children]
        if condition.connector == Q.AND:
            out = False if False in results else (None if None in results else True)
        elif condition.connector == Q.OR:
            out = True if True in results else (None if None in results else False)
        else:  # XOR
            raise Unsupported(condition.connector)
        if condition.negated:
            out = None if out is None else not out
        return out
    if isinstance(condition, tuple) and len(condition) == 2 and isinstance(condition[0], str):
        return _lookup(condition[0], condition[1], values)
    raise Unsupported(repr(condition))


def _field_values(instance, meta, exclude) -> dict:
    """What ``Model._get_field_expression_map`` gives ``Q.check``, as plain values."""
    values = {}
    for f in meta.local_concrete_fields:
        if f.name in exclude:
            continue
        if f.generated:
            raise Unsupported(f.name)
        value = getattr(instance, f.attname)
        if hasattr(value, "resolve_expression"):
            raise Unsupported(f.name)
        values[f.name] = value
    if "pk" not in exclude:
        values["pk"] = instance.pk
    return values


# the batch ------------------------------------------------------------------------------------------


def _overrides(model, name: str) -> bool:
    return getattr(model, name) is not getattr(BaseModel, name)


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _plain_unique(constraint) -> bool:
    return (isinstance(constraint, UniqueConstraint) and bool(constraint.fields) and constraint.condition is None
            and not constraint.expressions and constraint.nulls_distinct is not False)


class BatchValidator:
    """``full_clean()`` for a batch of unsaved instances of ``model``, with the database asked per
    batch (see the module docstring). Use :meth:`validate`."""

    def __init__(self, model):
        self.model = model
        self.meta = model._meta
        self.using = router.db_for_write(model)
        self.per_row = (not issubclass(model, BaseModel) or any(_overrides(model, n) for n in (
            "full_clean", "clean_fields", "validate_unique", "validate_constraints", "_perform_unique_checks")))
        self.fk_found: dict[str, set] = {}
        self.taken: dict[tuple[str, ...], set[tuple]] = {}  # unique fields → value tuples in the database
        self.accepted: dict[tuple[str, ...], set[tuple]] = {}  # … and of the rows of the batch accepted

    def validate(self, objs: Sequence) -> list[ValidationError | None]:
        """One entry per instance, in order: the ``ValidationError`` its ``full_clean()`` would
        raise (the database as read for the batch, plus the instances accepted before it), or
        ``None``. Fields are cleaned in place, as ``full_clean()`` does."""
        objs = list(objs)
        if self.per_row:
            out = []
            for obj in objs:
                try:
                    obj.full_clean()
                except ValidationError as exc:
                    out.append(exc)
                else:
                    out.append(None)
            return out
        self._read_foreign_keys(objs)
        out: list[ValidationError | None] = []
        for obj in objs:
            try:
                self._clean_fields(obj)
            except ValidationError as exc:
                out.append(exc)
            else:
                out.append(None)
        self._read_unique([o for o, e in zip(objs, out, strict=True) if e is None])
        for i, obj in enumerate(objs):
            if out[i] is None:
                out[i] = self._full_clean_rest(obj)
                if out[i] is None:
                    self._accept(obj)
        return out

    # foreign keys ------------------------------------------------------------------------------
    def _foreign_keys(self):
        return [f for f in self.meta.fields if isinstance(f, ForeignKey) and not f.remote_field.parent_link
                and not f.generated]

    def _read_foreign_keys(self, objs) -> None:
        for f in self._foreign_keys():
            wanted = set()
            for obj in objs:
                raw = getattr(obj, f.attname)
                if raw in f.empty_values or isinstance(raw, DatabaseDefault):
                    continue
                try:
                    wanted.add(f.to_python(raw))
                except ValidationError:
                    continue
            found = set()
            target = f.remote_field.field_name
            using = router.db_for_read(f.remote_field.model)
            for chunk in _chunks(sorted(wanted, key=str)):
                qs = f.remote_field.model._base_manager.using(using).filter(**{f"{target}__in": chunk})
                found.update(qs.complex_filter(f.get_limit_choices_to()).values_list(target, flat=True))
            self.fk_found[f.name] = found

    def _clean_fields(self, obj) -> None:
        """``Model.clean_fields()``, with a foreign key's existence taken from the batch's query."""
        errors = {}
        for f in self.meta.fields:
            if f.generated:
                continue
            raw = getattr(obj, f.attname)
            if f.blank and raw in f.empty_values:
                continue
            if isinstance(raw, DatabaseDefault):
                continue
            try:
                if f.name in self.fk_found:
                    value = f.to_python(raw)
                    super(ForeignKey, f).validate(value, obj)  # choices, null, blank: without the query
                    if value is not None and value not in self.fk_found[f.name]:
                        raise ValidationError(f.error_messages["invalid"], code="invalid", params={
                            "model": f.remote_field.model._meta.verbose_name, "pk": value,
                            "field": f.remote_field.field_name, "value": value})
                    f.run_validators(value)
                else:
                    value = f.clean(raw, obj)
                setattr(obj, f.attname, value)
            except ValidationError as e:
                errors[f.name] = e.error_list
        if errors:
            raise ValidationError(errors)

    # uniqueness --------------------------------------------------------------------------------
    def _unique_sets(self) -> list[tuple[str, ...]]:
        probe = self.model()
        checks, _date_checks = probe._get_unique_checks()
        sets = [tuple(fields) for model_class, fields in checks if model_class is self.model]
        for model_class, constraints in probe.get_constraints():
            if model_class is self.model:
                sets += [tuple(c.fields) for c in constraints if _plain_unique(c)]
        return list(dict.fromkeys(sets))

    def _values(self, obj, fields: tuple[str, ...]) -> tuple | None:
        empty_is_null = connections[self.using].features.interprets_empty_strings_as_nulls
        out = []
        for name in fields:
            value = getattr(obj, self.meta.get_field(name).attname)
            if value is None or (value == "" and empty_is_null):
                return None  # NULL is distinct from everything: no check
            out.append(value)
        return tuple(out)

    def _read_unique(self, objs) -> None:
        for fields in self._unique_sets():
            tuples = {t for t in (self._values(o, fields) for o in objs) if t is not None}
            found: set[tuple] = set()
            if tuples:
                attnames = [self.meta.get_field(n).attname for n in fields]
                first = sorted({t[0] for t in tuples}, key=str)
                for chunk in _chunks(first):
                    qs = self.model._default_manager.using(self.using).filter(**{f"{fields[0]}__in": chunk})
                    for pos, name in enumerate(fields[1:], start=1):
                        qs = qs.filter(**{f"{name}__in": list({t[pos] for t in tuples})})
                    found.update(tuple(row) for row in qs.values_list(*attnames))
            self.taken[fields] = found & tuples
            self.accepted[fields] = set()

    def _is_taken(self, obj, fields: tuple[str, ...]) -> bool:
        if fields not in self.taken:
            raise Unsupported(fields)
        values = self._values(obj, fields)
        return values is not None and (values in self.taken[fields] or values in self.accepted[fields])

    def _accept(self, obj) -> None:
        for fields, accepted in self.accepted.items():
            values = self._values(obj, fields)
            if values is not None:
                accepted.add(values)

    def _validate_unique(self, obj, exclude: set) -> None:
        """``Model.validate_unique()`` for a new instance, answered from the batch."""
        checks, date_checks = obj._get_unique_checks(exclude=exclude)
        errors = {}
        for model_class, fields in checks:
            fields = tuple(fields)
            if model_class is not self.model or fields not in self.taken:
                for key, messages in obj._perform_unique_checks([(model_class, fields)]).items():
                    errors.setdefault(key, []).extend(messages)
                continue
            if self._is_taken(obj, fields):
                key = fields[0] if len(fields) == 1 else NON_FIELD_ERRORS
                errors.setdefault(key, []).append(obj.unique_error_message(model_class, fields))
        for key, messages in obj._perform_date_checks(date_checks).items():
            errors.setdefault(key, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    # constraints -------------------------------------------------------------------------------
    def _check_constraint(self, constraint, model_class, instance, exclude, using) -> None:
        exclude = exclude or set()
        if isinstance(constraint, CheckConstraint):
            try:
                ok = evaluate(constraint.condition, _field_values(instance, model_class._meta, exclude))
            except Unsupported:
                constraint.validate(model_class, instance, exclude=exclude, using=using)
                return
            if ok is False:
                raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            return
        fields = tuple(getattr(constraint, "fields", ()) or ())
        if model_class is self.model and _plain_unique(constraint) and fields in self.taken:
            if any(name in exclude for name in fields):
                return
            if self._is_taken(instance, fields):
                if constraint.violation_error_message == constraint.default_violation_error_message:
                    message = instance.unique_error_message(model_class, fields)
                    raise ValidationError(message, code=message.code)
                raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            return
        constraint.validate(model_class, instance, exclude=exclude, using=using)

    # the rest of full_clean ---------------------------------------------------------------------
    def _full_clean_rest(self, obj) -> ValidationError | None:
        """``BaseModel.full_clean()`` after the fields: ``clean()``, uniqueness, constraints."""
        errors: dict = {}
        exclude: set[str] = set()
        try:
            obj.clean()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
        try:
            self._validate_unique(obj, exclude)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
        try:
            obj.validate_constraints(exclude=exclude, check=self._check_constraint)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        return ValidationError(errors) if errors else None
