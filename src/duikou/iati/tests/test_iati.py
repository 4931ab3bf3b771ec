import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from duikou.audit.models import ObjectChange
from duikou.core.permissions import SystemActor
from duikou.funds.models import FundTransaction
from duikou.iati import codes
from duikou.iati.export import export_pairing
from duikou.iati.importer import ImportRefused, import_file
from duikou.iati.xml import iter_activities, validate_document
from duikou.organisations.choices import OrganisationKind
from duikou.projects.models import Project, ProjectBeneficiary, ProjectOutput
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
SYSTEM = SystemActor("test")
D = codes.DUIKOU


@pytest.fixture
def pairing():
    supporter = f.OrganisationFactory(name="测试省", kind=OrganisationKind.SUPPORTER_PROVINCE,
                                      credit_code="11100000000013127D")
    return f.PairingFactory(supporter=supporter, valid_from=dt.date(1992, 1, 1))


@pytest.fixture
def projects(pairing):
    unit = f.OrganisationFactory(name="测试镇人民政府", kind=OrganisationKind.TOWNSHIP)
    a = f.ProjectFactory(pairing=pairing, code="T-2024-01", name="测试教学楼", sector="education", start_year=2024,
                         end_year=2025, status="closed", implementing_unit=unit, location="某某镇",
                         latitude=Decimal("31.04"), longitude=Decimal("110.34"), description="新建教学楼一栋",
                         farmer_linkage="不涉及", work_field="livelihood", budget=Decimal("5000000.00"))
    f.ProjectOutputFactory(project=a, name="教学楼", quantity=Decimal("1"), unit="栋")
    f.ProjectBeneficiaryFactory(project=a, group="师生", count=1200)
    alloc = f.FundAllocationFactory(pairing=pairing, project=a, year=2024, amount=Decimal("5000000.00"),
                                    date=dt.date(2024, 3, 1), doc_no="测〔2024〕1号")
    f.FundTransactionFactory(pairing=pairing, project=a, kind="remittance", allocation=alloc, year=2024,
                             amount=Decimal("4000000.00"), date=dt.date(2024, 5, 1))
    f.FundTransactionFactory(pairing=pairing, project=a, kind="expenditure", allocation=alloc, year=2024,
                             amount=Decimal("3000000.00"), date=None, note="工程款")
    b = f.ProjectFactory(pairing=pairing, code="T-2025-02", name="测试道路", sector="infrastructure",
                         start_year=2025, end_year=2025, budget=Decimal("800000.00"))
    return a, b


def _export(pairing, path=None) -> bytes:
    return export_pairing(actor=SYSTEM, pairing=pairing)


def _activities(data: bytes) -> list[bytes]:
    root = etree.fromstring(data)
    return [etree.tostring(a, encoding="UTF-8") for a in root.findall("iati-activity")]


# export ----------------------------------------------------------------------------------------


def test_export_maps_projects_to_valid_activities(pairing, projects):
    data = _export(pairing)
    root = etree.fromstring(data)
    assert validate_document(root.getroottree()) == []
    acts = {a.findtext("iati-identifier"): a for a in root.findall("iati-activity")}
    assert set(acts) == {"CN-USC-11100000000013127D-T-2024-01", "CN-USC-11100000000013127D-T-2025-02"}
    a = acts["CN-USC-11100000000013127D-T-2024-01"]
    assert a.get("default-currency") == "CNY"
    assert a.find("reporting-org").get("ref") == "CN-USC-11100000000013127D"
    assert a.find("title/narrative").text == "测试教学楼"
    assert a.find("title/narrative").get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
    roles = {p.get("role"): p.findtext("narrative") for p in a.findall("participating-org")}
    assert roles == {"1": "测试省", "2": pairing.recipient.name, "4": "测试镇人民政府"}
    assert a.find("activity-status").get("code") == "4"  # closed
    assert [(d.get("type"), d.get("iso-date")) for d in a.findall("activity-date")] == [
        ("1", "2024-01-01"), ("3", "2025-12-31")]
    assert a.find("recipient-country").get("code") == "CN"
    assert a.find("location").get("ref") == f"GB2260-{pairing.recipient_division.code}"
    assert a.findtext("location/point/pos") == "31.040000 110.340000"
    sectors = {s.get("vocabulary"): s.get("code") for s in a.findall("sector")}
    assert sectors == {"1": "11120", "99": "industry"}
    assert {n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in a.findall("sector/narrative")} == {"zh", "en"}
    assert a.findtext("budget/value") == "5000000.00"
    txs = [(t.findtext("transaction-type") or t.find("transaction-type").get("code"), t.findtext("value"))
           for t in a.findall("transaction")]
    assert txs == [("2", "5000000.00"), ("3", "4000000.00"), ("4", "3000000.00")]
    assert a.findall("transaction")[2].find("transaction-date").get("iso-date") == "2024-01-01"
    results = [(r.get("type"), r.findtext("indicator/title/narrative"), r.find("indicator/period/target").get("value"))
               for r in a.findall("result")]
    assert results == [("1", "教学楼", "1"), ("2", "师生", "1200")]


