import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from duikou.organisations.choices import OrganisationKind
from duikou.testing.factories import CooperationAgreementFactory, EnterpriseIntroductionFactory, PairingFactory


def test_enterprise_introduction_rules():
    pairing = PairingFactory.build(pk=1, valid_from=dt.date(2021, 1, 1))
    intro = EnterpriseIntroductionFactory.build(
        pairing=pairing, enterprise__pk=2, enterprise__kind=OrganisationKind.HOSPITAL,
        introduced_on=dt.date(2020, 1, 1), agreement_signed_on=dt.date(2019, 1, 1),
    )
    with pytest.raises(ValidationError) as info:
        intro.clean()
    assert set(info.value.message_dict) == {"enterprise", "introduced_on", "agreement_signed_on"}


def test_cooperation_agreement_without_a_date_needs_only_a_year():
    CooperationAgreementFactory.build(signed_on=None, signed_year=2024).clean()
    assert str(CooperationAgreementFactory.build(title="战略合作协议")) == "战略合作协议"
