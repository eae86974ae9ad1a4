"""On English pages the texts that come from Python (roles, dates, login errors, flash messages) are English too."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_roles_and_dates_are_english(english, people):
    english.force_login(people.bob)
    assert "Enter figures" in english.get("/tai-khoan/").content.decode()
    assert "18 December 2020" in english.get("/").content.decode()


def test_a_wrong_password_is_explained_in_english(english, people):
    html = english.post("/dang-nhap/", {"username": "bob", "password": "sai"}).content.decode()
    assert "Wrong username or password." in html


def test_a_revoked_token_is_confirmed_in_english(english, people):
    from nghiquyet.accounts.services import create_token

    token, _ = create_token(user=people.bob, name="x")
    english.force_login(people.bob)
    html = english.post(f"/tai-khoan/khoa-api/{token.pk}/thu-hoi/", follow=True).content.decode()
    assert "The API token was revoked." in html


def test_vietnamese_stays_the_default(client, people):
    client.force_login(people.bob)
    html = client.get("/tai-khoan/").content.decode()
    assert "Nhập số liệu" in html and "Enter figures" not in html
