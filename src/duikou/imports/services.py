"""Importing a workbook: every row through its register's form and services.

:func:`import_workbook` reads the sheets it knows (see :mod:`duikou.imports.sheets`), in their
import order. Each row is parsed by the register's ``ServiceForm`` (as the user's form would be,
with the choices the user is offered) and written by the register's services, which check the
right, run the model's validation and leave the audit record. A row whose natural key matches a
record the user sees updates it; when the parsed values equal the record's, nothing is written and
no audit record is left, so importing the same file twice changes nothing.

Rows are handled in batches of :data:`BATCH_ROWS` (decision 0014): the records the batch's keys
name are read with one query; each row is then parsed and checked by the form one by one, as
before; updates go through the ``update`` service one by one; the new records of the batch go
together through the register's ``bulk_create`` service (``audit.services.object_bulk_create``:
the same rules as ``create``, the database asked once per batch, one audit record per record).
A register without a bulk service (fund allocations, whose money rules depend on the rows saved
before) creates row by row through ``create``.

The whole file is one transaction: one failing row and nothing is saved, unless ``valid_only``,
which saves the rows that pass. ``dry_run`` checks everything and saves nothing. Errors name the
sheet, the row (as Excel numbers it) and the column (the header as written in the file), in the
order of the rows.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import translation
from django.utils.translation import gettext as _

from duikou.core.errors import ApplicationError
from duikou.core.errors import PermissionDenied as DuikouPermissionDenied

from .lookups import Lookup, normalise
from .reader import Limits, WorkbookRefused, read_workbook
from .sheets import SHEETS, SheetSpec, header_key, sheet_for_name

__all__ = ["ImportResult", "RowError", "SheetResult", "import_workbook", "instructions_sheet_names"]

BATCH_ROWS = 500  # rows checked and written together: one query per batch for keys, foreign keys, uniqueness
YES = {"是", "yes", "y", "true", "1", "√", "✓", "对"}
NO = {"否", "no", "n", "false", "0", "×", "✗", ""}


def instructions_sheet_names() -> set[str]:
    out = {header_key("说明")}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            out.add(header_key(_("Instructions (说明)")))
    return out


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None  # as Excel numbers it; the header is row 1; None: the whole file or sheet
    column: str  # the header as written in the file, or the field's label; "" for the whole row
    message: str

    def __str__(self):
        where = [self.sheet] if self.sheet else []
        if self.row is not None:
            where.append(_("row {n}").format(n=self.row))
        if self.column:
            where.append(_("column {name}").format(name=self.column))
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class SheetResult:
    sheet: str
    register: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0


@dataclass
class ImportResult:
    sheets: list[SheetResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    saved: bool = False
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.sheets)

    def total(self, attr: str) -> int:
        return sum(getattr(s, attr) for s in self.sheets)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def cell_text(value) -> str:
    """A cell as the text a form would receive."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits: 0.1 * 3 computed in a cell reads 0.3, not 0.30000000000000004
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


