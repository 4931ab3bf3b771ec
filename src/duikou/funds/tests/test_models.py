from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from duikou.core.choices import FundStream
from duikou.funds.models import FundAllocation, FundTransaction
from duikou.testing.asserts import clean_errors as errors_of
from duikou.testing.factories import FundAllocationFactory, FundTransactionFactory, PairingFactory


@pytest.fixture
def pairing():
    return PairingFactory.build(pk=1)


def test_grant_allocation_needs_a_project(pairing):
    assert "project" in errors_of(FundTransactionFactory.build(kind="allocation", pairing=pairing, project=None))
    FundTransactionFactory.build(kind="allocation", pairing=pairing, project=None, stream=FundStream.ECON).clean()


def test_streams_are_never_mixed(pairing):
    grant = FundAllocationFactory.build(pk=2, pairing=pairing, project=None)
    econ = FundTransactionFactory.build(kind="remittance", pairing=pairing, stream=FundStream.ECON, allocation=grant)
    assert "stream" in errors_of(econ)


def test_allocation_proxy_is_always_an_allocation():
    alloc = FundAllocation(kind="receipt")
    with pytest.raises(ValidationError):
        alloc.full_clean()
    assert alloc.kind == FundTransaction.Kind.ALLOCATION


def test_str():
    with translation.override("en"):
        assert str(FundTransactionFactory.build(year=2021, amount=Decimal("51130000.00"))) == (
            "receipt (到位) 2021 51130000.00"
        )