def test_export_writes_document_links_for_published_notices(pairing, projects):
    d = f.PublishedDisclosureFactory(project=projects[0], pairing=pairing)
    a = etree.fromstring(export_pairing(actor=SYSTEM, pairing=pairing, base_url="https://duikou.example"))
    link = a.find("iati-activity/document-link")
    assert link.get("url") == f"https://duikou.example/disclosures/{d.pk}/document/"
    assert link.find("category").get("code") in {"A08", "A12"}


def _codes(name):
    root = etree.parse(str(FIXTURES / "codelists" / f"{name}.xml"))
    return {item.findtext("code") for item in root.iter("codelist-item") if item.get("status", "active") == "active"}


def test_every_mapped_code_is_in_its_codelist():
    assert set(codes.DAC_OF_SECTOR.values()) <= _codes("Sector")
    assert set(codes.ACTIVITY_STATUS_OF.values()) | set(codes.STATUS_OF_ACTIVITY_STATUS) <= _codes("ActivityStatus")
    assert set(codes.TRANSACTION_TYPE_OF_KIND.values()) | set(codes.KIND_OF_TRANSACTION_TYPE) <= _codes(
        "TransactionType")
    assert {codes.ROLE_FUNDING, codes.ROLE_ACCOUNTABLE, codes.ROLE_IMPLEMENTING} <= _codes("OrganisationRole")
    assert set(codes.ORG_TYPE_OF_KIND.values()) <= _codes("OrganisationType")
    assert {"A08", "A12"} <= _codes("DocumentCategory")
    assert {"1", "2"} <= _codes("ResultType")
    from duikou.projects.choices import ProjectStatus, Sector

    assert set(codes.ACTIVITY_STATUS_OF) == set(ProjectStatus.values)
    assert set(codes.DAC_OF_SECTOR) == set(Sector.values)


def test_export_command_writes_a_valid_file(pairing, projects, tmp_path, capsys):
    out = tmp_path / "x.xml"
    call_command("export_iati", "--supporter", "测试省", "--recipient", pairing.recipient.name, "--out", str(out),
                 "--from", "2025", "--to", "2025")
    root = etree.parse(str(out))
    assert validate_document(root) == []
    assert [a.findtext("iati-identifier")[-9:] for a in root.iter("iati-activity")] == ["T-2024-01", "T-2025-02"]
    call_command("export_iati", "--supporter", "测试省", "--recipient", pairing.recipient.name, "--out", str(out),
                 "--to", "2024")
    assert [a.findtext("iati-identifier")[-9:] for a in etree.parse(str(out)).iter("iati-activity")] == ["T-2024-01"]


def test_an_invalid_export_is_an_error_and_nothing_is_written(pairing, projects, tmp_path, monkeypatch):
    from duikou.iati import export
    from duikou.iati.xml import SchemaError

    monkeypatch.setattr(export, "validate_document", lambda tree: [SchemaError(3, "broken")])
    out = tmp_path / "x.xml"
    with pytest.raises(CommandError, match="broken"):
        call_command("export_iati", "--supporter", "测试省", "--recipient", pairing.recipient.name, "--out", str(out))
    assert not out.exists()


def test_export_of_an_unknown_pairing_names_it(tmp_path):
    with pytest.raises(CommandError, match="北京市"):
        call_command("export_iati", "--supporter", "北京市", "--recipient", "无此县", "--out", str(tmp_path / "x.xml"))


# round trip and idempotency ----------------------------------------------------------------------


def _empty_projects():
    for kind in reversed(["allocation", "remittance", "receipt", "disbursement", "expenditure"]):
        FundTransaction._base_manager.filter(kind=kind).delete()
    ProjectOutput._base_manager.all().delete()
    ProjectBeneficiary._base_manager.all().delete()
    Project._base_manager.all().delete()


def test_round_trip_gives_the_same_activities(pairing, projects, tmp_path):
    first = tmp_path / "first.xml"
    first.write_bytes(_export(pairing))
    _empty_projects()
    assert Project.objects.count() == 0
    report = import_file(first, actor=SYSTEM)
    assert (report.created, report.skipped) == (2, 0)
    assert _activities(_export(pairing)) == _activities(first.read_bytes())
    project = Project.objects.get(code="T-2024-01")
    assert project.status == "closed" and project.budget == Decimal("5000000.00")
    assert project.fund_transactions.get(kind="expenditure").date is None


