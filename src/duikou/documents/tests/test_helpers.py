"""The pieces of the documents that need no database: numbering, period names, beneficiaries,
the chart, the table registry and the formula rule of the workbook writer."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from duikou.documents.charts import funds_by_year_png
from duikou.documents.docx import beneficiaries_text, cn_number, period_phrase
from duikou.documents.selectors import check_years
from duikou.documents.tables import TABLES, Column, Table, find_table
from duikou.documents.xlsx import table_xlsx
from duikou.reports.selectors import YearFunds


def test_chinese_numerals_of_headings():
    assert [cn_number(n) for n in (1, 2, 5, 8, 10, 11, 13)] == ["一", "二", "五", "八", "十", "十一", "十三"]


def test_period_phrases():
    assert "“十四五”以来" in period_phrase(2021, 2024)
    assert "“十四五”期间" in period_phrase(2021, 2025)
    with translation.override("en"):
        assert period_phrase(2024, 2024) == "in 2024"
        assert period_phrase(2016, 2020) == "in 2016–2020"
        assert period_phrase(2021, 2021) == "in 2021"


def test_beneficiaries_keep_their_qualifier():
    with translation.override("en"):
        text = beneficiaries_text([("师生", 1200, "more_than"), ("村民", 300, "about"), ("患者", 50, "exact")])
    assert text == "师生: more than 1200 people；村民: about 300 people；患者: 50 people"


@pytest.mark.parametrize("year_from, year_to, field", [
    ("2024", "2021", "to"), ("abc", "2021", "from"), ("2021", "", "to"), ("1800", "2021", "from"),
    ("2021", "2101", "to"),
])
def test_bad_years_name_the_field(year_from, year_to, field):
    with pytest.raises(ValidationError) as exc:
        check_years(year_from, year_to)
    assert field in exc.value.message_dict


def test_good_years_are_integers():
    assert check_years(" 2021", 2024) == (2021, 2024)


def test_tables_are_found_by_slug_or_chinese_name_only():
    assert len(TABLES) == 8
    assert find_table("培训台账").slug == "training" and find_table("training").name == "培训台账"
    with pytest.raises(ValidationError) as exc:
        find_table("培训")
    assert "table" in exc.value.message_dict


def test_chart_is_a_png_of_the_years():
    funds = [YearFunds(year=y, city=Decimal(45130000), district=Decimal(6000000), other=Decimal(0))
             for y in range(2020, 2025)]
    png = funds_by_year_png(funds)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width > 600


def test_workbook_writes_text_as_text_and_money_as_numbers():
    table = Table(slug="t", name="测试表", title="测试表",
                  columns=[Column("a"), Column("b", "money"), Column("c", "date"), Column("d", "int")],
                  rows=[["=1+1", Decimal("12.50"), date(2024, 1, 2), 3], ["+86", Decimal("1"), None, 4],
                        ["-x", Decimal("0"), None, None], ["@A1", None, None, None]],
                  totals=["合计", Decimal("13.50"), None, 7], notes=["note"])
    ws = openpyxl.load_workbook(io.BytesIO(table_xlsx(table, pairing="甲 → 乙", year_from=2024, year_to=2024))).active
    assert ws["A1"].value == "测试表 · 甲 → 乙 · 2024"
    assert [(ws.cell(r, 1).value, ws.cell(r, 1).data_type) for r in range(4, 8)] == [
        ("=1+1", "s"), ("+86", "s"), ("-x", "s"), ("@A1", "s")]
    assert ws["B4"].value == 12.5 and ws["B4"].number_format == "#,##0.00"
    assert ws["C4"].number_format == "yyyy-mm-dd"
    assert ws["A8"].value == "合计" and ws["A8"].font.bold and ws["D8"].value == 7
    assert ws.freeze_panes == "A4" and ws.column_dimensions["A"].width == 14
