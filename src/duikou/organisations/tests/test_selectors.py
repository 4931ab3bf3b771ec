import pytest
from django.core.exceptions import ValidationError

from duikou.organisations.models import Pairing
from duikou.organisations.selectors import (
    division_by_code,
    division_list,
    organisation_list,
    pairing_find,
    pairing_list,
    pairing_tree_ids,
)
from duikou.testing.factories import PairingFactory, ProgrammeFactory, SubPairingFactory

pytestmark = pytest.mark.django_db


def test_pairing_tree_is_the_pairing_and_every_sub_pairing(pairings):
    city, sub = pairings.pairings["beijing_badong"], pairings.pairings["fangshan_badong"]
    sub_sub = SubPairingFactory(parent=sub)
    assert pairing_tree_ids(city) == [city.pk, sub.pk, sub_sub.pk]
    assert pairing_tree_ids(sub) == [sub.pk, sub_sub.pk]
    assert pairing_tree_ids(pairings.pairings["shanghai_yiling"]) == [pairings.pairings["shanghai_yiling"].pk]


@pytest.mark.parametrize(("supporter", "recipient"), [("北京市", "巴东县"), ("北京", "巴东")])
def test_pairing_find_by_the_names_people_write(pairings, supporter, recipient):
    for name, short in (("北京市", "北京"), ("巴东县", "巴东")):
        org = pairings.orgs[name]
        org.short_name = short
        org.save()
    assert pairing_find(actor=pairings.user("recipient"), supporter=supporter, recipient=recipient) == (
        pairings.pairings["beijing_badong"]
    )


def test_pairing_find_finds_the_top_level_pairing_and_the_sub_pairing_by_its_supporter(pairings):
    user = pairings.user("supporter")
    assert pairing_find(actor=user, supporter="北京市", recipient="巴东县").parent is None
    assert pairing_find(actor=user, supporter="房山区", recipient="巴东县") == pairings.pairings["fangshan_badong"]


def test_pairing_find_only_finds_what_the_actor_sees(pairings):
    with pytest.raises(Pairing.DoesNotExist):
        pairing_find(actor=pairings.user("foreign"), supporter="北京市", recipient="巴东县")
    with pytest.raises(Pairing.DoesNotExist):
        pairing_find(actor=pairings.user("district"), supporter="北京市", recipient="巴东县")


def test_pairing_find_asks_for_the_programme_when_there_are_two(pairings):
    city = pairings.pairings["beijing_badong"]
    other = PairingFactory(programme=ProgrammeFactory(code="east-west", name="东西部协作"), supporter=city.supporter,
                           recipient=city.recipient, recipient_division=city.recipient_division)
    admin = pairings.user("admin")
    with pytest.raises(Pairing.MultipleObjectsReturned):
        pairing_find(actor=admin, supporter="北京市", recipient="巴东县")
    assert pairing_find(actor=admin, supporter="北京市", recipient="巴东县", programme="east-west") == other
    assert pairing_find(actor=admin, supporter="北京市", recipient="巴东县", programme="东西部协作") == other


@pytest.mark.parametrize(("code", "expected"), [("422823", "巴东县"), (" 110111 ", "房山区"), ("11", "北京市"),
                                                ("4228", "恩施土家族苗族自治州")])
def test_division_by_code(code, expected):
    assert division_by_code(code).name == expected


@pytest.mark.parametrize("code", ["999999", "", None, "42282"])
def test_unknown_division_code_names_the_field(code):
    with pytest.raises(ValidationError) as info:
        division_by_code(code, field="location_division")
    assert list(info.value.message_dict) == ["location_division"]


def test_pairing_list_filters_inside_the_scope(pairings):
    user = pairings.user("supporter")
    assert set(pairing_list(actor=user, parent__isnull=True)) == {pairings.pairings["beijing_badong"]}
    assert not pairing_list(actor=user, recipient__name="夷陵区").exists()


def test_reference_lists_are_open_to_signed_in_users(pairings):
    assert division_list(actor=pairings.user("foreign"), code="422823").get().name == "巴东县"
    assert organisation_list(actor=pairings.user("foreign"), name="北京市").exists()
    assert not division_list(actor=pairings.user("anonymous")).exists()
