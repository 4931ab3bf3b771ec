import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Sum

from duikou.audit.models import ObjectChange
from duikou.audit.selectors import audit_chain_verify
from duikou.consumption.models import SalesRecord
from duikou.core.choices import FundStream
from duikou.core.errors import ApplicationError
from duikou.core.permissions import SYSTEM
from duikou.funds.models import FundTransaction
from duikou.funds.validators import MoneyRow, pool_breaches
from duikou.generate.bulk import BulkWriter, Progress
from duikou.generate.generator import (
    GENERATED_MODELS,
    NATIONAL,
    SCALES,
    SOURCE_PREFIX,
    Counts,
    dataset_delete,
    dataset_digest,
    dataset_generate,
    generated_pairings,
    split,
)
from duikou.organisations.models import Organisation, Pairing
from duikou.people.models import Secondment, TrainingSession
from duikou.projects.choices import COUNTED_STATUSES
from duikou.projects.models import Project
from duikou.reports.selectors import pairing_figures
from duikou.testing.factories import PairingFactory

pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]
K = FundTransaction.Kind


def generate(**kwargs):
    kwargs.setdefault("scale", "tiny")
    return dataset_generate(actor=SYSTEM, **kwargs)


def table_counts() -> dict:
    return {m._meta.db_table: m._base_manager.count() for m in GENERATED_MODELS}


def test_scales_are_shares_of_the_national_dataset():
    assert NATIONAL.pairings == 1200 and NATIONAL.fund_transactions == 3_000_000
    assert SCALES["medium"].projects == 30_000 and SCALES["medium"].sales_records == 500_000
    assert SCALES["small"].fund_transactions == 30_000 and SCALES["small"].training_sessions == 2_000
    assert SCALES["small"].supporters == 2  # at least two of the small things
    assert Counts(1, 1, 1, 1, 1, 1, 1, 1).scaled(0.001).counties == 2


def test_split_sums_exactly_into_positive_parts():
    import random

    rng = random.Random(3)
    for total, parts in ((5, 5), (1_000_001, 3), (7, 1)):
        values = split(total, parts, rng)
        assert sum(values) == total and len(values) == parts and min(values) >= 1


def test_generates_the_counts_asked_for_all_illustrative():
    result = generate()
    assert result.rows["projects_project"] == TINY.projects
    assert result.rows["funds_fundtransaction"] == TINY.fund_transactions
    assert result.rows["consumption_salesrecord"] == TINY.sales_records
    assert result.rows["people_secondment"] == TINY.secondments
    assert result.rows["people_trainingsession"] == TINY.training_sessions
    assert result.rows["organisations_pairing"] == TINY.pairings
    assert result.rows["organisations_organisation"] == TINY.supporters + TINY.counties
    assert table_counts() == result.rows  # the suite's database has no other rows in these tables
    for model in GENERATED_MODELS:
        rows = model._base_manager.all()
        assert rows.filter(is_illustrative=True, source__startswith=SOURCE_PREFIX).count() == rows.count() > 0
    assert result.source == "duikou generate (illustrative; scale tiny, seed 1)"


def test_custom_counts_scale_the_tables():
    counts = Counts(supporters=2, counties=2, pairings=3, projects=7, fund_transactions=41, sales_records=13,
                    secondments=5, training_sessions=3)
    result = generate(scale=counts)
    assert result.scale == "custom"
    assert Project.objects.count() == 7 and FundTransaction.objects.count() == 41
    assert SalesRecord.objects.count() == 13 and Secondment.objects.count() == 5
    assert TrainingSession.objects.count() == 3 and Pairing.objects.count() == 3


def test_same_seed_same_rows_other_seed_other_rows():
    generate(seed=7)
    first = dataset_digest()
    generate(seed=7, replace=True)
    assert dataset_digest() == first
    names = set(Project.objects.values_list("name", flat=True))
    generate(seed=8, replace=True)
    assert dataset_digest() != first
    assert set(Project.objects.values_list("name", flat=True)) != names


