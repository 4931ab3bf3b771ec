"""Fonts of Word (.docx) runs written with python-docx, shared by every document duikou writes.

Word picks a run's font per script: ``w:ascii``/``w:hAnsi`` for Latin text and ``w:eastAsia`` for
Chinese. python-docx's ``run.font.name`` sets only the first two, so Chinese text would fall back
to the theme font; :func:`set_run_font` sets both.
"""

from docx.oxml.ns import qn
from docx.shared import Pt

__all__ = ["LATIN", "set_run_font"]

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
