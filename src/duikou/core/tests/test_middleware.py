import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_chinese_whatever_the_browser_asks(client):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.headers["Content-Language"] == "zh-hans"
    assert "用户名" in page.content.decode()


def test_english_when_the_user_chooses_it(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/admin/login/")
    assert page.headers["Content-Language"] == "en"
    assert "Username" in page.content.decode()


def test_unknown_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/admin/login/").headers["Content-Language"] == "zh-hans"


def test_admin_pages_carry_the_language_switch(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-123456")
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert 'name="language"' in page and "English" in page and "简体中文" in page


def test_the_request_language_does_not_stay_with_the_thread(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("zh-hans"):
        assert client.get("/admin/login/").headers["Content-Language"] == "en"
        assert translation.get_language() == "zh-hans"