def test_money_invariants_hold():
    generate()
    assert FundTransaction.objects.filter(kind=K.ALLOCATION, stream=FundStream.ECON).exists()
    # streams never mixed: a movement draws on an allocation of its own stream, pairing, project and year
    movements = FundTransaction.objects.exclude(kind=K.ALLOCATION)
    assert movements.count() > 0
    assert not movements.filter(allocation__isnull=True).exists()
    assert not movements.exclude(allocation__stream=F("stream")).exists()
    assert not movements.exclude(allocation__project_id=F("project_id")).exists()
    assert not movements.exclude(allocation__year=F("year")).exists()
    assert not movements.exclude(date__year=F("year")).exists()
    assert not FundTransaction.objects.filter(stream=FundStream.ECON).exclude(kind=K.ALLOCATION).exists()
    # remitted ≤ allocated and expenditure ≤ remitted, per allocation
    sums = defaultdict(lambda: defaultdict(Decimal))
    for alloc, kind, total in movements.values_list("allocation_id", "kind").annotate(t=Sum("amount")):
        sums[alloc][kind] = total
    allocated = dict(FundTransaction.objects.filter(kind=K.ALLOCATION).values_list("pk", "amount"))
    for alloc, by_kind in sums.items():
        assert by_kind[K.REMITTANCE] <= allocated[alloc]
        assert by_kind[K.EXPENDITURE] <= by_kind[K.REMITTANCE]
        assert by_kind[K.RECEIPT] <= by_kind[K.REMITTANCE]
    # and the funds validators find no breach in any pool
    pools = defaultdict(list)
    for tx in FundTransaction.objects.filter(stream=FundStream.GRANT).select_related("project"):
        pools[(tx.pairing_id, tx.year)].append(MoneyRow.of(tx))
    pairings = Pairing.objects.in_bulk()
    assert pools
    for (pairing_id, year), rows in pools.items():
        assert pool_breaches(pairings[pairing_id], year, rows, blocking_only=False) == []


def test_rows_keep_the_model_rules():
    generate()
    for model in (Pairing, Project, FundTransaction, SalesRecord, Secondment, TrainingSession):
        for obj in model._base_manager.order_by("pk")[:25]:
            obj.full_clean()  # ValidationError would fail the test
    for pairing in Pairing.objects.all():
        years = Project.objects.filter(pairing=pairing).values_list("start_year", "end_year")
        assert all(pairing.covers_year(a) and pairing.covers_year(b) for a, b in years)


def test_stats_work_for_a_generated_pairing():
    generate()
    pairing = Pairing.objects.annotate(n=Count("projects")).filter(n__gt=0).select_related(
        "supporter", "recipient", "programme").first()
    figures = pairing_figures(actor=SYSTEM, pairing=pairing, year_from=1992, year_to=2025)
    projects = Project.objects.filter(pairing=pairing, status__in=COUNTED_STATUSES)
    assert figures.projects == projects.count() > 0
    grant = FundTransaction.objects.filter(pairing=pairing, kind=K.ALLOCATION, stream=FundStream.GRANT)
    assert figures.aid_funds_yuan == grant.aggregate(s=Sum("amount"))["s"]
    assert figures.illustrative_share == 1.0
    out = io.StringIO()
    call_command("stats", supporter=pairing.supporter.name, recipient=pairing.recipient.name,
                 programme=pairing.programme.code, year_from=1992, year_to=2025, json=True, stdout=out)
    assert f'"projects": {figures.projects}' in out.getvalue()


def test_audit_chain_verifies_one_record_per_big_table():
    before = ObjectChange.objects.count()
    result = generate()
    report = audit_chain_verify(actor=SYSTEM)
    assert report.ok, report
    small = sum(result.rows[t] for t in ("organisations_organisation", "organisations_programme",
                                         "organisations_pairing"))
    big = len(result.rows) - 3
    assert ObjectChange.objects.count() - before == small + big
    summary = ObjectChange.objects.filter(content_type__model="salesrecord").get()
    assert str(TINY.sales_records) in summary.message and summary.action == "create"
    dataset_delete(actor=SYSTEM)
    assert audit_chain_verify(actor=SYSTEM).ok
    assert ObjectChange.objects.filter(content_type__model="salesrecord", action="delete").count() == 1


