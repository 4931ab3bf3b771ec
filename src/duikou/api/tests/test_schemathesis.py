"""Schemathesis over the whole OpenAPI schema, through the WSGI application (no server).

Every operation (reads and writes) gets a few generated requests, as a supporter's office user
with data (the standard world); the operations on one row get the id of a row the user may see; no response may be a server error (5xx) or break the schema. Hypothesis is
derandomized (the same examples every run) and bounded (``EXAMPLES`` per operation)."""

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from duikou.ui.registers import find_register

pytestmark = pytest.mark.django_db

EXAMPLES = 3
CHECKS = [not_a_server_error, response_schema_conformance]
# Destructive operations last, so that the reads and updates meet the rows first.
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


def _visible_id(operation, user):
    """The id of a row of the operation's register the user may see (None: not a row's path)."""
    if "{id}" not in operation.path:
        return None
    slug = operation.path.removeprefix("/api/v1/").split("/")[0]
    if slug == "pairings" and operation.path.endswith("/figures/"):
        register = find_register("pairings")
    else:
        register = find_register(slug)
    row = register.queryset(user).order_by("pk").first() if register else None
    return row.pk if row is not None else None


def _run(operation, headers, statuses: Counter, path_parameters=None) -> list[str]:
    failures = []

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    def check(case):
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[operation.method.upper(), response.status_code // 100] += 1
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together below
            failures.append(f"{operation.method.upper()} {operation.path} {path_parameters or ''}: {exc}")

    check()
    return failures


@pytest.fixture
def wsgi_app():
    """The WSGI application, with the test database connection kept open across requests (as
    Django's test client does: the requests run inside the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_whole_schema_no_server_error_and_conforming_responses(world, wsgi_app):
    user = world.user("supporter")
    token, _made = Token.objects.get_or_create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers)
    operations = sorted((result.ok() for result in schema.get_all_operations()),
                        key=lambda op: (METHOD_ORDER[op.method.upper()], op.path))
    assert len(operations) > 100  # every register's operations, not a truncated schema

    failures, pinned, statuses = [], 0, Counter()
    for operation in operations:
        row_id = _visible_id(operation, user)
        if row_id is None:
            failures += _run(operation, headers, statuses)
        else:  # one row's operations on a row the user may see (a made-up id is only a 404)
            pinned += 1
            failures += _run(operation, headers, statuses, {"id": row_id})
    print(sorted(statuses.items()))
    assert pinned > 50
    # The requests reached the records, not only the error paths: reads, updates and deletes succeeded.
    assert all(statuses[method, 2] for method in ("GET", "PUT", "PATCH", "DELETE")), statuses
    assert not failures, "\n\n".join(failures[:40])
