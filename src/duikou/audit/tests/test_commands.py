"""``duikou audit verify``: the count and head hash of a clean log (exit 0), the first broken link of
a tampered one (exit 1), as text or JSON."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from duikou.audit.models import AuditChainHead, ObjectChange
from duikou.cli import main
from duikou.core.permissions import SYSTEM
from duikou.plans.services import indicator_create
from duikou.testing.asserts import changes_for

pytestmark = pytest.mark.django_db


def verify(*args, **options) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out, **options)
    return out.getvalue()


def tamper() -> ObjectChange:
    [change] = changes_for(indicator_create(actor=SYSTEM, key="命令测试指标", unit="个"))
    indicator_create(actor=SYSTEM, key="命令测试指标二", unit="个")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_objectchange SET object_repr = %s WHERE id = %s", ["篡改", change.pk])
    return change


def test_a_clean_log_prints_the_count_and_the_head_hash(pairings):
    indicator_create(actor=SYSTEM, key="命令测试指标", unit="个")
    out = verify(language="en")
    count = ObjectChange.objects.count()
    first, last = ObjectChange.objects.order_by("pk").first().pk, ObjectChange.objects.order_by("-pk").first().pk
    assert out.splitlines() == [
        f"The audit log's hash chain is intact: {count} records verified (#{first} to #{last}).",
        f"Head hash: {AuditChainHead.objects.get().hash}",
    ]


def test_a_tampered_log_names_the_record_and_fails(pairings):
    change = tamper()
    out = io.StringIO()
    with pytest.raises(CommandError, match=f"broken at record #{change.pk}"):
        call_command("audit", "verify", stdout=out, language="en")
    lines = out.getvalue().splitlines()
    assert lines[0] == f"The audit log's hash chain is broken at record #{change.pk}."
    assert lines[1].startswith(f"Problem: record #{change.pk} was altered after it was written")
    assert f"Stored hash:            {change.hash}" in lines


def test_json(pairings):
    data = json.loads(verify("--json"))
    assert data["ok"] is True and data["records"] == ObjectChange.objects.count()
    assert data["head_hash"] == AuditChainHead.objects.get().hash and data["broken_at"] is None
    change = tamper()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["ok"], data["problem"], data["broken_at"]) == (False, "altered", change.pk)
    assert data["stored_hash"] == change.hash != data["computed_hash"]


def test_from_id(pairings):
    change = tamper()
    after = ObjectChange.objects.filter(pk__gt=change.pk).count()
    out = verify("--from-id", str(change.pk + 1), "--language", "en")
    assert out.startswith(f"The audit log's hash chain is intact: {after} records verified")


def test_the_exit_code_is_1_when_broken_and_0_when_intact(pairings, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends: on PostgreSQL, the test's own
    monkeypatch.setattr(connections, "close_all", lambda: None)
    assert main(["audit", "verify", "--language", "en"]) == 0
    assert "intact" in capsys.readouterr().out
    change = tamper()
    with pytest.raises(SystemExit) as exit_:
        main(["audit", "verify", "--language", "en"])
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert f"broken at record #{change.pk}" in captured.out and f"#{change.pk}" in captured.err


def test_a_user_without_a_scope_of_everything_may_not_verify(pairings):
    with pytest.raises(CommandError, match="may not view"):
        verify("--user", pairings.user("supporter").username, language="en")
    assert "intact" in verify("--user", pairings.user("national").username, language="en")


def test_the_options_may_come_before_the_word_too(pairings):
    out = io.StringIO()
    call_command("audit", "--language", "en", "verify", stdout=out)
    assert out.getvalue().startswith("The audit log's hash chain is intact")


def test_an_empty_log(db):
    from duikou.audit.models import ObjectChangeScope

    ObjectChangeScope.objects.all().delete()
    ObjectChange.objects.all().delete()
    AuditChainHead.objects.all().delete()
    assert verify(language="en").splitlines() == [
        "The audit log's hash chain is intact: no records to verify.",
        "Head hash: " + "0" * 64,
    ]