def test_register_totals_are_rebuilt_after_the_bulk_load_and_the_delete():
    from duikou.core import totals
    from duikou.funds.models import FundTotal
    from duikou.projects.models import ProjectTotal

    generate()
    for kept in totals.registered():
        assert totals.check(kept) == [], kept.table
    assert sum(FundTotal.objects.values_list("n", flat=True)) == TINY.fund_transactions
    assert sum(ProjectTotal.objects.values_list("n", flat=True)) == TINY.projects
    dataset_delete(actor=SYSTEM)
    for kept in totals.registered():
        assert totals.check(kept) == [], kept.table
    assert not FundTotal.objects.exists() and not ProjectTotal.objects.exists()


def test_refuses_a_database_with_other_pairings_unless_forced():
    other = PairingFactory()
    with pytest.raises(ApplicationError):
        generate()
    assert not generated_pairings().exists()
    with pytest.raises(CommandError, match="--force"):
        call_command("generate", scale="tiny", stdout=io.StringIO())
    generate(force=True)
    assert generated_pairings().count() == TINY.pairings
    deleted = dataset_delete(actor=SYSTEM)
    assert deleted["organisations_pairing"] == TINY.pairings
    assert list(Pairing.objects.all()) == [other]
    assert Organisation.objects.filter(pk__in=[other.supporter_id, other.recipient_id]).count() == 2


def test_refuses_a_second_dataset_unless_replaced():
    generate()
    with pytest.raises(ApplicationError):
        generate()
    result = generate(replace=True)
    assert result.deleted["projects_project"] == TINY.projects
    assert Project.objects.count() == TINY.projects


def test_delete_removes_every_generated_row():
    generate()
    dataset_delete(actor=SYSTEM)
    assert set(table_counts().values()) == {0}
    assert dataset_delete(actor=SYSTEM) == {}


def test_command_prints_tables_and_digest_progress_on_request():
    out, err = io.StringIO(), io.StringIO()
    call_command("generate", scale="tiny", seed=3, digest=True, progress=True, stdout=out, stderr=err)
    text = out.getvalue()
    assert "funds_fundtransaction" in text and f"{TINY.fund_transactions:,}" in text
    assert f"digest: {dataset_digest()}" in text or dataset_digest() in text
    assert "rows/s" in err.getvalue() and f"{TINY.sales_records:,}/{TINY.sales_records:,}" in err.getvalue()
    quiet = io.StringIO()
    call_command("generate", scale="tiny", seed=3, replace=True, stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""  # not a terminal, no --progress: no bar
    out = io.StringIO()
    call_command("generate", delete=True, stdout=out)
    assert "organisations_pairing" in out.getvalue() and not generated_pairings().exists()


def test_progress_draws_only_when_enabled():
    stream = io.StringIO()
    bar = Progress(stream, True)
    bar.start("t", 10)
    bar.advance(10)
    bar.finish()
    assert "10/10" in stream.getvalue() and stream.getvalue().endswith("\n")
    silent = io.StringIO()
    off = Progress(silent, False)
    off.start("t", 10)
    off.finish()
    assert silent.getvalue() == ""


def test_bulk_writer_uses_copy_on_postgresql_only():
    assert BulkWriter().uses_copy == (connection.vendor == "postgresql")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and sequences are PostgreSQL's")
def test_postgresql_copy_and_sequences():
    result = generate()
    assert result.rows["funds_fundtransaction"] == TINY.fund_transactions
    # the id sequences moved past the explicit ids: a row saved the ordinary way gets a fresh id
    top = Project.objects.order_by("-pk").values_list("pk", flat=True).first()
    pairing = Project.objects.first().pairing
    from duikou.testing.factories import ProjectFactory

    project = ProjectFactory(pairing=pairing, start_year=pairing.valid_from.year, end_year=pairing.valid_from.year)
    assert project.pk > top
    assert audit_chain_verify(actor=SYSTEM).ok


def test_delete_refused_while_a_real_record_refers_to_a_generated_one():
    from duikou.projects.models import ProjectOutput

    generate()
    project = Project.objects.first()
    ProjectOutput.objects.create(project=project, name="教学楼", quantity=Decimal("1"), unit="栋")
    changes = ObjectChange.objects.count()
    with pytest.raises(ApplicationError):
        dataset_delete(actor=SYSTEM)
    assert Project.objects.count() == TINY.projects and generated_pairings().count() == TINY.pairings
    assert ObjectChange.objects.count() == changes
    with pytest.raises(CommandError):
        call_command("generate", delete=True, stdout=io.StringIO())