class _SheetImport:
    """The state of one sheet's import: its columns, lookups and the records it matched."""

    def __init__(self, spec: SheetSpec, name: str, header: list, actor, result: ImportResult):
        self.spec, self.name, self.actor, self.result = spec, name, actor, result
        self.model = spec.model
        self.form = spec.form_class(actor=actor)  # unbound: the choices offered and the defaults
        self.columns: dict[str, tuple[int, str]] = {}  # field → (index, header as written)
        self.ok = self._read_header(header)
        self.lookups = {name: Lookup(f.queryset) for name, f in self.form.fields.items()
                        if isinstance(f, forms.ModelChoiceField)}
        self.choices = {name: self._choice_map(f) for name, f in self.form.fields.items()
                        if isinstance(f, forms.ChoiceField) and not isinstance(f, forms.ModelChoiceField)}
        self.defaults = {name: self.form.get_initial_for_field(f, name) for name, f in self.form.fields.items()}
        self.seen: dict[tuple, int] = {}
        self.bulk_create = spec.register.bulk_create
        self._create_form = None

    # header ---------------------------------------------------------------------------------
    def error(self, row, column, message):
        self.result.errors.append(RowError(self.name, row, column, str(message)))

    def _read_header(self, header: list) -> bool:
        known = self.spec.header_map()
        ok = True
        for index, cell in enumerate(header):
            text = cell_text(cell)
            if not text:
                continue
            name = known.get(header_key(text))
            if name is None:
                self.error(1, text, _("Unknown column: not a field of {model}.").format(
                    model=self.model._meta.verbose_name_plural))
                ok = False
            elif name in self.columns:
                self.error(1, text, _("The column appears twice (also column {n}).").format(
                    n=self.columns[name][0] + 1))
                ok = False
            else:
                self.columns[name] = (index, text)
        for name, f in self.form.fields.items():
            if name not in self.columns and f.required and self.form.get_initial_for_field(f, name) in (None, ""):
                self.error(1, self.spec.header(name), _("Required column missing."))
                ok = False
        return ok

    def column_label(self, name: str) -> str:
        return self.columns[name][1] if name in self.columns else self.spec.header(name)

    @staticmethod
    def _choice_map(f) -> dict[str, str]:
        out = {}
        for code, label in f.choices:
            if code in ("", None):
                continue
            out[normalise(code)] = code
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    out[normalise(label)] = code
        return out

    # rows -----------------------------------------------------------------------------------
    def _existing(self, keys: list[tuple]) -> dict[tuple, models.Model]:
        """The records the user sees whose natural key is among ``keys``, by key: one query for
        the batch (each key field among the batch's values, matched exactly in Python)."""
        if not keys:
            return {}
        qs = self.spec.register.queryset(self.actor, "view")
        for position, name in enumerate(self.spec.key):
            attname = self.spec.model_field(name).attname
            values = {key[position] for key in keys}
            condition = Q(**{f"{attname}__in": [v for v in values if v is not None]})
            if None in values:
                condition |= Q(**{f"{attname}__isnull": True})
            qs = qs.filter(condition)
        wanted = set(keys)
        return {key: obj for obj in qs if (key := self.record_key(obj)) in wanted}

    def record_key(self, obj) -> tuple:
        return tuple(getattr(obj, self.spec.model_field(name).attname) for name in self.spec.key)

    def parse_cells(self, cells: list, row: int) -> tuple[dict, set[str]]:
        """Form data from the row's cells (foreign keys resolved, codes and yes/no read), and the
        fields whose cells were refused (already reported)."""
        data, failed = {}, set()
        raw = {name: cells[index] if index < len(cells) else None for name, (index, _h) in self.columns.items()}
        pairing_id = None
        order = sorted(raw, key=lambda n: n != "pairing")  # the pairing first: other lookups use it
        for name in order:
            value, f = raw[name], self.form.fields[name]
            text = cell_text(value)
            if name in self.lookups:
                if isinstance(f, forms.ModelMultipleChoiceField):
                    parts = [p for p in text.replace("；", ";").replace("、", ";").replace(",", ";").split(";") if p.strip()]
                else:
                    parts = [text] if text else []
                pks = []
                for part in parts:
                    pk, problem = self.lookups[name].resolve(part, pairing_id)
                    if problem:
                        model = self.lookups[name].model._meta.verbose_name
                        message = (_("No {model} “{value}” (or none you may use).") if problem == "unknown"
                                   else _("“{value}” names several {model} records: give the id."))
                        self.error(row, self.column_label(name), message.format(model=model, value=part))
                        failed.add(name)
                    pks.append(pk)
                if isinstance(f, forms.ModelMultipleChoiceField):
                    data[name] = pks
                else:
                    data[name] = pks[0] if pks else ""
                if name == "pairing" and pks:
                    pairing_id = pks[0]
            elif isinstance(f, forms.BooleanField | forms.NullBooleanField):
                if isinstance(value, bool):
                    data[name] = value
                elif normalise(text) in YES:
                    data[name] = True
                elif normalise(text) in NO:
                    data[name] = False
                else:
                    self.error(row, self.column_label(name), _("“{value}” is not yes or no (是/否).").format(value=text))
                    failed.add(name)
            elif name in self.choices and text:
                code = self.choices[name].get(normalise(text))
                if code is None:
                    self.error(row, self.column_label(name), _("“{value}” is not one of the allowed codes: {codes}.").format(
                        value=text, codes=", ".join(sorted(set(self.choices[name].values())))))
                    failed.add(name)
                data[name] = code or ""
            elif isinstance(f, forms.DateField) and isinstance(value, int | float) and not isinstance(value, bool):
                self.error(row, self.column_label(name), _("“{value}” is not a date (YYYY-MM-DD).").format(value=text))
                failed.add(name)
            else:
                data[name] = text
        return data, failed

    def key_of(self, data: dict) -> tuple | None:
        out = []
        for name in self.spec.key:
            value = data.get(name, self.defaults.get(name))
            f = self.form.fields[name]
            if value in ("", None) and f.required:  # an empty cell of a field with a default: the default
                value = self.defaults.get(name)
            if name in self.lookups:
                out.append(value if value not in ("", None) else None)
                continue
            try:
                parsed = f.to_python(value)
            except ValidationError:
                return None  # the form names the problem
            if parsed in ("", None) and isinstance(self.spec.model_field(name), models.CharField):
                parsed = ""
            out.append(parsed)
        return tuple(out)

    def unchanged(self, instance, data: dict, m2m: dict) -> bool:
        for name, value in data.items():
            current = getattr(instance, self.spec.model_field(name).attname)
            new = value.pk if isinstance(value, models.Model) else value
            if isinstance(current, Decimal) and new is not None:
                if Decimal(current) != Decimal(new):
                    return False
            elif current != new:
                return False
        for name, values in m2m.items():
            if set(getattr(instance, name).values_list("pk", flat=True)) != {v.pk for v in values}:
                return False
        return True

    def import_batch(self, batch: list[tuple[int, list]], sheet_result: SheetResult) -> None:
        """Import the rows ``[(row number, cells)]``: each parsed and checked by the form as the
        user's form would, the existing records they name read with one query for the batch, the
        updates written one by one, the new records created together (:meth:`_create`)."""
        first_error = len(self.result.errors)
        parsed = []
        for row, cells in batch:
            data, refused = self.parse_cells(cells, row)
            key = self.key_of(data) if not refused else None
            if key is not None:
                if key in self.seen:
                    self.error(row, self.column_label(self.spec.key[0]), _(
                        "Same {key} as row {row}: a record may appear only once in a file.").format(
                        key=self.spec.note, row=self.seen[key]))
                    sheet_result.failed += 1
                    continue
                self.seen[key] = row
            parsed.append((row, data, refused, key))
        for name, lookup in self.lookups.items():  # the records the batch names, one query per column
            if lookup.key_field:
                lookup.load(v for _r, data, _f, _k in parsed for v in _as_list(data.get(name)))
        existing = self._existing([key for _r, _d, _f, key in parsed if key is not None])
        creates: list[tuple[int, dict]] = []
        for row, data, refused, key in parsed:
            instance = existing.get(key) if key is not None else None
            checked = self._check_row(row, data, refused, instance, sheet_result)
            if checked is None:
                continue
            values, m2m = checked
            if instance is not None and self.unchanged(instance, values, m2m):
                sheet_result.unchanged += 1
            elif instance is None and self.bulk_create is not None and not m2m:
                creates.append((row, values))
            else:
                self._write_row(row, instance, values, m2m, sheet_result)
        self._create(creates, sheet_result)
        # the rows' errors in the order of the rows, whatever step found them
        self.result.errors[first_error:] = sorted(self.result.errors[first_error:], key=lambda e: e.row or 0)

    def _check_row(self, row: int, data: dict, refused: set[str], instance, sheet_result: SheetResult):
        """(fields, many-to-many) of the row as the register's form cleans them, or None (the
        form's errors reported)."""
        base = model_to_dict(instance, fields=list(self.form.fields)) if instance is not None else dict(self.defaults)
        # An empty cell of a required field with a default (or, on update, a current value) keeps it.
        data = {k: v for k, v in data.items()
                if not (v in ("", None, []) and self.form.fields[k].required and base.get(k) not in ("", None))}
        if instance is None:
            form = self._new_record_form({**base, **data})
        else:
            form = self._lookups_cached(self.spec.form_class(data={**base, **data}, instance=instance, actor=self.actor))
        if not form.is_valid() or refused:
            for name, errors in form.errors.items():
                if name in refused:
                    continue
                column = "" if name == NON_FIELD_ERRORS else self.column_label(name)
                for message in errors:
                    self.error(row, column, message)
            sheet_result.failed += 1
            return None
        return form.service_data()

    def _lookups_cached(self, form):
        for name, lookup in self.lookups.items():
            f = form.fields[name]
            if not isinstance(f, forms.ModelMultipleChoiceField):
                f.to_python = lookup.cached_to_python(f)
        return form

    def _new_record_form(self, data: dict):
        """The register's form for a new record, bound to ``data``.

        The form of a new record offers the same choices on every row (they depend on the user,
        not on the row), so it is built once per sheet and bound to each row's data in turn:
        building it (copying its fields, restricting each field's choices to the user's scope)
        costs more than cleaning a row. Binding resets what cleaning leaves behind (the errors,
        the cleaned data, the bound fields), as a new form would have it."""
        form = self._create_form
        if form is None:
            form = self._create_form = self._lookups_cached(self.spec.form_class(data={}, actor=self.actor))
        form.data = data
        form._errors = None
        form._bound_fields_cache = {}
        if hasattr(form, "cleaned_data"):
            del form.cleaned_data
        return form

    def _write_row(self, row: int, instance, values: dict, m2m: dict, sheet_result: SheetResult) -> None:
        """Create or update one record through the register's service, in its own savepoint."""
        kwargs = {"m2m": m2m} if m2m else {}
        register = self.spec.register
        try:
            with transaction.atomic():
                if instance is None:
                    register.create(actor=self.actor, **values, **kwargs)
                else:
                    register.update(actor=self.actor, instance=instance, **values, **kwargs)
        except (ValidationError, DuikouPermissionDenied, ApplicationError) as exc:
            self._report(row, exc)
            sheet_result.failed += 1
            if instance is not None:  # the update service set the new values before it refused
                instance.refresh_from_db()
            return
        if instance is None:
            sheet_result.created += 1
        else:
            sheet_result.updated += 1

    def _create(self, creates: list[tuple[int, dict]], sheet_result: SheetResult) -> None:
        """The new records of a batch through the register's bulk service: each row checked as the
        create service checks it, the valid ones written together (each with its audit record)."""
        if not creates:
            return
        outcome = self.bulk_create(actor=self.actor, rows=[values for _row, values in creates], partial=True)
        for index, exc in outcome.errors.items():
            self._report(creates[index][0], exc)
        sheet_result.failed += len(outcome.errors)
        sheet_result.created += len(outcome.created)

    def _report(self, row: int, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self._service_errors(row, exc)
        else:
            self.error(row, "", getattr(exc, "message", None) or str(exc))

    def _service_errors(self, row: int, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.error(row, "", message)
            return
        for name, errors in exc.error_dict.items():
            if name == NON_FIELD_ERRORS:
                column = ""
            elif name in self.form.fields:
                column = self.column_label(name)
            else:
                try:
                    column = str(self.model._meta.get_field(name).verbose_name)
                except Exception:  # noqa: BLE001 - not a model field
                    column = name
            for message in ValidationError(errors).messages:
                self.error(row, column, message)


def import_workbook(data: bytes, *, actor, valid_only: bool = False, dry_run: bool = False,
                    progress: Callable[[int, int], None] | None = None, limits: Limits | None = None) -> ImportResult:
    """Import the sheets of an .xlsx file (bytes) as ``actor``; see the module's docstring."""
    started = time.perf_counter()
    result = ImportResult()
    try:
        sheets = read_workbook(data, limits)
    except WorkbookRefused as exc:
        result.errors.append(RowError("", None, "", str(exc.message)))
        return result
    skip = instructions_sheet_names()
    planned: list[tuple[SheetSpec, str, list[list]]] = []
    for name, rows in sheets:
        spec = sheet_for_name(name)
        has_cells = any(cell_text(c) for r in rows for c in r)
        if spec is None:
            if header_key(name) not in skip and has_cells:
                result.errors.append(RowError(name, None, "", _(
                    "Unknown sheet: the sheets are named {names}.").format(
                    names="、".join(s.title() for s in SHEETS))))
            continue
        if any(p[0] is spec for p in planned):
            result.errors.append(RowError(name, None, "", _("A second sheet of {model}: put them on one sheet.").format(
                model=spec.model._meta.verbose_name_plural)))
            continue
        planned.append((spec, name, rows))
    planned.sort(key=lambda p: SHEETS.index(p[0]))
    total = sum(max(len(rows) - 1, 0) for _s, _n, rows in planned)
    done = 0
    with transaction.atomic():
        for spec, name, rows in planned:
            sheet_result = SheetResult(name, spec.register_slug)
            result.sheets.append(sheet_result)
            state = _SheetImport(spec, name, rows[0] if rows else [], actor, result)
            batch: list[tuple[int, list]] = []
            for index, cells in enumerate(rows[1:], start=2):
                done += 1
                if any(cell_text(c) for c in cells):
                    sheet_result.rows += 1
                    if state.ok:
                        batch.append((index, cells))
                    else:
                        sheet_result.failed += 1
                if len(batch) == BATCH_ROWS or index == len(rows):  # a batch full, or the sheet's last row
                    if batch:
                        state.import_batch(batch, sheet_result)
                        batch = []
                    if progress is not None:
                        progress(done, total)
        result.saved = not dry_run and (valid_only or not result.errors)
        if not result.saved:
            transaction.set_rollback(True)
    result.seconds = time.perf_counter() - started
    return result
