"""The report documents on the Beijing → Badong demo: the .docx and the .xlsx are opened with
python-docx and openpyxl and their figures compared with the records (``pairing_figures``, what
``duikou stats`` prints) and with the article's figures; the command lines, the web downloads, the
scoping and the errors."""

import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation

from duikou.core.permissions import SYSTEM
from duikou.documents.selectors import summary_report
from duikou.documents.tables import TABLES, build_table
from duikou.documents.xlsx import table_xlsx
from duikou.funds.models import FundTransaction
from duikou.organisations.models import Organisation
from duikou.organisations.selectors import pairing_find
from duikou.people.models import TrainingSession
from duikou.reports.selectors import funds_by_year, pairing_figures
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

BJ_BD = {"supporter": "北京市", "recipient": "巴东县"}


@pytest.fixture(scope="module")
def demo(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        return pairing_find(actor=SYSTEM, supporter="北京市", recipient="巴东县")


def member(org_name: str, role: str):
    user = f.UserFactory()
    f.MembershipFactory(user=user, organisation=Organisation.objects.get(name=org_name), role=f.RoleFactory(code=role))
    return user


def docx_text(content: bytes) -> tuple[str, object]:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs), document


def sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def body_rows(ws):
    """The table's rows under the title (1), the note (2) and the header (3), up to the first empty row."""
    rows = []
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        rows.append(list(row))
    return rows


def write_summary(tmp_path, year_from, year_to) -> bytes:
    out = tmp_path / "summary.docx"
    stdout = io.StringIO()
    call_command("report", "summary", "--supporter", "北京市", "--recipient", "巴东县", "--from", str(year_from),
                 "--to", str(year_to), "--out", str(out), stdout=stdout)
    assert str(out) in stdout.getvalue()
    return out.read_bytes()


def export(tmp_path, table, *years) -> tuple[object, str]:
    out = tmp_path / "table.xlsx"
    stdout = io.StringIO()
    args = ["--from", str(years[0]), "--to", str(years[1])] if years else []
    call_command("export_excel", "--table", table, "--supporter", "北京市", "--recipient", "巴东县", *args,
                 "--out", str(out), stdout=stdout)
    return sheet(out.read_bytes()), stdout.getvalue()


# the Word summary ---------------------------------------------------------------------------------


def test_summary_docx_states_the_article_figures_computed_from_the_records(demo, tmp_path):
    text, document = docx_text(write_summary(tmp_path, 2021, 2024))
    figures = pairing_figures(actor=SYSTEM, pairing=demo, year_from=2021, year_to=2024)
    cumulative = pairing_figures(actor=SYSTEM, pairing=demo, year_from=1992, year_to=2024)
    public = figures.projects_by_task["public_services"]
    # the article: “十四五”以来，实施公共服务项目11个，援助资金7710万元 — computed, not written in
    assert (public.projects, public.funds_yuan) == (11, Decimal("77100000"))
    assert "“十四五”以来" in text
    assert "7710万元" in text
    # 累计援助资金 11.4亿多元, over 300 projects
    assert "11.4亿多元" in text and str(cumulative.projects) in text
    # 15 cadres in 4 batches, 1400 person-times
    assert (figures.cadres_seconded, figures.cadre_batches, figures.training_person_times) == (15, 4, 1400)
    assert "1400" in text and "15" in text
    # named projects with amount and beneficiaries
    assert "青龙桥小学教学楼" in text and "900万元" in text and "1200" in text
    assert "巴东县血液透析中心改造工程" in text and "750万元" in text
    assert "水健康产业园" in text and "生物医药产业链建设" in text
    # enterprises and agreements
    for name in ("时珍堂药业", "北汽新能源", "博宇工贸", "首都医科大学中医药学院"):
        assert name in text
    # numbered headings, one chart, tables
    headings = [p.text for p in document.paragraphs if p.text[:2] in {"一、", "二、", "三、", "四、", "五、", "六、", "七、"}]
    assert len(headings) == 7
    assert any(p.text.startswith("（三）提高基本公共服务和民生保障能力") for p in document.paragraphs)
    assert len(document.inline_shapes) == 1
    assert len(document.tables) >= 5


def test_summary_docx_tables_add_up_to_the_figures(demo, tmp_path):
    _text, document = docx_text(write_summary(tmp_path, 2021, 2024))
    figures = pairing_figures(actor=SYSTEM, pairing=demo, year_from=2021, year_to=2024)
    by_task = document.tables[0]
    rows = [[c.text for c in row.cells] for row in by_task.rows]
    assert rows[3][0] == "提高基本公共服务和民生保障能力" and rows[3][1:] == ["11", "7,710.00"]
    assert int(rows[-1][1]) == figures.projects
    funds = document.tables[1]
    years = funds_by_year(actor=SYSTEM, pairing=demo, year_from=2021, year_to=2024)
    rows = [[c.text for c in row.cells] for row in funds.rows]
    for row, year in zip(rows[1:-1], years, strict=True):
        assert int(row[0]) == year.year
        assert Decimal(row[1].replace(",", "")) * 10000 == year.city
        assert Decimal(row[2].replace(",", "")) * 10000 == year.district
    assert Decimal(rows[-1][4].replace(",", "")) * 10000 == figures.aid_funds_yuan