def test_reimport_changes_nothing_and_a_changed_activity_updates(pairing, projects, tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(_export(pairing))
    changes = ObjectChange.objects.count()
    report = import_file(path, actor=SYSTEM)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert ObjectChange.objects.count() == changes
    path.write_text(path.read_text(encoding="utf-8").replace("测试道路", "测试道路（改）"), encoding="utf-8")
    report = import_file(path, actor=SYSTEM)
    assert (report.updated, report.unchanged) == (1, 1)
    assert Project.objects.get(code="T-2025-02").name == "测试道路（改）"
    assert ObjectChange.objects.count() == changes + 1  # the one update, audited


def test_the_pairing_is_found_from_funding_and_accountable_organisations(pairing, projects, tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(_export(pairing))
    _empty_projects()
    call_command("import_iati", str(path))
    assert set(Project.objects.values_list("pairing_id", flat=True)) == {pairing.pk}


# official example and real files ----------------------------------------------------------------------


def test_official_example_imports_into_a_named_pairing(pairing):
    report = import_file(FIXTURES / "activity-standard-example-annotated.xml", actor=SYSTEM, pairing=pairing)
    assert (report.created, report.skipped) == (1, 0)
    project = Project.objects.get(code="AA-AAA-123456789-ABC123")
    assert (project.name, project.start_year, project.end_year, project.status) == (
        "Activity title", 2012, 2015, "in_progress")
    assert project.pairing == pairing
    assert any("EUR" in i.message for i in report.issues)  # its transactions are in euros: not kept
    again = import_file(FIXTURES / "activity-standard-example-annotated.xml", actor=SYSTEM, pairing=pairing)
    assert (again.created, again.unchanged) == (0, 1)


def test_official_example_without_a_pairing_is_refused_whole():
    with pytest.raises(ImportRefused) as exc:
        import_file(FIXTURES / "activity-standard-example-annotated.xml", actor=SYSTEM)
    assert "AA-AAA-123456789-ABC123" in str(exc.value.errors[0])
    assert Project.objects.count() == 0


def test_real_valid_file_strict(pairing, capsys):
    call_command("import_iati", str(FIXTURES / "hdx-iati-viz_foodsecurity_dportal.xml"), "--supporter", "测试省",
                 "--recipient", pairing.recipient.name, "--language", "en")
    out = capsys.readouterr().out
    assert out.startswith("7 activities: 7 created")
    assert Project.objects.filter(code="DE-1-202033942-0").exists()


def test_real_invalid_file_strict_is_refused_with_first_errors(pairing, tmp_path):
    errors = tmp_path / "errors.txt"
    with pytest.raises(CommandError) as exc:
        call_command("import_iati", str(FIXTURES / "hdx-iati-viz_covid_dportal.xml"), "--supporter", "测试省",
                     "--recipient", pairing.recipient.name, "--language", "en", "--errors", str(errors))
    assert "263 errors" in str(exc.value)
    assert "line 10504: Element 'budget-item', attribute 'vocabulary'" in str(exc.value)
    assert len(errors.read_text(encoding="utf-8").splitlines()) == 20
    assert Project.objects.count() == 0


def test_real_invalid_file_lenient_imports_what_it_can(pairing, tmp_path, capsys):
    errors = tmp_path / "errors.txt"
    args = [str(FIXTURES / "hdx-iati-viz_covid_dportal.xml"), "--lenient", "--supporter", "测试省",
            "--recipient", pairing.recipient.name, "--language", "en", "--errors", str(errors)]
    call_command("import_iati", *args)
    assert capsys.readouterr().out.startswith("401 activities: 397 created, 0 updated, 0 unchanged, 4 skipped")
    report = errors.read_text(encoding="utf-8")
    assert "line 10504" in report and "schema: Element 'budget-item'" in report
    assert "longer than 40 characters" in report
    assert Project.objects.filter(pairing=pairing).count() == 397
    call_command("import_iati", *args)
    assert capsys.readouterr().out.startswith("401 activities: 0 created, 0 updated, 397 unchanged")


# streaming --------------------------------------------------------------------------------------------


def test_streaming_keeps_no_finished_activity(tmp_path):
    path = tmp_path / "big.xml"
    act = ('<iati-activity><iati-identifier>X-{i}</iati-identifier><title><narrative>{pad}</narrative></title>'
           '</iati-activity>')
    path.write_text('<iati-activities version="2.03">' + "".join(act.format(i=i, pad="x" * 100) for i in range(3000))
                    + "</iati-activities>", encoding="utf-8")
    seen = []
    for root, a in iter_activities(path):
        seen.append(a.findtext("iati-identifier"))
        assert root.index(a) <= 1  # the earlier activities are gone (the last one cleared, kept for lxml)
        assert a.getprevious() is None or len(a.getprevious()) == 0
    assert seen == [f"X-{i}" for i in range(3000)]


def test_import_runs_as_the_user_and_refuses_what_the_user_may_not_write(pairing, projects, tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(_export(pairing))
    _empty_projects()
    outsider = f.UserFactory()
    with pytest.raises(ImportRefused) as exc:
        import_file(path, actor=outsider, pairing=pairing)
    assert len(exc.value.errors) == 2
    assert Project.objects.count() == 0


def test_other_reporters_keep_their_whole_identifier_as_code(pairing, tmp_path):
    """Only duikou's own prefix (the pairing supporter's ref) is taken off an identifier."""
    report = import_file(FIXTURES / "hdx-iati-viz_foodsecurity_dportal.xml", actor=SYSTEM, pairing=pairing)
    assert report.created == 7
    codes_ = set(Project.objects.values_list("code", flat=True))
    assert "NL-KVK-30214009-C380" in codes_ and all(re.match(r"^[A-Z]{2}-", c) for c in codes_)


def test_performance_targets_are_exported_as_results_and_not_imported_as_outputs(pairing, projects, tmp_path):
    project = projects[0]
    f.PerformanceIndicatorFactory(project=project, name="新建教学楼", target_value=Decimal("1"), unit="栋",
                                  actual_value=Decimal("1"), operator="gte")
    f.PerformanceIndicatorFactory(project=project, level1="satisfaction", level2="satisfaction", name="群众满意度",
                                  operator="qualitative", target_value=None, target_text="满意", unit="",
                                  actual_rating="good")
    path = tmp_path / "a.xml"
    path.write_bytes(_export(pairing))
    act = next(a for a in etree.parse(str(path)).iter("iati-activity") if a.findtext("iati-identifier").endswith("-01"))
    perf = act.findall(f"result[@{D}performance]")
    assert [r.get("type") for r in perf] == ["1", "9"]
    quantitative, qualitative = perf[0].find("indicator"), perf[1].find("indicator")
    assert (quantitative.get("measure"), quantitative.get("ascending")) == ("1", "1")
    assert quantitative.find("period/target").get("value") == "1"
    assert quantitative.find("period/actual").get("value") == "1"
    assert qualitative.get("measure") == "5"
    assert qualitative.findtext("period/actual/comment/narrative") == "良"
    outputs = project.outputs.count()
    report = import_file(path, actor=SYSTEM)
    assert report.unchanged == 2 and project.outputs.count() == outputs


def test_progress_reports_activities_and_share_of_the_file(tmp_path):
    from duikou.iati.importer import validate_file

    path = tmp_path / "p.xml"
    act = ('<iati-activity><iati-identifier>X-{i}</iati-identifier><title><narrative>t</narrative></title>'
           '</iati-activity>')
    path.write_text('<iati-activities version="2.03">' + "".join(act.format(i=i) for i in range(500))
                    + "</iati-activities>", encoding="utf-8")
    calls = []
    n, errors, first = validate_file(path, progress=lambda *args: calls.append(args))
    size = path.stat().st_size
    assert n == 500 and errors > 0 and len(first) == 20  # invalid on purpose: no reporting-org, …
    assert [c[0] for c in calls] == [200, 400, 500]
    assert calls[-1] == (500, size, size)
    assert all(a[1] <= b[1] for a, b in zip(calls, calls[1:], strict=False))


def test_a_sub_pairing_project_returns_to_its_sub_pairing(pairing, tmp_path):
    district = f.OrganisationFactory(name="测试区", kind=OrganisationKind.DISTRICT, credit_code="11110000000013127X")
    sub = f.SubPairingFactory(parent=pairing, supporter=district, recipient=pairing.recipient,
                              recipient_division=pairing.recipient_division, programme=pairing.programme,
                              valid_from=dt.date(1992, 1, 1))
    f.ProjectFactory(pairing=sub, code="SUB-1", start_year=2024, end_year=2024)
    path = tmp_path / "a.xml"
    path.write_bytes(_export(pairing))
    assert b"CN-USC-11110000000013127X-SUB-1" in path.read_bytes()
    _empty_projects()
    report = import_file(path, actor=SYSTEM, pairing=pairing)  # the parent named, as --supporter/--recipient
    assert report.created == 1
    assert Project.objects.get(code="SUB-1").pairing == sub
