import pytest
from django.db.models import Sum
from django.http import Http404

from duikou.core.choices import FundStream
from duikou.funds.selectors import allocation_get, allocation_list, fund_transaction_list
from duikou.testing.factories import FundAllocationFactory, FundTransactionFactory

pytestmark = pytest.mark.django_db


def test_allocation_list_holds_allocations_only(pairings):
    city = pairings.pairings["beijing_badong"]
    alloc, receipt = FundAllocationFactory(pairing=city), FundTransactionFactory(pairing=city)
    user = pairings.user("supporter")
    assert list(allocation_list(actor=user)) == [alloc]
    assert set(fund_transaction_list(actor=user)) >= {alloc, receipt}
    with pytest.raises(Http404):
        allocation_get(actor=user, pk=receipt.pk)


def test_streams_are_summed_apart(pairings):
    city = pairings.pairings["beijing_badong"]
    FundTransactionFactory(pairing=city, stream=FundStream.GRANT, amount=45130000)
    FundTransactionFactory(pairing=pairings.pairings["fangshan_badong"], stream=FundStream.GRANT, amount=6000000)
    FundTransactionFactory(pairing=city, stream=FundStream.ECON, amount=99)
    FundTransactionFactory(pairing=pairings.pairings["shanghai_yiling"], amount=1)
    totals = dict(fund_transaction_list(actor=pairings.user("supporter")).values_list("stream").annotate(t=Sum("amount")))
    assert totals == {FundStream.GRANT: 51130000, FundStream.ECON: 99}  # 5113万元 = 市级 4513万 + 房山区 600万