def test_summary_docx_is_in_official_fonts(demo, tmp_path):
    _text, document = docx_text(write_summary(tmp_path, 2024, 2024))
    title = document.paragraphs[0].runs[0]
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    assert title._element.rPr.rFonts.get(qn) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("一、")).runs[0]
    assert body._element.rPr.rFonts.get(qn) == "黑体"
    text = next(p for p in document.paragraphs[3:] if p.text and p.text[0] not in "一二三四五六七八（").runs[0]
    assert text._element.rPr.rFonts.get(qn) == "仿宋_GB2312"
    font_table = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    xml = font_table.blob.decode()
    for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:name="{name}"><w:altName w:val="宋体"/>' in xml


def test_summary_for_2020_states_the_baseline(demo, tmp_path):
    text, _document = docx_text(write_summary(tmp_path, 2020, 2020))
    assert "5113万元" in text  # 5113万元 市区两级 in 2020
    with translation.override("en"):
        text, _document = docx_text(write_summary(tmp_path, 2020, 2020))
    assert "In 2020, free aid allocated: 5113万元" in text
    with translation.override("en"):
        text, _document = docx_text(write_summary(tmp_path, 2021, 2024))
    assert ("Since the 14th Five-Year Plan began (“十四五”以来), 11 projects were carried out under this task, "
            "with 7710万元 of aid funds allocated.") in text


def test_summary_of_a_year_without_records(demo, tmp_path):
    text, document = docx_text(write_summary(tmp_path, 2030, 2030))
    figures = pairing_figures(actor=SYSTEM, pairing=demo, year_from=2030, year_to=2030)
    assert figures.aid_funds_yuan == 0 and figures.projects == 0
    assert "11.4亿多元" in text and "0万元" in text  # the cumulative figures, then nothing in 2030
    assert len(document.tables) == 3  # by task, by year, training; no named projects, no sales
    assert len(document.inline_shapes) == 1


def test_summary_read_model_equals_stats(demo):
    report = summary_report(actor=SYSTEM, pairing=demo, year_from=2021, year_to=2025)
    assert report.figures == pairing_figures(actor=SYSTEM, pairing=demo, year_from=2021, year_to=2025)
    assert report.funds_city + report.funds_district + report.funds_other == report.figures.aid_funds_yuan
    assert report.figures.planned_funds_yuan == Decimal("260000000")
    qlq = next(e for e in report.examples if e.name == "青龙桥小学教学楼")
    assert qlq.budget_yuan == Decimal("9000000") and qlq.beneficiaries[0][1] == 1200


# the Excel tables ---------------------------------------------------------------------------------


def test_every_table_by_slug_and_chinese_name(demo, tmp_path):
    for spec in TABLES.values():
        for name in (spec.slug, spec.name):
            ws, out = export(tmp_path, name, 2021, 2024)
            assert ws.title == spec.name
            assert ws["A1"].value == f"{spec.name} · 北京市 → 巴东县 · 2021–2024"
            assert ws.freeze_panes == "A4"
            assert all(cell.font.bold for cell in ws[3] if cell.value)
            assert spec.name in out


def test_cumulative_table_year_by_year_two_streams_apart(demo, tmp_path):
    ws, _out = export(tmp_path, "三峡累计统计表")
    rows = body_rows(ws)
    assert rows[0][0] == 1992
    headers = [c.value for c in ws[3]]
    assert len(headers) == 10
    by_year = {row[0]: row for row in rows if isinstance(row[0], int)}
    assert by_year[2020][4] == Decimal("51130000") or by_year[2020][4] == 51130000
    cumulative = pairing_figures(actor=SYSTEM, pairing=demo, year_from=1992, year_to=2024)
    assert Decimal(str(by_year[2024][5])) == cumulative.aid_funds_yuan
    assert by_year[2024][7] == cumulative.projects
    assert ws.cell(4, 2).number_format == "#,##0.00"
    totals = next(row for row in ws.iter_rows(min_row=4, values_only=True) if row[0] and not isinstance(row[0], int))
    last_year = max(by_year)
    assert Decimal(str(totals[4])) == pairing_figures(actor=SYSTEM, pairing=demo, year_from=1992,
                                                      year_to=last_year).aid_funds_yuan
    # from a later first year, the cumulative columns still count from the pairing's first year
    ws, _out = export(tmp_path, "cumulative", 2016, 2024)
    rows = body_rows(ws)
    assert rows[0][0] == 2016 and rows[8][0] == 2024
    assert Decimal(str(rows[8][5])) == cumulative.aid_funds_yuan and rows[8][7] == cumulative.projects
    assert Decimal(str(rows[-1][4])) == pairing_figures(actor=SYSTEM, pairing=demo, year_from=2016,
                                                        year_to=2024).aid_funds_yuan


