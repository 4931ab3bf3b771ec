"""The .docx and .xlsx renderings, read back with python-docx and openpyxl."""

import io
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from duikou.core.permissions import SYSTEM
from duikou.performance.docx import performance_summary_docx, self_assessment_docx
from duikou.performance.selectors import pairing_performance_summary, project_self_assessment
from duikou.performance.xlsx import performance_summary_xlsx

from .builders import qlq_project

pytestmark = pytest.mark.django_db
D = Decimal


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def assessment(pairings):
    project = qlq_project(pairings.pairings["beijing_badong"], spent=D("8100000"),
                          overrides={"受益师生人数": D(1100)})
    return project_self_assessment(actor=SYSTEM, project=project)


def test_self_assessment_docx_holds_the_table(assessment):
    doc = Document(io.BytesIO(self_assessment_docx(assessment)))
    info, table = doc.tables
    assert info.cell(0, 1).text == "青龙桥小学教学楼" and info.cell(2, 3).text == "900.00万元"
    rows = texts(table)
    assert rows[0] == ["Level-1 indicator", "Level-2 indicator", "Level-3 indicator", "Target", "Actual", "Weight",
                       "Score", "Reason for deviation"]
    assert rows[1][2:7] == ["新建教学楼", "=1栋", "1栋", "20.00", "20.00"]
    beneficiaries = next(r for r in rows if r[2] == "受益师生人数")
    # 1100 of ≥ 1200 → 15 × 1100/1200 = 13.75
    assert beneficiaries[3:7] == ["≥1200人", "1100人", "15.00", "13.75"]
    assert next(r for r in rows if r[2] == "缓解超大班教学问题")[3:5] == ["有效缓解超大班", "excellent (优)"]
    # the merged 一级 cell spans the four output rows
    assert rows[1][0] == rows[4][0] == "output (产出指标)"
    budget, total = rows[-2], rows[-1]
    assert budget[4:7] == ["90.00%", "10.00", "9.00"]
    assert total[5:7] == ["100.00", "97.75"] and "excellent" in total[7]


def test_docx_sets_the_east_asian_fonts(assessment):
    doc = Document(io.BytesIO(self_assessment_docx(assessment)))
    title = doc.paragraphs[0].runs[0]
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" and title.font.bold
    cell_run = doc.tables[1].cell(1, 2).paragraphs[0].runs[0]
    assert cell_run.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    body = doc.paragraphs[-1].runs[0]
    assert body.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape A4


def test_docx_lists_the_warnings(assessment):
    text = "\n".join(p.text for p in Document(io.BytesIO(self_assessment_docx(assessment))).paragraphs)
    assert "受益师生人数" in text  # a miss without a reason
    assert "not yet verified" in text


def test_summary_docx_and_xlsx(pairings):
    city = pairings.pairings["beijing_badong"]
    qlq_project(city, code="S-1")
    qlq_project(city, code="S-2", overrides={"新建教学楼": D(0)})
    summary = pairing_performance_summary(actor=SYSTEM, pairing=city, year=2023)
    rows = texts(Document(io.BytesIO(performance_summary_docx(summary))).tables[0])
    assert [r[1] for r in rows[1:3]] == ["S-1", "S-2"]
    assert [r[6:8] for r in rows[1:3]] == [["100.00", "excellent (优)"], ["80.00", "good (良)"]]
    assert rows[-1][-2] == "90.00"
    ws = load_workbook(io.BytesIO(performance_summary_xlsx(summary))).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=4)]
    assert [(v[0], v[7], v[8]) for v in values] == [("S-1", 100, "excellent (优)"), ("S-2", 80, "good (良)")]
    assert values[0][6] == 1  # budget execution as a fraction (shown 100.00 %)
