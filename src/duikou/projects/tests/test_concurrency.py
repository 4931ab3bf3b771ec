"""Two users in two processes approve the same project at the same moment: exactly one succeeds.

PostgreSQL only: the test database of SQLite lives in the memory of the test process, which
other processes cannot reach (and SQLite serialises every writer anyway: duikou opens its write
transactions with ``BEGIN IMMEDIATE``).

Each worker is a separate Python process running :data:`WORKER` against the test database. Both
read the project (status "proposed"), wait at a barrier (a file the test creates once both are
ready) and then take the step. Inside the step, each worker's ``ApprovalRecord.full_clean`` is
slowed down by half a second, so that the first worker holds the project row locked while the
second tries: without the row lock (``select_for_update``) both would read "proposed" and both
would write.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("concurrency")]

WORKER = r"""
import json, os, sys, time

import django

django.setup()

from django.core.exceptions import ValidationError
from django.utils import translation

from duikou.accounts.models import User
from duikou.projects import workflow
from duikou.projects.models import ApprovalRecord, Project

translation.activate("en")
workflow._GUARDS[:] = []  # the step under test needs no other app's conditions
clean = ApprovalRecord.full_clean


def slow_clean(self, *args, **kwargs):
    time.sleep(0.5)  # inside the transaction, after the status was checked
    return clean(self, *args, **kwargs)


ApprovalRecord.full_clean = slow_clean
username, project_id, ready, go = sys.argv[1:5]
user = User.objects.get(username=username)
project = Project.objects.get(pk=int(project_id))
assert project.status == "proposed", project.status
open(ready, "w").close()
deadline = time.monotonic() + 30
while not os.path.exists(go):
    if time.monotonic() > deadline:
        raise SystemExit("no go")
    time.sleep(0.001)
try:
    workflow.project_transition(actor=user, project=project, transition="township_review", opinion=username)
except ValidationError as exc:
    print(json.dumps({"user": username, "ok": False, "errors": exc.message_dict}))
else:
    print(json.dumps({"user": username, "ok": True}))
"""


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def committed(django_db_blocker):
    """Requested before ``transactional_db``: its set-up snapshots the test database (reference
    data: divisions, roles, key tasks, rules …) and its tear-down, which runs after
    ``transactional_db`` has flushed every table, puts the snapshot back for the tests that follow
    in this process."""
    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock(), transaction.atomic():
        # the flush re-created content types and permissions (post_migrate) under new ids
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        connection.creation.deserialize_db_from_string(snapshot)
    ContentType.objects.clear_cache()


def test_two_processes_approve_the_same_project_once(committed, transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the SQLite test database lives in this process's memory")
    from duikou.projects.models import ApprovalRecord, Project
    from duikou.testing import factories as f
    from duikou.testing.scenario import Scenario

    world = Scenario().pairing("beijing_badong", "北京市", "巴东县").build()
    for name in ("badong-a", "badong-b"):  # two staff of the county's office
        f.MembershipFactory(user=f.UserFactory(username=name), organisation=world.orgs["巴东县"],
                            role=f.RoleFactory(code="recipient_office"))
    project = f.ProjectFactory(pairing=world.pairings["beijing_badong"], status="proposed")

    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    go = tmp_path / "go"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.update(DATABASE_URL=_database_url(), DJANGO_SETTINGS_MODULE="duikou.config.settings_test",
               PYTHONUNBUFFERED="1")
    workers = []
    for name in ("badong-a", "badong-b"):
        ready = tmp_path / f"{name}.ready"
        workers.append((ready, subprocess.Popen(
            [sys.executable, str(script), name, str(project.pk), str(ready), str(go)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )))
    deadline = time.monotonic() + 60
    while not all(ready.exists() for ready, _p in workers):
        failed = [p for _r, p in workers if p.poll() is not None]
        assert not failed, failed[0].communicate()
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.02)
    Path(go).touch()  # the barrier opens for both at once
    results = []
    for _ready, process in workers:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    assert sorted(r["ok"] for r in results) == [False, True], results
    [refused] = [r for r in results if not r["ok"]]
    assert "changed meanwhile" in refused["errors"]["transition"][0]
    [winner] = [r for r in results if r["ok"]]
    [approval] = ApprovalRecord.objects.filter(project=project)
    assert approval.actor.username == approval.opinion == winner["user"]
    assert Project.objects.get(pk=project.pk).status == "township_reviewed"
