"""BaseModel validation: field errors first, and check constraints that name their field."""

import datetime as dt
from decimal import Decimal

import pytest

from duikou.testing.asserts import full_clean_errors as errors_of
from duikou.testing.factories import (
    EnterpriseIntroductionFactory,
    FundTransactionFactory,
    PairingFactory,
    ProjectFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db



def test_check_constraint_names_the_field_it_tests():
    tx = FundTransactionFactory(amount=Decimal("1"))
    tx.amount = Decimal("-1")
    assert list(errors_of(tx)) == ["amount"]


def test_check_constraint_on_two_fields_names_the_one_on_the_left():
    pairing = PairingFactory(valid_from=dt.date(2021, 1, 1))
    pairing.valid_to = dt.date(2020, 12, 31)
    assert list(errors_of(pairing)) == ["valid_to"]


@pytest.mark.parametrize("field", ["latitude", "longitude"])
def test_a_compound_constraint_names_only_the_failing_part(field):
    project = ProjectFactory(latitude=Decimal("31.0"), longitude=Decimal("110.3"))
    setattr(project, field, Decimal("200"))
    assert list(errors_of(project)) == [field]


def test_two_constraints_with_the_same_message_name_their_own_fields():
    intro = EnterpriseIntroductionFactory()
    intro.paid_in_amount = Decimal("-1")
    assert list(errors_of(intro)) == ["paid_in_amount"]


def test_constraints_on_excluded_fields_are_skipped():
    tx = FundTransactionFactory()
    tx.amount = Decimal("-1")
    tx.full_clean(exclude=["amount"])
    tx.full_clean(validate_constraints=False)


def test_unique_constraints_on_several_fields_stay_non_field_errors():
    pairing = PairingFactory()
    twin = PairingFactory.build(programme=pairing.programme, supporter=pairing.supporter,
                                recipient=pairing.recipient, recipient_division=pairing.recipient_division,
                                valid_from=pairing.valid_from)
    assert list(errors_of(twin)) == ["__all__"]


def test_field_errors_come_before_the_row_rules():
    """clean() compares dates with the pairing's years; on "abc" it would raise TypeError."""
    session = TrainingSessionFactory()
    session.start_date, session.person_times = "abc", -1
    assert set(errors_of(session)) == {"start_date", "person_times"}


def test_full_clean_validates_each_foreign_key_once():
    """Field rules run once per full_clean() (a foreign key's check is a database query)."""
    from unittest import mock

    from django.db.models import ForeignKey

    project = ProjectFactory()
    foreign_keys = [f for f in type(project)._meta.concrete_fields
                    if isinstance(f, ForeignKey) and getattr(project, f.attname) is not None]
    with mock.patch.object(ForeignKey, "validate", autospec=True, side_effect=ForeignKey.validate) as validate:
        project.full_clean()
    assert validate.call_count == len(foreign_keys)
