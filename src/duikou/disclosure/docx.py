"""A notice as a Word document (.docx) in the style of official documents (GB/T 9704): A4, margins
3.7 / 3.5 / 2.8 / 2.6 cm, the title in 方正小标宋简体 二号 (22 pt), the text in 仿宋_GB2312 三号
(16 pt), tables in 仿宋_GB2312 小四; the issuing office and the date at the end, on the right.

The East Asian font is set with ``w:eastAsia`` on every run; the document's font table names 宋体
as the alternative (``w:altName``) of 仿宋_GB2312 and 方正小标宋简体, so a computer without these
fonts shows 宋体 rather than a Latin fallback.

:func:`disclosure_docx` renders only the content structure of
:func:`duikou.disclosure.content.build_content` (the frozen snapshot of a published notice).
"""

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from duikou.core.wordfonts import LATIN, declare_fonts, set_run_font

from .content import cn_date, text_of

__all__ = ["BODY_FONT", "FALLBACK_FONT", "TITLE_FONT", "disclosure_docx"]

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
FALLBACK_FONT = "宋体"


def _font(run, east_asia: str = BODY_FONT, size: float = 16, bold: bool = False) -> None:
    set_run_font(run, east_asia, size, bold)


def _add_font_fallbacks(doc) -> None:
    declare_fonts(doc, (BODY_FONT, TITLE_FONT, HEADING_FONT), FALLBACK_FONT)


def _document():
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _add_font_fallbacks(doc)
    return doc


def _paragraph(doc, text: str, *, font: str = BODY_FONT, size: float = 16, bold: bool = False,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, space_after: float = 0):
    p = doc.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = Pt(28)  # 固定值 28 磅, as official documents
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold)
    return p


def _cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT, size: float = 12) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    _font(p.add_run(text), BODY_FONT, size, bold)


def _shade(cell) -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="F2F2F2"/>'))


def _fields_table(doc, rows) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in rows:
        cells = table.add_row().cells
        _cell(cells[0], row["label"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cells[0])
        _cell(cells[1], text_of(row["value"]))
    _widths(table, [Cm(4.2), Cm(11.4)])


def _widths(table, widths) -> None:
    """Fixed column widths (Word reads the cells', LibreOffice the grid's)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


# 序号, 项目名称, 实施地点, 建设内容, 建设期限, 建设单位, 下达资金, 预期目标 (15.6 cm between the margins)
WIDE_WIDTHS = (1.0, 2.6, 1.8, 2.8, 1.5, 2.0, 1.7, 2.2)


def _wide_table(doc, section) -> None:
    columns = ["序号", *section["columns"]]
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(table.rows[0].cells, columns, strict=True):
        _cell(cell, label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=10.5)
        _shade(cell)
    for i, row in enumerate(section["rows"], start=1):
        cells = table.add_row().cells
        _cell(cells[0], str(i), align=WD_ALIGN_PARAGRAPH.CENTER, size=10.5)
        for cell, item in zip(cells[1:], row["cells"], strict=True):
            _cell(cell, text_of(item["value"]), size=10.5)
    if len(columns) == len(WIDE_WIDTHS):
        _widths(table, [Cm(w) for w in WIDE_WIDTHS])


def disclosure_docx(content: dict, *, draft: bool = False, withdrawn: bool = False) -> bytes:
    """The notice as .docx bytes. ``draft``/``withdrawn`` add a line saying so under the title."""
    doc = _document()
    core = doc.core_properties
    core.title, core.author = content["title"], content.get("issuer", "")
    _paragraph(doc, content["title"], font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
               space_after=6)
    if draft:
        _paragraph(doc, "（草稿，未发布）", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, bold=True)
    if withdrawn:
        _paragraph(doc, "（已撤回）", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, bold=True)
    if content.get("subtitle"):
        _paragraph(doc, content["subtitle"], size=16, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=12)
    _paragraph(doc, content["intro"])
    for section in content["sections"]:
        _paragraph(doc, section["label"], font=HEADING_FONT, size=16, space_after=4)
        if section["type"] == "table":
            _wide_table(doc, section)
        else:
            _fields_table(doc, section["rows"])
        _paragraph(doc, "", indent=False, space_after=0)
    _paragraph(doc, content["closing"])
    if content.get("channels"):
        _paragraph(doc, "发布渠道：" + "、".join(content["channels"]) + "。")
    if content.get("note"):
        _paragraph(doc, "其他说明：" + content["note"])
    _paragraph(doc, "", indent=False)
    _paragraph(doc, content["issuer"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(doc, cn_date(content["date"]), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
