"""Fonts of Word (.docx) runs written with python-docx, shared by every document duikou writes.

Word picks a run's font per script: ``w:ascii``/``w:hAnsi`` for Latin text and ``w:eastAsia`` for
Chinese. python-docx's ``run.font.name`` sets only the first two, so Chinese text would fall back
to the theme font; :func:`set_run_font` sets both.
"""

from docx.oxml.ns import qn
from docx.shared import Pt

__all__ = ["LATIN", "declare_fonts", "set_run_font"]

LATIN = "Times New Roman"


def set_run_font(run, east_asia: str, size: float, bold: bool = False) -> None:
    """Latin text in Times New Roman, East Asian text in ``east_asia``, ``size`` in points."""
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def declare_fonts(doc, names, alternative: str = "宋体") -> None:
    """Declare the Chinese fonts ``names`` in the document's font table with ``alternative`` as
    their fallback, so Word substitutes 宋体 where an official font (仿宋_GB2312 …) is missing."""
    from lxml import etree

    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:  # pragma: no cover - python-docx's template has one
        return
    root = etree.fromstring(part.blob)
    for name in names:
        if root.find(f"{{{W}}}font[@{{{W}}}name='{name}']") is not None:
            continue
        font = etree.SubElement(root, f"{{{W}}}font")
        font.set(f"{{{W}}}name", name)
        for tag, value in (("altName", alternative), ("charset", "86"), ("family", "modern"), ("pitch", "fixed")):
            etree.SubElement(font, f"{{{W}}}{tag}").set(f"{{{W}}}val", value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
