import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from duikou.iati.xml import validate_document
from duikou.organisations.choices import OrganisationKind
from duikou.projects.models import Project
from duikou.testing import factories as f
from duikou.testing.pages import as_superuser, login_member

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def pairing():
    supporter = f.OrganisationFactory(name="测试省", kind=OrganisationKind.SUPPORTER_PROVINCE,
                                      credit_code="11100000000013127D")
    p = f.PairingFactory(supporter=supporter, valid_from=dt.date(1992, 1, 1))
    f.ProjectFactory(pairing=p, code="T-1", start_year=2024, end_year=2024, budget=Decimal("100.00"))
    return p


def test_member_downloads_the_pairing_xml(client, pairing):
    login_member(client, pairing.supporter, "read_only")
    response = client.get(reverse("iati:pairing-xml", args=[pairing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    tree = etree.fromstring(response.content).getroottree()
    assert validate_document(tree) == []
    assert tree.getroot().findtext("iati-activity/iati-identifier") == "CN-USC-11100000000013127D-T-1"
    page = client.get(reverse("iati:index"))
    assert reverse("iati:pairing-xml", args=[pairing.pk]) in page.content.decode()
    assert 'name="file"' not in page.content.decode()  # no upload for a non-administrator


def test_a_foreign_user_gets_404_and_no_link(client, pairing):
    login_member(client, f.OrganisationFactory(kind=OrganisationKind.SUPPORTER_PROVINCE), "supporter_office")
    assert client.get(reverse("iati:pairing-xml", args=[pairing.pk])).status_code == 404
    assert reverse("iati:pairing-xml", args=[pairing.pk]) not in client.get(reverse("iati:index")).content.decode()


def test_anonymous_is_sent_to_login(client, pairing):
    assert client.get(reverse("iati:pairing-xml", args=[pairing.pk])).status_code == 302


def test_non_administrator_may_not_upload(client, pairing):
    login_member(client, pairing.supporter, "supporter_office")
    with open(FIXTURES / "activity-standard-example-annotated.xml", "rb") as fh:
        response = client.post(reverse("iati:index"), {"file": fh, "pairing": pairing.pk})
    assert response.status_code == 403
    assert not Project.objects.filter(code="AA-AAA-123456789-ABC123").exists()


def test_administrator_uploads_into_a_pairing(client, pairing):
    as_superuser(client)
    with open(FIXTURES / "activity-standard-example-annotated.xml", "rb") as fh:
        response = client.post(reverse("iati:index"), {"file": fh, "pairing": pairing.pk})
    assert response.status_code == 200
    assert Project.objects.get(code="AA-AAA-123456789-ABC123").pairing == pairing
    assert 'data-testid="iati-report"' in response.content.decode()


def test_upload_of_an_invalid_file_is_refused_with_errors(client, pairing):
    as_superuser(client)
    with open(FIXTURES / "hdx-iati-viz_covid_dportal.xml", "rb") as fh:
        response = client.post(reverse("iati:index"), {"file": fh, "pairing": pairing.pk})
    assert "第 10504 行" in response.content.decode()
    assert Project.objects.filter(pairing=pairing).count() == 1


def test_upload_of_hostile_xml_is_refused(client, pairing, tmp_path):
    as_superuser(client)
    path = tmp_path / "x.xml"
    path.write_text('<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                    '<iati-activities version="2.03"><iati-activity>&xxe;</iati-activity></iati-activities>')
    with open(path, "rb") as fh:
        response = client.post(reverse("iati:index"), {"file": fh, "pairing": pairing.pk})
    body = response.content.decode()
    assert 'data-testid="iati-errors"' in body and "root:" not in body


def test_the_pairing_dashboard_links_its_iati_xml(client, pairing):
    login_member(client, pairing.supporter, "read_only")
    page = client.get(reverse("dashboard", args=[pairing.pk])).content.decode()
    assert reverse("iati:pairing-xml", args=[pairing.pk]) in page


def test_a_supporter_without_identifier_gets_a_clear_400(client):
    p = f.PairingFactory(valid_from=dt.date(1992, 1, 1))  # supporter without credit code or division
    login_member(client, p.supporter, "read_only")
    response = client.get(reverse("iati:pairing-xml", args=[p.pk]))
    assert response.status_code == 400
    assert p.supporter.name in response.content.decode()
