"""Sign-in and sign-out, and the links of a detail page."""

import pytest
from django.urls import reverse

from duikou.plans.choices import PlanKind
from duikou.testing import factories as f
from duikou.ui.registers import url_for

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_chinese_and_a_wrong_password_is_refused(client):
    f.UserFactory(username="wang", password="right-password-1")
    page = client.get(reverse("ui:login")).content.decode()
    assert "登录" in page and 'lang="zh-CN"' in page
    response = client.post(reverse("ui:login"), {"username": "wang", "password": "wrong"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()


def test_sign_in_then_sign_out(client):
    f.UserFactory(username="wang", password="right-password-1")
    response = client.post(reverse("ui:login"), {"username": "wang", "password": "right-password-1"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200  # no pairing yet: the choice page
    assert client.get(reverse("ui:logout")).status_code == 405  # sign-out is a POST (CSRF-protected)
    response = client.post(reverse("ui:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("ui:login")
    assert client.get(reverse("home")).status_code == 302


def test_a_related_record_the_user_cannot_see_is_not_a_link(client, pairings):
    national = f.PlanFactory(kind=PlanKind.NATIONAL, pairing=None, start_year=2021, end_year=2025)
    plan = f.PlanFactory(pairing=pairings.pairings["beijing_badong"], parent=national,
                         kind=PlanKind.PAIRING_FIVE_YEAR, start_year=2021, end_year=2025)
    client.force_login(pairings.user("supporter"))
    fields = {str(fld["label"]): fld for fld in client.get(url_for(plan)).context["fields"]}
    parent = fields[str(plan._meta.get_field("parent").verbose_name)]
    assert parent["text"] == str(national) and parent["url"] is None
    pairing = fields[str(plan._meta.get_field("pairing").verbose_name)]
    assert pairing["url"] == url_for(plan.pairing)
    client.force_login(pairings.user("national"))
    fields = {str(fld["label"]): fld for fld in client.get(url_for(plan)).context["fields"]}
    assert fields[str(plan._meta.get_field("parent").verbose_name)]["url"] == url_for(national)
