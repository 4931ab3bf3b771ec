"""Admin list pages run a fixed number of queries, however many rows (and pairings, batches,
projects behind them) there are: labels are fetched with the rows, never one query a row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

CASES = [
    ("/admin/projects/project/", f.ProjectFactory),
    ("/admin/people/secondment/", f.SecondmentFactory),  # a new batch and pairing per row
    ("/admin/people/secondmentbatch/", f.SecondmentBatchFactory),
    ("/admin/organisations/pairing/", f.PairingFactory),
    ("/admin/funds/fundallocation/", f.FundAllocationFactory),
    ("/admin/consumption/salesrecord/", f.SalesRecordFactory),
    ("/admin/people/trainingsession/", f.TrainingSessionFactory),
]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("url", "factory"), CASES, ids=[c[0].split("/")[3] for c in CASES])
def test_list_page_queries_do_not_grow_with_rows(client, django_user_model, url, factory):
    client.force_login(django_user_model.objects.create_superuser("root", password="pw-123456"))
    factory.create_batch(2)
    few = queries(client, url)
    factory.create_batch(8)
    assert queries(client, url) == few
