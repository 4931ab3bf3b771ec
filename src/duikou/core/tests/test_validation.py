"""The batch validator: the same errors as ``full_clean()``, with a few queries per batch.

Check constraints evaluated in Python must agree with the database on every constraint of every
model; a record of the batch is refused exactly as ``full_clean()`` refuses it, with the rows of the
batch accepted before it counted as saved."""

import datetime as dt
import itertools
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.db.models import CheckConstraint, Q
from django.test.utils import CaptureQueriesContext

from duikou.consumption.models import Product, SalesRecord
from duikou.core.validation import BatchValidator, Unsupported, _field_values, evaluate
from duikou.people.models import Secondment, TrainingSession
from duikou.projects.models import Project
from duikou.testing.factories import KeyTaskFactory, PairingFactory, ProductFactory, ProjectFactory

pytestmark = pytest.mark.django_db

# models created in bulk by the importer: every check constraint of theirs is evaluated in Python
BATCH_MODELS = [Project, Secondment, TrainingSession, Product, SalesRecord]


def _pool(field) -> list:
    if isinstance(field, models.DecimalField):
        values = [Decimal("-1.50"), Decimal("0"), Decimal("2.25"), Decimal("95")]
    elif isinstance(field, models.DateTimeField):
        values = [dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2021, 6, 1, tzinfo=dt.UTC)]
    elif isinstance(field, models.DateField):
        values = [dt.date(2020, 1, 1), dt.date(2021, 6, 1), dt.date(2021, 6, 2)]
    elif isinstance(field, models.BooleanField):
        values = [True, False]
    elif isinstance(field, models.IntegerField | models.ForeignKey):
        values = [-1, 0, 1, 5, 1949, 2100, 2101]
    elif isinstance(field, models.CharField | models.TextField):
        values = ["", "a"] + [str(c) for c, _label in (field.choices or [])][:3]
    else:
        values = []
    return values + ([None] if field.null else [])


def _referenced(condition) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _referenced(child)
        else:
            names.add(child[0].split("__")[0])
            rhs = child[1]
            if hasattr(rhs, "name"):
                names.add(rhs.name)
    return names


def _check_constraints():
    for model in apps.get_models():
        if not model.__module__.startswith("duikou."):
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                yield model, constraint


def test_python_evaluation_agrees_with_the_database_on_every_check_constraint():
    rng = random.Random(6)
    compared = 0
    for model, constraint in _check_constraints():
        fields = {}
        for name in sorted(_referenced(constraint.condition)):
            try:
                fields[name] = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - pk and the like
                pass
        combos = list(itertools.product(*[_pool(f) for f in fields.values()]))
        rng.shuffle(combos)
        for combo in combos[:40]:
            obj = model()
            for f, value in zip(fields.values(), combo, strict=True):
                setattr(obj, f.attname, value)
            try:
                ours = evaluate(constraint.condition, _field_values(obj, model._meta, set()))
            except Unsupported:
                assert model not in BATCH_MODELS, f"{model.__name__}.{constraint.name} is not evaluated in Python"
                continue
            against = obj._get_field_expression_map(meta=model._meta)
            database = Q(constraint.condition).check(against, using=connection.alias)
            assert (ours is not False) == database, (model.__name__, constraint.name, combo, ours)
            compared += 1
    assert compared > 200


def test_three_valued_logic_as_in_sql():
    assert evaluate(Q(a__gte=0), {"a": None}) is None
    assert evaluate(~Q(a__gte=0), {"a": None}) is None
    assert evaluate(Q(a__isnull=True) | Q(a__gte=0), {"a": None}) is True
    assert evaluate(Q(a__gte=0) & Q(b__gte=0), {"a": None, "b": -1}) is False
    assert evaluate(Q(a__in=[1, None]), {"a": 2}) is None
    with pytest.raises(Unsupported):
        evaluate(Q(a__lt="b"), {"a": "a"})  # text order is the database's collation
    with pytest.raises(Unsupported):
        evaluate(Q(a__pairing__gte=0), {"a": 1})  # a join


def _errors(exc: ValidationError | None) -> dict | None:
    return None if exc is None else exc.message_dict


def _full_clean(obj) -> dict | None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return None


def test_batch_refuses_each_record_as_full_clean_does():
    pairing = PairingFactory(valid_from=dt.date(2021, 1, 1))
    taken = ProjectFactory(pairing=pairing, code="TAKEN-1")
    key_task = KeyTaskFactory(code="industry")
    variants = {
        "valid": {},
        "negative budget": {"budget": Decimal("-1")},
        "years reversed": {"start_year": 2024, "end_year": 2023},
        "outside the period": {"start_year": 2019, "end_year": 2019},
        "code taken": {"code": taken.code},
        "no such key task": {"key_task_id": 999_999},
        "code too long": {"code": "X" * 41},
        "latitude out of range": {"latitude": Decimal("95")},
        "both coordinates": {"latitude": Decimal("95"), "longitude": Decimal("-190")},
        "budget not a number": {"budget": "abc"},
    }

    def build(n, changes):
        fields = {"code": f"NEW-{n}", "name": "x", "pairing": pairing, "key_task": key_task,
                  "location_division": pairing.recipient_division, "start_year": 2024, "end_year": 2024,
                  "budget": Decimal("10")}
        obj = Project(**fields)
        for name, value in changes.items():
            setattr(obj, name, value)
        return obj

    expected = {name: _full_clean(build(n, changes)) for n, (name, changes) in enumerate(variants.items())}
    got = BatchValidator(Project).validate([build(n, changes) for n, changes in enumerate(variants.values())])
    assert dict(zip(variants, map(_errors, got), strict=True)) == expected
    assert expected["valid"] is None and set(expected["both coordinates"]) == {"latitude", "longitude"}
    assert list(expected["code taken"]) == ["code"] and expected["outside the period"] is not None


def test_a_later_row_of_the_batch_may_not_take_what_an_earlier_one_took():
    product = ProductFactory()
    pairing = product.pairing

    def build(name):
        return Product(pairing=pairing, name=name, origin_division=pairing.recipient_division)

    got = BatchValidator(Product).validate([build("甲"), build("甲"), build(product.name), build("乙")])
    exists = {NON_FIELD_ERRORS: [str(Product._meta.constraints[0].violation_error_message)]}
    assert [_errors(e) for e in got] == [None, exists, exists, None]
    build("甲").save()
    assert _full_clean(build("甲")) == _errors(got[1])  # the message full_clean gives once the first is saved


def test_a_refused_row_takes_nothing():
    pairing = PairingFactory(valid_from=dt.date(2021, 1, 1))
    key_task = KeyTaskFactory(code="industry")
    rows = [Project(code="SAME", name="x", pairing=pairing, key_task=key_task,
                    location_division=pairing.recipient_division, start_year=2024, end_year=2024, budget=budget)
            for budget in (Decimal("-1"), Decimal("1"))]
    first, second = BatchValidator(Project).validate(rows)
    assert set(first.message_dict) == {"budget"} and second is None


def test_queries_per_batch_do_not_grow_with_its_rows():
    pairing = PairingFactory(valid_from=dt.date(2021, 1, 1))
    key_task = KeyTaskFactory(code="industry")

    def count(n):
        rows = [Project(code=f"Q-{n}-{i}", name="x", pairing=pairing, key_task=key_task,
                        location_division=pairing.recipient_division, start_year=2024, end_year=2024,
                        budget=Decimal(i)) for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            assert BatchValidator(Project).validate(rows) == [None] * n
        return len(queries)

    assert count(3) == count(300) <= 6  # the foreign keys, the code
