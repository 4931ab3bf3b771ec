"""FundAllocation is a proxy of FundTransaction: its pages hold allocations only, and an
allocation saved there is an allocation whatever the form says."""

import pytest
from django.urls import reverse

from duikou.audit.models import ObjectChange
from duikou.core.choices import FundLevel, FundStream
from duikou.funds.models import FundAllocation, FundTransaction
from duikou.projects.models import Project

pytestmark = pytest.mark.django_db


def test_allocation_pages_list_allocations_only(client, world):
    client.force_login(world.user("admin"))
    receipt = world.row(FundTransaction, "beijing_badong")
    allocation = world.row(FundAllocation, "beijing_badong")
    page = client.get(reverse("admin:funds_fundallocation_changelist")).content.decode()
    assert reverse("admin:funds_fundallocation_change", args=[allocation.pk]) in page
    assert reverse("admin:funds_fundallocation_change", args=[receipt.pk]) not in page
    assert client.get(reverse("admin:funds_fundallocation_change", args=[receipt.pk])).status_code == 302


def test_allocation_added_through_the_admin_is_an_allocation_and_is_recorded(client, world):
    user = world.user("supporter")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    pairing = world.pairings["beijing_badong"]
    project = world.row(Project, "beijing_badong")
    response = client.post(reverse("admin:funds_fundallocation_add"), {
        "kind": FundTransaction.Kind.RECEIPT,  # not a field of this page: ignored
        "pairing": pairing.pk, "project": project.pk, "stream": FundStream.GRANT, "level": FundLevel.CITY,
        "year": "2021", "date": "2021-03-01", "amount": "45130000.00", "doc_no": "京支援合作〔2021〕1号",
        "account": "", "note": "", "source": "",
    })
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    allocation = FundTransaction.objects.get(doc_no="京支援合作〔2021〕1号")
    assert allocation.kind == FundTransaction.Kind.ALLOCATION
    change = ObjectChange.objects.get(object_id=str(allocation.pk), content_type__model="fundtransaction")
    assert change.action == ObjectChange.Action.CREATE and change.actor == user
    assert change.after["kind"] == "allocation" and change.after["amount"] == "45130000.00"


def test_the_admin_refuses_what_the_services_refuse(client):
    """The money invariants hold in the admin too: a remittance above the allocations is refused
    on save, and a remittance that expenditure relies on offers no delete."""
    from decimal import Decimal

    from duikou.core.permissions import SYSTEM
    from duikou.funds.services import allocation_create, fund_transaction_create
    from duikou.testing.factories import PairingFactory, ProjectFactory, UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    pairing = PairingFactory()
    project = ProjectFactory(pairing=pairing)
    alloc = allocation_create(actor=SYSTEM, pairing=pairing, project=project, year=2024, amount=Decimal(100))
    remittance = fund_transaction_create(actor=SYSTEM, kind="remittance", pairing=pairing, year=2024,
                                         amount=Decimal(100))
    fund_transaction_create(actor=SYSTEM, kind="expenditure", pairing=pairing, year=2024, amount=Decimal(10),
                            allocation=alloc)
    count = FundTransaction.objects.count()
    response = client.post(reverse("admin:funds_fundtransaction_add"), {
        "kind": "remittance", "pairing": pairing.pk, "stream": FundStream.GRANT, "level": FundLevel.CITY,
        "year": "2024", "amount": "1.00", "doc_no": "", "account": "", "note": "", "source": "",
    })
    assert response.status_code == 200 and "100.00" in response.content.decode()
    assert FundTransaction.objects.count() == count
    delete = reverse("admin:funds_fundtransaction_delete", args=[remittance.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert FundTransaction.objects.filter(pk=remittance.pk).exists()
    assert ObjectChange.objects.filter(object_id=str(remittance.pk), action="delete").count() == 0
