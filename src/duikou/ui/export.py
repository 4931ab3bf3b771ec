"""Excel (.xlsx) and CSV export of a register's filtered rows.

Values keep their type (money stays a number with two decimals, dates stay dates). A text cell
that starts with ``=``, ``+``, ``-`` or ``@`` is written as text so that no spreadsheet reads it
as a formula (CSV: prefixed with an apostrophe, as OWASP recommends).
"""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.db import models
from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .registers import display_value, raw_value

__all__ = ["FORMULA_PREFIXES", "export_csv", "export_xlsx", "safe_text"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _value(obj, col):
    value = raw_value(obj, col.name)
    if isinstance(value, bool) or value is None:
        return display_value(value)
    if isinstance(value, Decimal | int | dt.date):
        return value
    if isinstance(value, models.Model) or hasattr(value, "all"):
        return display_value(value)
    return str(value)


def _rows(register, queryset, columns):
    for obj in queryset.iterator(chunk_size=2000) if not register.prefetch_related else queryset:
        yield obj, [_value(obj, c) for c in columns]


def export_xlsx(register, queryset, filename: str) -> HttpResponse:
    columns = list(register.columns)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=register.title[:31])
    bold = Font(bold=True)
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c.resolve_label(register.model))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for _obj, values in _rows(register, queryset, columns):
        row = []
        for col, value in zip(columns, values, strict=True):
            if isinstance(value, str):
                cell = WriteOnlyCell(ws, value=value)
                cell.data_type = "s"  # never a formula, whatever the first character
            else:
                cell = WriteOnlyCell(ws, value=value)
                if col.money or isinstance(value, Decimal):
                    cell.number_format = MONEY_FORMAT
            row.append(cell)
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename=\"{filename}.xlsx\""
    return response


class _Echo:
    def write(self, value):
        return value


def export_csv(register, queryset, filename: str) -> StreamingHttpResponse:
    columns = list(register.columns)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # BOM: Excel opens UTF-8 CSV with Chinese text correctly
        yield writer.writerow([c.resolve_label(register.model) for c in columns])
        for _obj, values in _rows(register, queryset, columns):
            yield writer.writerow([safe_text(v) if isinstance(v, str) else v for v in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=\"{filename}.csv\""
    return response
