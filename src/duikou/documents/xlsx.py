"""A :class:`~duikou.documents.tables.Table` as an Excel workbook (.xlsx, openpyxl).

A title row names the table, the pairing and the period; the header row is bold and frozen;
money is a number with two decimals (``#,##0.00``), dates are dates, rates are percentages; the
totals row is bold; notes follow the table. Every text cell is written as a string, so a value
that starts with ``=``, ``+``, ``-`` or ``@`` is never read as a formula.
"""

import io
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .tables import DATE, INT, MONEY, PERCENT, Table

__all__ = ["MONEY_FORMAT", "table_xlsx"]

MONEY_FORMAT = "#,##0.00"
FORMATS = {MONEY: MONEY_FORMAT, INT: "0", DATE: "yyyy-mm-dd", PERCENT: "0.00%"}


def _put(ws, row: int, column: int, value, kind: str):
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the first character
    else:
        cell.value = value
        if isinstance(value, Decimal | int | date) and not isinstance(value, bool):
            cell.number_format = FORMATS.get(kind, MONEY_FORMAT if isinstance(value, Decimal) else "General")
    return cell


def table_xlsx(table: Table, *, pairing: str, year_from: int, year_to: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = table.name[:31]
    bold = Font(bold=True)
    width = len(table.columns)
    period = str(year_from) if year_from == year_to else f"{year_from}–{year_to}"
    _put(ws, 1, 1, f"{table.name} · {pairing} · {period}", "").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _put(ws, 2, 1, _("Generated on {date} from the records of duikou; money in yuan.").format(
        date=timezone.localdate().isoformat()), "")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    header_row = 3
    for c, col in enumerate(table.columns, start=1):
        cell = _put(ws, header_row, c, col.header, "")
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    r = header_row
    for row in table.rows:
        r += 1
        for c, (col, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            _put(ws, r, c, value, col.kind)
    if table.totals is not None:
        r += 1
        for c, (col, value) in enumerate(zip(table.columns, table.totals, strict=True), start=1):
            _put(ws, r, c, value, col.kind).font = bold
    r += 1
    for note in table.notes:
        r += 1
        _put(ws, r, 1, note, "")
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
