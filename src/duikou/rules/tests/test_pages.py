"""The rules register: who sees which rules, the form through the service, filters; and the admin.

The contract every register keeps (scope, 404s, query counts, empty forms) is in
``tests/test_registers.py``.
"""

import pytest
from django.urls import reverse

from duikou.core.permissions import SYSTEM
from duikou.rules.models import Rule
from duikou.rules.services import rule_create
from duikou.testing import factories as f
from duikou.testing.pages import (
    as_superuser,
    check_created,
    check_service_error_shown,
    listed,
    listing,
    login_member,
)

pytestmark = pytest.mark.django_db

KEY = "alloc.max_mgmt_fee"


def test_every_signed_in_user_reads_the_general_rules_not_another_supporters(client):
    pairing, foreign = f.PairingFactory(), f.PairingFactory()
    general = f.RuleFactory(programme=pairing.programme, supporter=None, recipient=None, valid_from_year=2021)
    ours = f.RuleFactory(pairing=pairing)
    theirs = f.RuleFactory(pairing=foreign)
    login_member(client, pairing.supporter, "read_only")
    assert listed(listing(client, "rules")) == {general.pk, ours.pk}
    assert client.get(reverse("ui:rules-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("ui:rules-detail", args=[general.pk])).status_code == 200


def test_filters_by_key_and_year(client):
    as_superuser(client)
    pairing = f.PairingFactory()
    early = f.RuleFactory(pairing=pairing, valid_from_year=2021, valid_to_year=2022)
    late = f.RuleFactory(pairing=pairing, valid_from_year=2023)
    other = f.RuleFactory(pairing=pairing, key="disclosure.min_days", value="15", valid_from_year=2021)
    assert listed(listing(client, "rules", key=KEY)) >= {early.pk, late.pk}
    assert other.pk not in listed(listing(client, "rules", key=KEY))
    assert listed(listing(client, "rules", key=KEY, year=2022, supporter=pairing.supporter.pk)) == {early.pk}


def test_the_supporters_office_adds_a_rule_for_its_pairing_through_the_form(client):
    pairing = f.PairingFactory()
    login_member(client, pairing.supporter, "supporter_office")
    data = {"key": KEY, "value": "0.010", "supporter": pairing.supporter.pk, "recipient": pairing.recipient.pk,
            "valid_from_year": 2024, "is_blocking": "unknown", "source": "京援发〔2024〕1号"}
    rule = check_created(client, "rules", Rule, data)
    assert (rule.value, rule.is_blocking, rule.valid_to_year) == ("0.010", None, None)


def test_the_form_shows_the_services_errors(client):
    pairing = f.PairingFactory()
    as_superuser(client)
    rule_create(actor=SYSTEM, key=KEY, value="0.02", supporter=pairing.supporter, valid_from_year=2020)
    base = {"key": KEY, "supporter": pairing.supporter.pk, "is_blocking": "unknown"}
    check_service_error_shown(client, "rules", Rule, {**base, "value": "2", "valid_from_year": 2030}, "value")
    check_service_error_shown(client, "rules", Rule, {**base, "value": "0.01", "valid_from_year": 2024},
                              "valid_from_year")


def test_admin_lists_and_edits_rules(client):
    as_superuser(client)
    rule = f.RuleFactory()
    assert client.get(reverse("admin:rules_rule_changelist")).status_code == 200
    assert client.get(reverse("admin:rules_rule_change", args=[rule.pk])).status_code == 200
