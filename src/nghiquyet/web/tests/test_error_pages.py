"""A page that is not there, or not for you, answers in the site's layout and the user's language, never
Django's bare English "Not Found"; under /api/ it answers in the API's JSON shape."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(client, people):
    client.force_login(people.alice)
    return client


def test_an_unknown_page_is_a_404_in_the_site_layout_in_vietnamese(alice):
    response = alice.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang này." in page and "Not Found" not in page
    assert '<header class="site">' in page
    assert 'href="/"' in page  # the way back home


def test_the_404_page_follows_the_chosen_language(alice):
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = alice.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Page not found." in response.content.decode()
    assert "Không tìm thấy trang này." not in response.content.decode()


def test_an_unknown_page_is_a_404_page_for_anonymous_visitors_too(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "Không tìm thấy trang này." in response.content.decode()


def test_an_unknown_api_path_is_json_in_the_documented_shape(alice):
    response = alice.get("/api/v1/khong-co")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy trang này.", "field": None}


def test_a_csrf_failure_is_a_403_page_in_the_layout(people, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.alice)
    response = strict.post("/quan-tri-don-vi/", {"action": "grant"})
    assert response.status_code == 403
    assert '<header class="site">' in response.content.decode() and "tải lại trang" in response.content.decode()
