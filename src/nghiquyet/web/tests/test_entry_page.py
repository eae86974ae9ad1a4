"""The data-entry page: a reporter types figures the Vietnamese way, each saved as a draft on the one write
path when the cell is left; a mistake is explained in the row and nothing is stored; a value someone else
saved in between is never overwritten — the row says who changed it and when."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nghiquyet.targets.models import Result, ResultState, Target

pytestmark = pytest.mark.django_db

PAGE = "/nghi-quyet/ct-2021/nhap-so-lieu/"
SAVE = "/nghi-quyet/ct-2021/nhap-so-lieu/luu/"


@pytest.fixture
def bob(client, people):
    client.force_login(people.bob)
    return client


def save(client, people, target, **fields):
    body = {"target": target.pk, "org": people.ward_a.code, "period": "2022", "kind": "official", "value": "", "note": ""}
    return client.post(SAVE, body | fields, HTTP_HX_REQUEST="true")


def test_the_page_lists_the_units_targets_with_plan_last_year_and_an_input(bob, people):
    response = bob.get(PAGE, {"org": people.ward_a.code, "period": "2022"})
    assert response.status_code == 200
    page = response.content.decode()
    assert people.insurance.name in page and f'id="value-{people.insurance.pk}"' in page
    assert 'value="95"' in page  # Bob's draft from the fixture, ready to correct
    assert "chưa duyệt" in page


def test_a_value_typed_the_vietnamese_way_is_saved_as_the_reporters_draft(bob, people):
    target = Target.objects.get(resolution__key="ct-2021", code="03")
    response = save(bob, people, target, value="12.064,5", note="ước tính theo quý")
    assert response.status_code == 200
    answer = response.content.decode()
    assert "Đã lưu" in answer and 'hx-swap-oob="true"' in answer and 'id="summary"' in answer
    stored = Result.objects.get(target=target, org_unit=people.ward_a, period="2022")
    assert stored.value == Decimal("12064.5") and stored.note == "ước tính theo quý"
    assert stored.state == ResultState.DRAFT and stored.recorded_by == people.bob
    assert f'id="version-{target.pk}" value="1"' in answer


@pytest.mark.parametrize("typed, words", [("abc", "không phải là số"), ("1.5", "không rõ nghĩa"), ("", "Thiếu giá trị")])
def test_a_mistake_is_explained_in_the_row_and_nothing_is_stored(bob, people, typed, words):
    target = Target.objects.get(resolution__key="ct-2021", code="03")
    before = Result.objects.count()
    response = save(bob, people, target, value=typed)
    assert response.status_code == 200
    answer = response.content.decode()
    assert words in answer and 'class="message error"' in answer
    assert Result.objects.count() == before


def test_a_save_from_an_old_version_is_refused_with_who_changed_it_and_when(bob, people, client):
    draft = Result.objects.get(pk=people.draft_a.pk)
    seen = draft.version
    from django.test import Client

    alice = Client()
    alice.force_login(people.alice)
    assert save(alice, people, people.insurance, value="97", version=seen).status_code == 200  # Alice saves first
    response = save(bob, people, people.insurance, value="96", version=seen)  # Bob, from the page he loaded before
    answer = response.content.decode()
    assert "alice" in answer and "đã được sửa" in answer and 'class="message error"' in answer
    assert Result.objects.get(pk=draft.pk).value == Decimal(97)


def test_only_those_who_enter_figures_at_the_unit_may_use_the_page(client, people):
    client.force_login(people.dana)  # viewer of ward B: ward A is hidden from her
    assert client.get(PAGE, {"org": people.ward_a.code, "period": "2022"}).status_code == 404
    assert client.get(PAGE, {"org": people.ward_b.code, "period": "2022"}).status_code == 403  # she only reads there
    assert save(client, people, people.insurance, value="1").status_code == 404
    assert Result.objects.get(pk=people.draft_a.pk).value == Decimal(95)


def test_an_unknown_target_or_unit_in_a_save_is_a_404_not_a_500(bob, people):
    assert bob.post(SAVE, {"target": "x", "org": people.ward_a.code, "period": "2022", "value": "1"}).status_code == 404
    assert bob.post(SAVE, {"target": "999999999", "org": people.ward_a.code, "period": "2022", "value": "1"}).status_code == 404
    assert bob.post(SAVE, {"target": people.insurance.pk, "org": "KHONGCO", "period": "2022", "value": "1"}).status_code == 404
    assert bob.post(SAVE, {"target": people.insurance.pk, "org": people.ward_a.code, "period": "20x", "value": "1"}).status_code == 404
