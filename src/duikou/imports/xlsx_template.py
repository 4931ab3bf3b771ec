"""The import templates: an .xlsx workbook with one empty sheet per kind of record and an
instructions sheet (说明) that explains every column — required or not, its format, the codes it
allows, and which columns identify a row (its natural key).

Built from the registers' forms in the active language, so a template downloaded in Chinese has
Chinese headers; the importer reads headers in either language (see :mod:`duikou.imports.sheets`).
"""

from __future__ import annotations

import io

from django import forms
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from duikou.plans.models import KeyTask

from .sheets import SHEETS, SheetSpec

__all__ = ["column_help", "template_workbook"]

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")
KEY_FILL = PatternFill("solid", fgColor="DDEBF7")


def _lookup_help(model_label: str) -> str:
    return {
        "organisations.pairing": _("supporter → recipient, e.g. 北京市 → 巴东县 (or the pairing's id)"),
        "organisations.organisation": _("the organisation's name or short name (or its id)"),
        "organisations.admindivision": _("the division's code or name, e.g. 422823 or 巴东县"),
        "plans.keytask": _("the key task's code or name"),
        "plans.plan": _("the annual plan's title (or its id)"),
        "projects.project": _("the project's code"),
        "consumption.supplier": _("the supplier's name (within the row's pairing)"),
        "consumption.product": _("the product's name (within the row's pairing)"),
        "consumption.saleschannel": _("the channel's name (within the row's pairing)"),
        "people.secondmentbatch": _("the batch's name, or supporter → recipient · name, e.g. 北京市 → 巴东县 · 第1批"),
    }.get(model_label, _("its name (or its id)"))


def column_help(spec: SheetSpec, name: str, form) -> tuple[bool, str, str]:
    """(required, format, allowed values) of one column."""
    f = form.fields[name]
    model_field = spec.model_field(name)
    required = f.required and form.get_initial_for_field(f, name) in (None, "")
    allowed = ""
    if isinstance(f, forms.ModelMultipleChoiceField):
        fmt = _("several, separated by 、 or ;: ") + _lookup_help(f.queryset.model._meta.label_lower)
    elif isinstance(f, forms.ModelChoiceField):
        fmt = _lookup_help(f.queryset.model._meta.label_lower)
        if f.queryset.model is KeyTask:
            allowed = "; ".join(f"{k.code} = {k.name}" for k in KeyTask.objects.order_by("order", "code"))
    elif isinstance(f, forms.BooleanField | forms.NullBooleanField):
        fmt = _("是 or 否 (yes or no)")
    elif isinstance(f, forms.ChoiceField):
        fmt = _("a code, or its label")
        allowed = "; ".join(f"{code} = {label}" for code, label in f.choices if code not in ("", None))
    elif isinstance(f, forms.DateField):
        fmt = _("a date: YYYY-MM-DD or an Excel date cell")
    elif isinstance(f, forms.DecimalField):
        fmt = (_("an amount in yuan, at most two decimals") if "yuan" in str(model_field.verbose_name)
               or name in ("amount", "budget", "funds") else _("a number"))
    elif isinstance(f, forms.IntegerField):
        fmt = _("a whole number")
    else:
        limit = getattr(model_field, "max_length", None)
        fmt = _("text, at most {n} characters").format(n=limit) if limit else _("text")
    default = form.get_initial_for_field(f, name)
    if not f.required or default not in (None, ""):
        if default not in (None, "", False):
            fmt += " · " + _("empty: {default}").format(default=default)
    help_text = str(model_field.help_text or f.help_text or "")
    if help_text:
        fmt += " · " + help_text
    return required, fmt, allowed


def template_workbook(*, slugs: list[str] | None = None, actor=None) -> bytes:
    """The template as .xlsx bytes: the instructions sheet, then a sheet per kind (``slugs``:
    register slugs to include; all by default)."""
    specs = [s for s in SHEETS if slugs is None or s.register_slug in slugs]
    wb = Workbook()
    info = wb.active
    info.title = _("Instructions (说明)")[:31]
    info.append([_("How to fill in this workbook")])
    info["A1"].font = Font(bold=True, size=14)
    for line in (
        _("One sheet per kind of record; keep the sheet names and the header row. Row 2 on: one record per row."),
        _("Columns marked required must be filled. Other columns may be left empty or deleted."),
        _("A row whose key columns (blue) match an existing record updates that record; "
          "other rows create records. The same key may appear only once in a file."),
        _("Import: duikou import excel FILE.xlsx (or the import page). Nothing is saved if any row has an error, "
          "unless valid rows only is chosen."),
    ):
        info.append([line])
    info.append([])
    head = [_("Sheet"), _("Column"), _("Field"), _("Required"), _("Key"), _("Format"), _("Allowed values")]
    info.append(head)
    for cell in info[info.max_row]:
        cell.font = HEADER_FONT
    for spec in specs:
        form = spec.form_class(actor=actor)
        ws = wb.create_sheet(spec.title())
        headers = [spec.header(name) for name in spec.field_names()]
        ws.append(headers)
        for index, name in enumerate(spec.field_names(), start=1):
            required, fmt, allowed = column_help(spec, name, form)
            cell = ws.cell(row=1, column=index)
            cell.font = HEADER_FONT
            if name in spec.key:
                cell.fill = KEY_FILL
            elif required:
                cell.fill = REQUIRED_FILL
            ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(headers[index - 1]) * 2 + 4))
            info.append([spec.title(), headers[index - 1], name, _("yes") if required else _("no"),
                         _("yes") if name in spec.key else "", fmt, allowed])
        ws.freeze_panes = "A2"
        info.append([spec.title(), "", "", "", "", _("Key: {key}.").format(key=spec.note), ""])
    for letter, width in zip("ABCDEFG", (16, 22, 18, 8, 6, 60, 60), strict=True):
        info.column_dimensions[letter].width = width
    for row in info.iter_rows(min_row=7):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