def test_training_cadres_and_investment_tables_match_stats(demo, tmp_path):
    figures = pairing_figures(actor=SYSTEM, pairing=demo, year_from=2021, year_to=2024)
    ws, _out = export(tmp_path, "培训台账", 2021, 2024)
    rows = body_rows(ws)
    sessions, totals = rows[:-1], rows[-1]
    assert sum(r[7] for r in sessions) == figures.training_person_times == totals[7] == 1400
    ws, _out = export(tmp_path, "干部人才台账", 2021, 2024)
    assert len(body_rows(ws)) - 1 == figures.cadres_seconded == 15
    ws, _out = export(tmp_path, "investment", 2021, 2024)
    names = {r[0] for r in body_rows(ws)[:-1]}
    assert {"时珍堂药业", "北汽新能源", "博宇工贸"} <= names
    ws, _out = export(tmp_path, "agreements", 2024, 2024)
    assert any("首都医科大学中医药学院" in r[1] for r in body_rows(ws))


def test_project_tables_match_the_records(demo, tmp_path):
    figures = pairing_figures(actor=SYSTEM, pairing=demo, year_from=2023, year_to=2023)
    ws, _out = export(tmp_path, "年度项目计划表", 2023, 2023)
    rows = body_rows(ws)
    projects, totals = rows[:-1], rows[-1]
    assert len(projects) == figures.projects
    qlq = next(r for r in projects if r[1] == "青龙桥小学教学楼")
    assert Decimal(str(qlq[7])) == Decimal("9000000") and qlq[2] == "public_services"
    allocated = FundTransaction.objects.filter(
        project__code__in=[r[0] for r in projects], kind="allocation", stream="grant", year=2023
    ).aggregate(s=Sum("amount"))["s"]
    assert Decimal(str(totals[8])) + Decimal(str(totals[9])) + Decimal(str(totals[10])) == allocated
    ws, _out = export(tmp_path, "project-progress", 2023, 2023)
    rows = body_rows(ws)
    qlq = next(r for r in rows if r[1] == "青龙桥小学教学楼")
    assert Decimal(str(qlq[6])) == Decimal("9000000")
    assert ws.cell(4, 11).number_format == "0.00%"


def test_consumption_table_counts_like_stats(demo, tmp_path):
    ws, _out = export(tmp_path, "消费帮扶统计表", 2024, 2024)
    rows = body_rows(ws)
    sales, totals = rows[:-1], rows[-1]
    assert sales and Decimal(str(totals[11])) == sum(Decimal(str(r[11])) for r in sales)
    counted_products = {r[5] for r in sales if r[13] is None}
    figures = pairing_figures(actor=SYSTEM, pairing=demo, year_from=2024, year_to=2024)
    assert len(counted_products) == figures.consumption_products


def test_text_cells_are_never_formulas(demo, tmp_path):
    session = TrainingSession.objects.filter(pairing=demo, start_date__year=2024).order_by("id").first()
    TrainingSession.objects.filter(pk=session.pk).update(title="=HYPERLINK(\"http://x\")", location="+1",
                                                         organiser=None)
    ws, _out = export(tmp_path, "training", 2024, 2024)
    cells = [row for row in ws.iter_rows(min_row=4) if row[0].value == "=HYPERLINK(\"http://x\")"]
    assert cells and cells[0][0].data_type == "s" and cells[0][4].value == "+1" and cells[0][4].data_type == "s"
    raw = build_table(actor=SYSTEM, pairing=demo, table="training", year_from=2024, year_to=2024)
    table = type(raw)(slug=raw.slug, name=raw.name, title=raw.title, columns=raw.columns,
                      rows=[["-2+3", *r[1:]] for r in raw.rows[:1]] + [["@SUM(A1)", *r[1:]] for r in raw.rows[:1]],
                      totals=None)
    ws = sheet(table_xlsx(table, pairing="x", year_from=2024, year_to=2024))
    assert [(ws.cell(r, 1).value, ws.cell(r, 1).data_type) for r in (4, 5)] == [("-2+3", "s"), ("@SUM(A1)", "s")]


# errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, option", [
    (["--table", "无此表"], "--table"),
    (["--table", "training", "--from", "2024", "--to", "2021"], "--to"),
    (["--table", "training", "--from", "abc", "--to", "2021"], "--from"),
    (["--table", "training", "--from", "1800", "--to", "2021"], "--from"),
])
def test_export_excel_errors_name_the_option(demo, tmp_path, args, option):
    with pytest.raises(CommandError) as exc:
        call_command("export_excel", *args, "--supporter", "北京市", "--recipient", "巴东县",
                     "--out", str(tmp_path / "t.xlsx"), stdout=io.StringIO())
    assert str(exc.value).startswith(option)
    assert not (tmp_path / "t.xlsx").exists()


def test_unknown_pairing_and_bad_file_name(demo, tmp_path):
    with pytest.raises(CommandError, match="上海市"):
        call_command("report", "summary", "--supporter", "上海市", "--recipient", "巴东县", "--from", "2021",
                     "--to", "2024", "--out", str(tmp_path / "s.docx"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--out"):
        call_command("report", "summary", "--supporter", "北京市", "--recipient", "巴东县", "--from", "2021",
                     "--to", "2024", "--out", str(tmp_path / "s.pdf"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--to"):
        call_command("report", "summary", "--supporter", "北京市", "--recipient", "巴东县", "--from", "2024",
                     "--to", "2021", "--out", str(tmp_path / "s.docx"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--to"):  # the pairing starts in 1992
        call_command("report", "summary", "--supporter", "北京市", "--recipient", "巴东县", "--from", "1990",
                     "--to", "1991", "--out", str(tmp_path / "s.docx"), stdout=io.StringIO())
    assert not (tmp_path / "s.docx").exists()


def test_a_user_sees_only_their_records_in_the_documents(demo, tmp_path):
    user = member("房山区", "district_office")
    fangshan = pairing_find(actor=user, supporter="房山区", recipient="巴东县")
    mine = summary_report(actor=user, pairing=fangshan, year_from=2021, year_to=2024)
    assert mine.figures == pairing_figures(actor=user, pairing=fangshan, year_from=2021, year_to=2024)
    assert mine.funds_city == 0 and mine.funds_district > 0
    with pytest.raises(CommandError):
        call_command("report", "summary", "--supporter", "北京市", "--recipient", "巴东县", "--from", "2021",
                     "--to", "2024", "--out", str(tmp_path / "s.docx"), "--user", user.username,
                     stdout=io.StringIO())


# the web application ------------------------------------------------------------------------------


def test_reports_page_and_downloads(client, demo):
    client.force_login(member("北京市", "supporter_office"))
    dashboard = client.get(reverse("dashboard", args=[demo.pk]) + "?period=14th").content.decode()
    page_url = reverse("documents:pairing", args=[demo.pk])
    assert f'href="{page_url}?from=2021&amp;to=2025"' in dashboard
    assert f'href="{reverse("documents:index")}"' in dashboard  # the menu's link
    page = client.get(page_url + "?from=2021&to=2024")
    assert page.status_code == 200
    assert page.context["summary_url"].endswith("?from=2021&to=2024")
    assert [t["slug"] for t in page.context["tables"]] == list(TABLES)
    response = client.get(page.context["summary_url"])
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    text, _document = docx_text(response.content)
    assert "7710万元" in text and "青龙桥小学教学楼" in text
    for table in page.context["tables"]:
        response = client.get(table["url"])
        assert response.status_code == 200, table["url"]
        assert sheet(response.content).title == table["name"]
    ws = sheet(client.get(reverse("documents:table", args=[demo.pk, "training"]) + "?from=2021&to=2024").content)
    assert body_rows(ws)[-1][7] == 1400
    index = client.get(reverse("documents:index")).content.decode()
    assert page_url in index, index[index.find("<main"):][:1500]


def test_web_errors_and_scoping(client, demo):
    client.force_login(member("北京市", "supporter_office"))
    base = reverse("documents:summary", args=[demo.pk])
    assert client.get(base + "?from=2024&to=2021").status_code == 400
    assert client.get(base + "?from=abc&to=2021").status_code == 400
    assert client.get(reverse("documents:table", args=[demo.pk, "nothing"])).status_code == 404
    page = client.get(reverse("documents:pairing", args=[demo.pk]) + "?from=2024&to=2021")
    assert page.status_code == 200 and page.context["error"]
    client.force_login(member("上海市", "supporter_office"))
    for url in (reverse("documents:pairing", args=[demo.pk]), base,
                reverse("documents:table", args=[demo.pk, "training"])):
        assert client.get(url).status_code == 404, url
    client.force_login(member("房山区", "district_office"))
    assert client.get(base).status_code == 404
    client.logout()
    assert client.get(base).status_code == 302
