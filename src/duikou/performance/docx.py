"""Word (.docx) renderings of the 绩效自评表 and of a pairing's summary, in the style of official
forms: A4 landscape, the title in 宋体 (小二, bold), text in 仿宋, tables in 宋体 五号; the East
Asian font is set through ``w:eastAsia`` so Word and LibreOffice use it for Chinese text.

Each function takes a frozen read model of :mod:`duikou.performance.selectors` and returns bytes;
labels are translated (English msgids), figures are written as the pages show them.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from duikou.core.money import cn_amount
from duikou.core.wordfonts import LATIN, set_run_font

__all__ = ["FANGSONG", "SONG", "performance_summary_docx", "self_assessment_docx", "set_font"]

SONG = "宋体"
FANGSONG = "仿宋"


def set_font(run, east_asia: str = SONG, size: float = 10.5, bold: bool = False) -> None:
    set_run_font(run, east_asia, size, bold)


def _new_document(landscape: bool = True) -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin = section.bottom_margin = Cm(1.8)
    section.left_margin = section.right_margin = Cm(2.2)
    return doc


def _paragraph(doc, text: str, *, font: str = FANGSONG, size: float = 12, bold: bool = False,
               align=WD_ALIGN_PARAGRAPH.LEFT, space_after: float = 4):
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    set_font(p.add_run(text), font, size, bold)
    return p


def _title(doc, text: str, subtitle: str = "") -> None:
    _paragraph(doc, text, font=SONG, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    if subtitle:
        _paragraph(doc, subtitle, font=FANGSONG, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)


def _cell(cell, text, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT, size: float = 10.5) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    set_font(p.add_run("" if text is None else str(text)), SONG, size, bold)


def _table(doc, rows: int, widths_cm: list[float]):
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the grid (w:gridCol), which LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    return table


def _num(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value):.2f}"


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{Decimal(value):.2f}%"


def _bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _signatures(doc) -> None:
    _paragraph(doc, "    ".join([
        _("Reporting unit (seal):") + "            ",
        _("Filled in by:") + "          ",
        _("Checked by:") + "          ",
        _("Date:") + "            ",
    ]), size=12)


HEADERS = (
    (gettext_lazy("Level-1 indicator"), 2.6),
    (gettext_lazy("Level-2 indicator"), 2.8),
    (gettext_lazy("Level-3 indicator"), 5.0),
    (gettext_lazy("Target"), 2.8),
    (gettext_lazy("Actual"), 2.6),
    (gettext_lazy("Weight"), 1.6),
    (gettext_lazy("Score"), 1.6),
    (gettext_lazy("Reason for deviation"), 5.6),
)


def self_assessment_docx(sa) -> bytes:
    """The 绩效自评表 of one project (:class:`~duikou.performance.selectors.SelfAssessment`)."""
    doc = _new_document()
    _title(doc, _("Project performance self-assessment form (绩效自评表)"),
           _("{year} · scored under: {scheme}").format(year=sa.year, scheme=sa.scheme_name))

    info = [
        (_("Project"), sa.name, _("Code"), sa.code),
        (_("Pairing"), sa.pairing, _("Implementing unit"), sa.implementing_unit or "—"),
        (_("Years"), f"{sa.start_year}–{sa.end_year}", _("Budget"), cn_amount(sa.budget)),
        (_("Status"), sa.status, _("Allocated / spent (free aid)"),
         f"{cn_amount(sa.budget_execution.allocated)} / {cn_amount(sa.budget_execution.spent)}"),
    ]
    widths = [3.2, 9.4, 4.2, 7.8]
    table = _table(doc, len(info), widths)
    for r, values in enumerate(info):
        for c, value in enumerate(values):
            _cell(table.cell(r, c), value, bold=c % 2 == 0)
    _paragraph(doc, "", space_after=2)

    widths = [w for _h, w in HEADERS]
    body = len(sa.rows)
    table = _table(doc, 1 + body + 2, widths)
    for c, (header, _w) in enumerate(HEADERS):
        _cell(table.cell(0, c), str(header), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for n, row in enumerate(sa.rows, start=1):
        if row.level1_rowspan:
            merged = table.cell(n, 0).merge(table.cell(n + row.level1_rowspan - 1, 0)) if row.level1_rowspan > 1 \
                else table.cell(n, 0)
            _cell(merged, row.level1_label, align=WD_ALIGN_PARAGRAPH.CENTER)
        if row.level2_rowspan:
            merged = table.cell(n, 1).merge(table.cell(n + row.level2_rowspan - 1, 1)) if row.level2_rowspan > 1 \
                else table.cell(n, 1)
            _cell(merged, row.level2_label, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(table.cell(n, 2), row.name)
        _cell(table.cell(n, 3), row.target, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(table.cell(n, 4), row.actual or "—", align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(table.cell(n, 5), _num(row.weight), align=WD_ALIGN_PARAGRAPH.RIGHT)
        _cell(table.cell(n, 6), _num(row.score) if row.score is not None else "—", align=WD_ALIGN_PARAGRAPH.RIGHT)
        _cell(table.cell(n, 7), row.deviation_reason)
    be = sa.budget_execution
    budget_row = 1 + body
    _cell(table.cell(budget_row, 0).merge(table.cell(budget_row, 1)), _("budget execution (预算执行率)"),
          align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(table.cell(budget_row, 2), _("spent / allocated (free aid)"))
    _cell(table.cell(budget_row, 3), "100.00%", align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(table.cell(budget_row, 4), _percent(be.rate_percent), align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(table.cell(budget_row, 5), _num(be.weight), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell(table.cell(budget_row, 6), _num(be.score), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell(table.cell(budget_row, 7), "")
    total_row = budget_row + 1
    _cell(table.cell(total_row, 0).merge(table.cell(total_row, 4)), _("Total"), bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(table.cell(total_row, 5), "100.00", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell(table.cell(total_row, 6), _num(sa.total), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell(table.cell(total_row, 7), _("Grade: {grade}").format(grade=sa.grade_label), bold=True)

    _paragraph(doc, "", space_after=2)
    levels = "；".join(f"{lv.label} {_num(lv.score)} / {_num(lv.weight)}" for lv in sa.levels)
    _paragraph(doc, _("Points by part: {levels}.").format(levels=levels), size=12)
    for warning in sa.warnings:
        _paragraph(doc, "※ " + warning, size=10.5)
    _signatures(doc)
    return _bytes(doc)


SUMMARY_HEADERS = (
    (gettext_lazy("No."), 1.2),
    (gettext_lazy("Code"), 3.2),
    (gettext_lazy("Project"), 7.4),
    (gettext_lazy("Pairing"), 4.2),
    (gettext_lazy("Status"), 3.0),
    (gettext_lazy("Budget execution"), 2.4),
    (gettext_lazy("Score"), 1.8),
    (gettext_lazy("Grade"), 1.8),
)


def performance_summary_docx(summary) -> bytes:
    """The summary of a pairing's year (:class:`~duikou.performance.selectors.PerformanceSummary`)."""
    doc = _new_document()
    _title(doc, _("Performance self-assessment summary (绩效自评汇总表)"),
           _("{pairing} · {year}").format(pairing=summary.pairing, year=summary.year))
    widths = [w for _h, w in SUMMARY_HEADERS]
    table = _table(doc, 1 + len(summary.rows) + 1, widths)
    for c, (header, _w) in enumerate(SUMMARY_HEADERS):
        _cell(table.cell(0, c), str(header), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for n, row in enumerate(summary.rows, start=1):
        values = [str(n), row.code, row.name + ("" if row.complete else " " + _("(incomplete)")), row.pairing,
                  row.status, _percent(row.budget_rate_percent), _num(row.total), row.grade_label]
        for c, value in enumerate(values):
            right = c in (0, 5, 6)
            _cell(table.cell(n, c), value, align=WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT)
    last = len(summary.rows) + 1
    _cell(table.cell(last, 0).merge(table.cell(last, 5)), _("Average"), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(table.cell(last, 6), _num(summary.average) if summary.average is not None else "—", bold=True,
          align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell(table.cell(last, 7), "")
    _paragraph(doc, "", space_after=2)
    counts = "；".join(f"{label} {n}" for _g, label, n in summary.counts)
    _paragraph(doc, _("Projects: {n}, of which complete: {complete}. By grade: {counts}.").format(
        n=summary.projects, complete=summary.complete, counts=counts), size=12)
    _paragraph(doc, _("Generated on {date}.").format(date=timezone.localdate().isoformat()), size=10.5)
    _signatures(doc)
    return _bytes(doc)
