"""The importer maps activities in batches (``Mapper.prepare`` reads a batch's state with a few
queries per table; ``Mapper.apply`` writes only what changed): queries do not grow with the
activities, a bad activity in a batch is reported alone, and every created row is audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from lxml import etree

from duikou.audit.models import ObjectChange
from duikou.audit.selectors import audit_chain_verify
from duikou.core.permissions import SystemActor
from duikou.funds.models import FundTransaction
from duikou.iati.export import export_pairing
from duikou.iati.importer import ImportRefused, import_file
from duikou.organisations.choices import OrganisationKind
from duikou.organisations.models import Organisation
from duikou.projects.models import Project, ProjectBeneficiary, ProjectOutput
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

SYSTEM = SystemActor("test")
PREFIX = "CN-USC-11100000000013127D-"


@pytest.fixture
def pairing():
    supporter = f.OrganisationFactory(name="测试省", kind=OrganisationKind.SUPPORTER_PROVINCE,
                                      credit_code="11100000000013127D")
    return f.PairingFactory(supporter=supporter, valid_from=dt.date(1992, 1, 1))


def _projects(pairing, n: int, start: int = 0) -> list[Project]:
    """``n`` projects with an output, a beneficiary group and money (an allocation, a remittance
    drawing on it, an expenditure), each row different."""
    unit = Organisation.objects.filter(name="测试镇人民政府").first() or f.OrganisationFactory(
        name="测试镇人民政府", kind=OrganisationKind.TOWNSHIP)
    out = []
    for i in range(start, start + n):
        p = f.ProjectFactory(pairing=pairing, code=f"B-{i:04d}", name=f"项目{i}", start_year=2024, end_year=2024,
                             implementing_unit=unit, budget=Decimal(1000 + i))
        f.ProjectOutputFactory(project=p, name=f"产出{i}", quantity=Decimal(i + 1), unit="个")
        f.ProjectBeneficiaryFactory(project=p, group=f"群体{i}", count=10 + i)
        alloc = f.FundAllocationFactory(pairing=pairing, project=p, year=2024, amount=Decimal(1000 + i),
                                        date=dt.date(2024, 3, 1))
        f.FundTransactionFactory(pairing=pairing, project=p, kind="remittance", allocation=alloc, year=2024,
                                 amount=Decimal(500 + i), date=dt.date(2024, 5, 1))
        f.FundTransactionFactory(pairing=pairing, project=p, kind="expenditure", allocation=alloc, year=2024,
                                 amount=Decimal(100 + i), date=dt.date(2024, 6, 1), note=f"支出{i}")
        out.append(p)
    return out


def _write(tmp_path, pairing, name="a.xml", edit=None):
    path = tmp_path / name
    data = export_pairing(actor=SYSTEM, pairing=pairing)
    if edit is not None:
        root = etree.fromstring(data)
        edit({a.findtext("iati-identifier").removeprefix(PREFIX): a for a in root.findall("iati-activity")}, root)
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    path.write_bytes(data)
    return path


def _empty():
    for kind in ("expenditure", "remittance", "allocation"):
        FundTransaction._base_manager.filter(kind=kind).delete()
    ProjectOutput._base_manager.all().delete()
    ProjectBeneficiary._base_manager.all().delete()
    Project._base_manager.all().delete()


def _queries(path, **kwargs) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as q:
        report = import_file(path, actor=SYSTEM, **kwargs)
    return len(q.captured_queries), report


# queries -------------------------------------------------------------------------------------


def test_unchanged_activities_cost_the_same_queries_for_n_and_10n(pairing, tmp_path):
    _projects(pairing, 3)
    small = _write(tmp_path, pairing, "small.xml")
    n_small, report = _queries(small)
    assert (report.activities, report.unchanged) == (3, 3)
    _projects(pairing, 27, start=3)
    big = _write(tmp_path, pairing, "big.xml")
    changes = ObjectChange.objects.count()
    n_big, report = _queries(big)
    assert (report.activities, report.unchanged) == (30, 30)
    assert n_big == n_small  # one batch: a few queries per table, none per activity
    assert n_big <= 15
    # in batches of 10: the queries grow with the batches, not with the activities
    n_batches, report = _queries(big, batch_size=10)
    assert report.unchanged == 30
    assert n_batches <= 3 * n_small
    assert ObjectChange.objects.count() == changes  # nothing written, nothing audited


def test_a_changed_activity_among_unchanged_ones_writes_only_its_change(pairing, tmp_path):
    _projects(pairing, 5)

    def edit(acts, root):
        acts["B-0002"].find("title/narrative").text = "改名"
        # B-0003 loses its expenditure
        act = acts["B-0003"]
        act.remove([t for t in act.findall("transaction") if t.find("transaction-type").get("code") == "4"][0])

    path = _write(tmp_path, pairing, edit=edit)
    changes = ObjectChange.objects.count()
    report = import_file(path, actor=SYSTEM, batch_size=3)
    assert (report.updated, report.unchanged, report.skipped) == (2, 3, 0)
    assert Project.objects.get(code="B-0002").name == "改名"
    assert not FundTransaction.objects.filter(project__code="B-0003", kind="expenditure").exists()
    new = ObjectChange.objects.filter(pk__gt=0).order_by("-pk")[: ObjectChange.objects.count() - changes]
    assert sorted((c.action, c.content_type.model) for c in new) == [
        ("delete", "fundtransaction"), ("update", "project")]
    assert audit_chain_verify(actor=SYSTEM).ok


# created rows are audited ----------------------------------------------------------------------


def test_every_created_row_has_its_own_audit_record(pairing, tmp_path):
    _projects(pairing, 4)
    path = _write(tmp_path, pairing)
    _empty()
    changes = ObjectChange.objects.count()
    report = import_file(path, actor=SYSTEM, batch_size=3)
    assert (report.created, report.skipped) == (4, 0)
    created = {(c.content_type.model, c.object_id) for c in ObjectChange.objects.order_by("pk")[changes:]
               if c.action == "create"}
    rows = [*Project.objects.all(), *ProjectOutput.objects.all(), *ProjectBeneficiary.objects.all(),
            *FundTransaction.objects.all()]
    assert len(rows) == 4 * 6
    assert {(type(r)._meta.model_name, str(r.pk)) for r in rows} <= created | {
        ("fundallocation", str(r.pk)) for r in rows if isinstance(r, FundTransaction)}
    assert ObjectChange.objects.count() - changes == len(rows)
    assert audit_chain_verify(actor=SYSTEM).ok
    remittance = FundTransaction.objects.get(project__code="B-0001", kind="remittance")
    assert remittance.allocation == FundTransaction.objects.get(project__code="B-0001", kind="allocation")


# a bad activity in a batch ----------------------------------------------------------------------


def _one_bad(tmp_path, pairing, *, at_write: bool):
    """A file of five activities; B-0002 cannot be imported: its code belongs to another pairing's
    project (found when mapping), or its coordinates are out of range (found when writing, by the
    model's field rules: a budget of more than 18 digits, which the schema allows)."""
    _projects(pairing, 5)

    def edit(acts, root):
        if at_write:
            acts["B-0002"].find("budget/value").text = "1" + "0" * 20

    path = _write(tmp_path, pairing, edit=edit)
    _empty()
    if not at_write:
        f.ProjectFactory(code="B-0002")  # another pairing's
    return path


@pytest.mark.parametrize("at_write", [False, True], ids=["mapping", "writing"])
def test_strict_a_bad_activity_in_a_batch_refuses_the_file(pairing, tmp_path, at_write):
    path = _one_bad(tmp_path, pairing, at_write=at_write)
    before, changes = Project.objects.count(), ObjectChange.objects.count()
    with pytest.raises(ImportRefused) as exc:
        import_file(path, actor=SYSTEM, batch_size=3)
    assert [e.identifier for e in exc.value.errors] == [PREFIX + "B-0002"]
    assert (Project.objects.count(), ObjectChange.objects.count()) == (before, changes)


@pytest.mark.parametrize("at_write", [False, True], ids=["mapping", "writing"])
def test_lenient_a_bad_activity_in_a_batch_is_skipped_and_the_others_kept(pairing, tmp_path, at_write):
    path = _one_bad(tmp_path, pairing, at_write=at_write)
    report = import_file(path, actor=SYSTEM, lenient=True, batch_size=3)
    assert (report.created, report.skipped) == (4, 1)
    assert [i.identifier for i in report.issues] == [PREFIX + "B-0002"]
    assert set(Project.objects.filter(pairing=pairing).values_list("code", flat=True)) == {
        "B-0000", "B-0001", "B-0003", "B-0004"}
    assert FundTransaction.objects.filter(project__pairing=pairing).count() == 4 * 3
    assert audit_chain_verify(actor=SYSTEM).ok
    again = import_file(path, actor=SYSTEM, lenient=True, batch_size=3)
    assert (again.unchanged, again.skipped) == (4, 1)


def _invalid_late(tmp_path, pairing):
    """Four activities, the last one breaking the schema."""
    _projects(pairing, 4)

    def edit(acts, root):
        acts["B-0003"].append(etree.fromstring("<no-such-element/>"))

    return _write(tmp_path, pairing, edit=edit)


@pytest.mark.parametrize("new", [True, False], ids=["to-write", "unchanged"])
def test_strict_refuses_an_invalid_file_before_writing_anything(pairing, tmp_path, monkeypatch, new):
    """Activities to write: the whole file is validated before the first write (the old first
    pass); unchanged ones: along the import. Either way the same errors, and no write."""
    from duikou.iati.importer import Mapper

    path = _invalid_late(tmp_path, pairing)
    if new:
        _empty()
    changes = ObjectChange.objects.count()

    def write(self, a, plan):
        raise AssertionError("an activity was written")

    monkeypatch.setattr(Mapper, "write", write)
    with translation.override("en"), pytest.raises(ImportRefused) as exc:
        import_file(path, actor=SYSTEM, batch_size=1)  # batches mapped before the error is read
    assert "no-such-element" in str(exc.value.errors[0]) and len(exc.value.errors) == 1
    assert "(1 errors)" in str(exc.value)
    assert ObjectChange.objects.count() == changes


def test_strict_reads_an_unchanged_file_once(pairing, tmp_path, monkeypatch):
    from duikou.iati import importer

    _projects(pairing, 3)
    path = _write(tmp_path, pairing)

    def validate_file(*args, **kwargs):
        raise AssertionError("a pass of its own")

    monkeypatch.setattr(importer, "validate_file", validate_file)
    assert import_file(path, actor=SYSTEM).unchanged == 3


def test_strict_validates_the_whole_file_once_before_the_first_write(pairing, tmp_path, monkeypatch):
    from duikou.iati import importer

    _projects(pairing, 3)
    path = _write(tmp_path, pairing)
    _empty()
    calls = []
    original = importer.validate_file
    monkeypatch.setattr(importer, "validate_file", lambda *a, **k: calls.append(a) or original(*a, **k))
    assert import_file(path, actor=SYSTEM, batch_size=1).created == 3
    assert len(calls) == 1


# within a batch, later activities see the earlier ones' writes -----------------------------------------


def test_an_activity_repeated_in_a_batch_sees_the_first_ones_writes(pairing, tmp_path):
    _projects(pairing, 2)

    def edit(acts, root):
        twice = etree.fromstring(etree.tostring(acts["B-0001"]))
        twice.find("title/narrative").text = "第二次"
        root.append(twice)

    path = _write(tmp_path, pairing, edit=edit)
    _empty()
    report = import_file(path, actor=SYSTEM)
    assert (report.created, report.updated, report.skipped) == (2, 1, 0)
    project = Project.objects.get(code="B-0001")
    assert project.name == "第二次"
    assert project.fund_transactions.count() == 3 and project.outputs.count() == 1  # not added twice


def test_an_organisation_created_in_a_batch_is_found_by_the_next_activities(pairing, tmp_path):
    _projects(pairing, 3)
    path = _write(tmp_path, pairing)
    _empty()
    Organisation.objects.filter(name="测试镇人民政府").update(name="别的名字")
    report = import_file(path, actor=SYSTEM)
    assert (report.created, report.organisations_created) == (3, 1)
    units = set(Project.objects.values_list("implementing_unit", flat=True))
    assert len(units) == 1 and Organisation.objects.get(pk=units.pop()).name == "测试镇人民政府"
