"""Excel (.xlsx) rendering of a pairing's performance summary: one row per project, numbers kept
as numbers (scores with two decimals, the budget execution as a fraction shown in percent)."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from duikou.ui.export import safe_text

__all__ = ["performance_summary_xlsx"]


def performance_summary_xlsx(summary) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = str(summary.year)
    bold = Font(bold=True)
    ws.append([_("Performance self-assessment summary (绩效自评汇总表)") + f" · {summary.pairing} · {summary.year}"])
    ws["A1"].font = bold
    headers = [_("Code"), _("Project"), _("Pairing"), _("Status"), _("Indicators"), _("Without actual"),
               _("Budget execution"), _("Score"), _("Grade"), _("Complete")]
    ws.append(headers)
    for cell in ws[2]:
        cell.font = bold
    for row in summary.rows:
        rate = None if row.budget_rate_percent is None else row.budget_rate_percent / Decimal(100)
        ws.append([safe_text(row.code), safe_text(row.name), safe_text(row.pairing), row.status, row.indicators,
                   row.pending, rate, row.total, row.grade_label, _("yes") if row.complete else _("no")])
        ws.cell(ws.max_row, 7).number_format = "0.00%"
        ws.cell(ws.max_row, 8).number_format = "0.00"
    ws.append([_("Average"), "", "", "", "", "", None, summary.average])
    ws.cell(ws.max_row, 1).font = bold
    ws.cell(ws.max_row, 8).number_format = "0.00"
    for _grade, label, n in summary.counts:
        ws.append([label, n])
    for letter, width in zip("ABCDEFGHIJ", (16, 36, 22, 18, 10, 12, 14, 10, 10, 10), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
