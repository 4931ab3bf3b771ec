"""Importing workbooks into the Beijing → Badong demo: templates, every sheet through the
services, one transaction, re-import, updates by natural key, row errors, scope, the command and
the page."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from duikou.audit.models import ObjectChange
from duikou.consumption.models import Product, SalesRecord
from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundAllocation
from duikou.imports.services import import_workbook
from duikou.imports.sheets import SHEETS
from duikou.imports.xlsx_template import template_workbook
from duikou.people.models import Secondment, TrainingSession
from duikou.projects.models import Project
from duikou.testing.asserts import changes_for

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-imports")]

PROJECT_HEAD = ["代码", "名称", "结对关系", "重点任务", "起始年度", "截止年度", "预算（元）"]


def project_row(code="IMP-001", **kw):
    row = {"代码": code, "名称": "导入测试项目", "结对关系": "北京市 → 巴东县", "重点任务": "industry",
           "起始年度": 2024, "截止年度": 2025, "预算（元）": 1234567.5}
    row.update(kw)
    return [row[h] for h in PROJECT_HEAD]


def workbook(sheets: dict) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def user(name):
    return get_user_model().objects.get(username=name)


def errors_at(result):
    return {(e.sheet, e.row, e.column) for e in result.errors}


# templates ----------------------------------------------------------------------------------


def test_template_has_a_sheet_per_kind_with_the_fields_labels_and_an_instructions_sheet(demo_db):
    wb = load_workbook(io.BytesIO(template_workbook()))
    assert wb.sheetnames[1:] == [s.title() for s in SHEETS]
    assert wb.sheetnames[1:] == ["项目", "资金计划下达", "挂职干部人才", "培训班", "产品", "销售记录"]
    assert [c.value for c in wb["项目"][1]][:4] == ["代码", "名称", "结对关系", "重点任务"]
    info = list(wb[wb.sheetnames[0]].iter_rows(values_only=True))
    fields = {(r[0], r[2]): r for r in info if r[2]}
    for spec in SHEETS:
        for name in spec.field_names():
            assert (spec.title(), name) in fields
    assert fields[("项目", "code")][3:5] == ("是", "是")  # required, key
    assert fields[("项目", "location")][3] == "否"
    assert "industry = " in fields[("项目", "key_task")][6]
    assert "grant = 无偿援助" in fields[("资金计划下达", "stream")][6]


def test_template_in_english_has_english_headers_that_import_too(demo_db):
    with translation.override("en"):
        wb = load_workbook(io.BytesIO(template_workbook(slugs=["projects"])))
    assert wb.sheetnames == ["Instructions (说明)", "Projects"]
    head = [c.value for c in wb["Projects"][1]]
    assert head[:3] == ["Code", "Name", "Pairing"]
    ws = wb["Projects"]
    values = dict(zip(PROJECT_HEAD, project_row("IMP-EN"), strict=True))
    ws.append([{"Code": values["代码"], "Name": values["名称"], "Pairing": values["结对关系"], "Key task": "industry",
                "First year": 2024, "Last year": 2025, "Budget (yuan)": 10}.get(h) for h in head])
    out = io.BytesIO()
    wb.save(out)
    result = import_workbook(out.getvalue(), actor=SYSTEM)
    assert result.errors == [] and result.saved
    assert Project.objects.get(code="IMP-EN").budget == Decimal("10.00")


# writes -------------------------------------------------------------------------------------


def test_filled_template_creates_through_the_service_with_an_audit_record(demo_db):
    wb = load_workbook(io.BytesIO(template_workbook(slugs=["projects"])))
    ws = wb["项目"]
    head = [c.value for c in ws[1]]
    row = dict(zip(PROJECT_HEAD, project_row("IMP-T1", 重点任务="支持产业高质量发展"), strict=True))
    ws.append([row.get(h, {"行业领域": "教育", "实施地点（乡镇、村）": "信陵镇"}.get(h)) for h in head])
    out = io.BytesIO()
    wb.save(out)
    result = import_workbook(out.getvalue(), actor=user("beijing"))
    assert result.errors == []
    project = Project.objects.get(code="IMP-T1")
    assert (project.key_task.code, project.sector, project.location) == ("industry", "education", "信陵镇")
    assert project.budget == Decimal("1234567.50")
    assert project.location_division == project.pairing.recipient_division  # the form's default
    change = changes_for(project, "create")
    assert len(change) == 1 and change[0].actor_name == "beijing"


def test_reimporting_the_same_file_changes_nothing(demo_db):
    data = workbook({"项目": [PROJECT_HEAD, project_row("IMP-R1"), project_row("IMP-R2")]})
    first = import_workbook(data, actor=SYSTEM)
    assert first.total("created") == 2
    project = Project.objects.get(code="IMP-R1")
    changes, updated = ObjectChange.objects.count(), project.last_updated
    second = import_workbook(data, actor=SYSTEM)
    assert (second.total("created"), second.total("updated"), second.total("unchanged")) == (0, 0, 2)
    assert ObjectChange.objects.count() == changes
    project.refresh_from_db()
    assert project.last_updated == updated


def test_row_with_an_existing_code_updates_the_record(demo_db):
    existing = Project.objects.get(code="BJBD-2025-01")
    kept = (existing.location_division_id, existing.sector, existing.location, existing.implementing_unit_id)
    row = [existing.code, existing.name, "北京市 → 巴东县", existing.key_task.code, existing.start_year,
           existing.end_year, 4300000]
    result = import_workbook(workbook({"项目": [PROJECT_HEAD, row]}), actor=SYSTEM)
    assert (result.total("updated"), result.total("created")) == (1, 0)
    existing.refresh_from_db()
    assert existing.budget == Decimal("4300000.00")
    assert (existing.location_division_id, existing.sector, existing.location,
            existing.implementing_unit_id) == kept  # columns absent from the sheet: kept
    change = changes_for(existing, "update")[-1]
    assert (change.before["budget"], change.after["budget"]) == ("4200000.00", "4300000.00")


def test_one_bad_row_saves_nothing_unless_valid_rows_only(demo_db):
    data = workbook({"项目": [PROJECT_HEAD, project_row("IMP-V1"), project_row("IMP-V2", **{"预算（元）": "abc"})]})
    result = import_workbook(data, actor=SYSTEM)
    assert not result.saved and errors_at(result) == {("项目", 3, "预算（元）")}
    assert not Project.objects.filter(code__startswith="IMP-V").exists()
    result = import_workbook(data, actor=SYSTEM, valid_only=True)
    assert result.saved and result.total("created") == 1 and result.total("failed") == 1
    assert list(Project.objects.filter(code__startswith="IMP-V").values_list("code", flat=True)) == ["IMP-V1"]


def test_dry_run_checks_every_row_and_saves_nothing(demo_db):
    result = import_workbook(workbook({"项目": [PROJECT_HEAD, project_row("IMP-D1")]}), actor=SYSTEM, dry_run=True)
    assert result.total("created") == 1 and not result.saved and result.errors == []
    assert not Project.objects.filter(code="IMP-D1").exists()


def test_every_sheet_imports_with_human_keys_and_reimports_unchanged(demo_db):
    data = workbook({
        "销售记录": [["结对关系", "产品", "销售渠道", "销售地区", "日期", "金额（元）", "采购方", "采购方类型"],
                 ["房山区 → 巴东县", "导入测试产品", "长阳奥特莱斯专场推介", "110111", "2025-03-01", 888.8, "某单位",
                  "工会"]],
        "项目": [PROJECT_HEAD, project_row("IMP-S1")],
        "资金计划下达": [["结对关系", "项目", "预算年度", "金额（元）", "文号或凭证号", "资金类别", "层级"],
                   ["北京市 → 巴东县", "IMP-S1", 2024, 500000, "京巴援〔2024〕99号", "无偿援助", None]],
        "挂职干部人才": [["批次", "姓名", "领域", "开始日期"],
                   ["北京市 → 巴东县 · 第1批挂职干部", "王某某", "教育", "2024-03-01"]],
        "培训班": [["结对关系", "标题", "类别", "开始日期", "参加人员", "培训人次", "主办单位"],
                ["北京市->巴东县", "导入测试培训班", "education", "2024-05-06", 40, 80, "北京市"]],
        "产品": [["结对关系", "名称", "产地", "已纳入支援方消费帮扶体系"],
               ["房山区 → 巴东县", "导入测试产品", "巴东县", "是"]],
    })
    result = import_workbook(data, actor=SYSTEM)
    assert result.errors == []
    assert [s.register for s in result.sheets] == [s.register_slug for s in SHEETS]  # import order, not file order
    allocation = FundAllocation.objects.get(doc_no="京巴援〔2024〕99号")
    assert (allocation.project.code, allocation.stream, allocation.amount) == ("IMP-S1", "grant", Decimal("500000.00"))
    assert allocation.level == "city"  # an empty cell of a field with a default: the default (also in the key)
    assert Secondment.objects.get(person_name="王某某").batch.number == 1
    training = TrainingSession.objects.get(title="导入测试培训班")
    assert (training.person_times, training.organiser.name) == (80, "北京市")
    product = Product.objects.get(name="导入测试产品")
    assert product.in_supporter_system and product.pairing.short_label == "房山区 → 巴东县"
    sale = SalesRecord.objects.get(product=product)
    assert (sale.amount, sale.buyer_type, sale.market_division.code) == (Decimal("888.80"), "union", "110111")
    again = import_workbook(data, actor=SYSTEM)
    assert again.errors == [] and again.total("unchanged") == 6 and again.total("created") == 0


# row errors ---------------------------------------------------------------------------------


def test_row_errors_name_sheet_row_and_column(demo_db):
    data = workbook({"项目": [
        PROJECT_HEAD,
        project_row("IMP-E1", 起始年度="二〇二四"),  # wrong type
        project_row("IMP-E2", 重点任务="nosuch"),  # unknown code
        project_row("IMP-E3", 结对关系="北京市 → 无此县"),  # unknown pairing
        project_row("IMP-E4"),
        project_row("IMP-E4"),  # the same natural key twice
        project_row("IMP-E5", 截止年度=2020),  # a rule of the model (the service's full_clean)
        [None] * len(PROJECT_HEAD),  # empty rows are skipped
        project_row("IMP-E6", 名称=None),  # required value missing
    ]})
    with translation.override("en"):
        result = import_workbook(data, actor=SYSTEM)
    assert not result.saved
    assert errors_at(result) == {
        ("项目", 2, "起始年度"), ("项目", 3, "重点任务"), ("项目", 4, "结对关系"), ("项目", 6, "代码"),
        ("项目", 7, "截止年度"), ("项目", 9, "名称"),
    }
    messages = {(e.row, e.message) for e in result.errors}
    assert (3, "No key task “nosuch” (or none you may use).") in messages
    assert (6, "Same project code as row 5: a record may appear only once in a file.") in messages
    with translation.override("en"):
        assert str(next(e for e in result.errors if e.row == 3)) == (
            "项目, row 3, column 重点任务: No key task “nosuch” (or none you may use).")


def test_missing_required_and_unknown_columns_are_reported_on_the_header_row(demo_db):
    data = workbook({"项目": [["代码", "名称", "无此列", "起始年度"], ["IMP-H1", "x", "?", 2024]]})
    result = import_workbook(data, actor=SYSTEM)
    assert errors_at(result) >= {("项目", 1, "无此列"), ("项目", 1, "结对关系"), ("项目", 1, "预算（元）")}
    assert result.sheets[0].failed == 1 and not result.saved


def test_bad_choice_yes_no_and_unknown_sheet(demo_db):
    data = workbook({
        "产品": [["结对关系", "名称", "产地", "已纳入支援方消费帮扶体系"], ["房山区 → 巴东县", "导入产品X", "巴东县", "也许"]],
        "培训班": [["结对关系", "标题", "类别", "开始日期", "参加人员", "培训人次"],
                ["北京市 → 巴东县", "导入培训X", "无此类别", "2024-05-06", 1, 1]],
        "杂项": [["a"], ["b"]],
    })
    with translation.override("en"):
        result = import_workbook(data, actor=SYSTEM)
    assert errors_at(result) == {("产品", 2, "已纳入支援方消费帮扶体系"), ("培训班", 2, "类别"), ("杂项", None, "")}
    category = next(e.message for e in result.errors if e.column == "类别")
    assert "party_affairs" in category


def test_non_xlsx_file_is_an_error_of_the_file(demo_db):
    result = import_workbook(b"code,name\n", actor=SYSTEM)
    assert [(e.sheet, e.row) for e in result.errors] == [("", None)] and not result.saved


def test_a_user_imports_only_into_pairings_they_may_write(demo_db):
    data = workbook({"项目": [PROJECT_HEAD, project_row("IMP-F1")]})
    result = import_workbook(data, actor=user("fangshan"))  # 房山区's office: not 北京市 → 巴东县
    assert errors_at(result) == {("项目", 2, "结对关系")}
    assert not Project.objects.filter(code="IMP-F1").exists()


# command and page ---------------------------------------------------------------------------


def test_command_imports_reports_and_refuses(demo_db, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook({"项目": [PROJECT_HEAD, project_row("IMP-C1")]}))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_excel", str(good), "--progress", "--language", "en", stdout=out, stderr=err)
    assert "项目: 1 rows, 1 created" in out.getvalue() and "Saved." in out.getvalue()
    assert "[" in err.getvalue() and "1/1" in err.getvalue()
    assert Project.objects.filter(code="IMP-C1").exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook({"项目": [PROJECT_HEAD, project_row("IMP-C2", 重点任务="nosuch")]}))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_excel", str(bad), "--language", "en", stdout=out)
    assert "项目, row 2, column 重点任务" in out.getvalue()
    out = io.StringIO()
    call_command("import_excel", str(good), "--dry-run", "--valid-only", "--language", "en", stdout=out)
    assert "1 unchanged" in out.getvalue() and "Dry run" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("import_excel", str(tmp_path / "missing.xlsx"), stdout=io.StringIO())


def test_template_command_writes_the_template(demo_db, tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("excel_template", "--out", str(path), "--sheet", "products", stdout=io.StringIO())
    assert load_workbook(path).sheetnames[1:] == ["产品"]


def test_page_downloads_templates_and_shows_row_errors(client, demo_db):
    client.force_login(user("beijing"))
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200 and "sheet=projects" in page.content.decode()
    download = client.get(reverse("imports:template"), {"sheet": "training-sessions"})
    assert load_workbook(io.BytesIO(download.content)).sheetnames[1:] == ["培训班"]
    bad = io.BytesIO(workbook({"项目": [PROJECT_HEAD, project_row("IMP-W1"), project_row("IMP-W2", **{"预算（元）": "x"})]}))
    bad.name = "bad.xlsx"
    response = client.post(reverse("imports:index"), {"file": bad})
    html = response.content.decode()
    assert 'id="import-errors"' in html and "<td class=\"num\">3</td><td>预算（元）</td>" in html
    assert not Project.objects.filter(code="IMP-W1").exists()
    bad.seek(0)
    response = client.post(reverse("imports:index"), {"file": bad, "valid_only": "on"})
    assert Project.objects.filter(code="IMP-W1").exists()
    assert changes_for(Project.objects.get(code="IMP-W1"), "create")[0].actor_name == "beijing"


def test_page_is_for_users_who_may_add(client, demo_db):
    assert client.get(reverse("imports:index")).status_code == 302  # sign in first
    client.force_login(user("supervisor"))  # a national supervisor views only
    assert client.get(reverse("imports:index")).status_code == 404
    assert client.get(reverse("imports:template")).status_code == 404


def test_headers_as_field_codes_two_sheets_of_one_kind_and_no_progress_bar_by_default(demo_db, tmp_path):
    codes = ["code", "name", "pairing", "key_task", "start_year", "end_year", "budget"]
    data = workbook({"projects": [codes, project_row("IMP-K1")], "项目": [PROJECT_HEAD, project_row("IMP-K2")]})
    result = import_workbook(data, actor=SYSTEM)
    assert [(e.sheet, e.row) for e in result.errors] == [("项目", None)]  # a second sheet of projects
    assert result.sheets[0].created == 1 and not result.saved
    path = tmp_path / "k.xlsx"
    path.write_bytes(workbook({"projects": [codes, project_row("IMP-K1")]}))
    err = io.StringIO()
    call_command("import_excel", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == "" and Project.objects.filter(code="IMP-K1").exists()


def test_page_checks_only_when_asked(client, demo_db):
    client.force_login(user("beijing"))
    upload = io.BytesIO(workbook({"项目": [PROJECT_HEAD, project_row("IMP-P1")]}))
    upload.name = "p.xlsx"
    response = client.post(reverse("imports:index"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 200 and 'id="import-sheets"' in response.content.decode()
    assert not Project.objects.filter(code="IMP-P1").exists()
    not_xlsx = io.BytesIO(b"code,name\n")
    not_xlsx.name = "p.xlsx"
    response = client.post(reverse("imports:index"), {"file": not_xlsx})
    assert 'id="import-errors"' in response.content.decode()
