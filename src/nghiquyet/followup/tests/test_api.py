"""/api/v1/tasks and /api/v1/conclusions: the CLI's JSON shape, the filters, progress with the same rules as the
page (stale version 409, a mistake 400 naming the field, a read-only token refused), hidden is missing."""

from __future__ import annotations

from datetime import date

import pytest

from nghiquyet.accounts.services import create_token
from nghiquyet.followup import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(people):
    conclusion = services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 1-TB/TU",
                                            issued_on=date(2022, 1, 20))
    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.city, title="Việc của thành phố", deadline=date(2099, 1, 1))
    return services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Giải ngân", owner=people.bob,
                             deadline=date(2022, 6, 30))


def test_the_list_has_the_command_s_shape_and_filters(client, people, task):
    client.force_login(people.bob)
    body = client.get("/api/v1/tasks").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert {key: item[key] for key in ("id", "title", "lead_unit", "owner", "deadline", "status", "conclusion", "targets")} == {
        "id": task.pk, "title": "Giải ngân", "lead_unit": "CT-NK-TA", "owner": "bob", "deadline": "2022-06-30", "status": "overdue",
        "conclusion": "Số 1-TB/TU", "targets": []}
    client.force_login(people.alice)
    assert client.get("/api/v1/tasks").json()["count"] == 2
    assert [i["title"] for i in client.get("/api/v1/tasks", {"overdue": "true"}).json()["items"]] == ["Giải ngân"]
    assert [i["title"] for i in client.get("/api/v1/tasks", {"org": "CT-NK"}).json()["items"]] == ["Giải ngân"]
    assert client.get("/api/v1/tasks", {"status": "not_started"}).json()["count"] == 1
    assert client.get("/api/v1/tasks", {"org": "NOPE"}).status_code == 404
    assert client.get("/api/v1/tasks", {"status": "late"}).status_code == 422
    assert client.get("/api/v1/tasks", {"conclusion_id": task.conclusion_id}).json()["count"] == 2
    assert [c["number"] for c in client.get("/api/v1/conclusions").json()["items"]] == ["Số 1-TB/TU"]
    client.force_login(people.charlie)
    assert client.get("/api/v1/tasks", {"conclusion_id": task.conclusion_id}).status_code == 404  # hidden is missing
    assert client.get(f"/api/v1/tasks/{task.pk}").status_code == 404
    assert client.get("/api/v1/conclusions").json()["count"] == 0


def test_progress_keeps_the_page_s_rules(client, people, task):
    client.force_login(people.bob)
    url = f"/api/v1/tasks/{task.pk}/progress"
    response = client.post(url, {"text": "Đạt 40%", "percent": 40, "version": task.version}, content_type="application/json")
    assert response.status_code == 201 and response.json()["percent"] == 40 and response.json()["version"] == task.version + 1
    assert client.post(url, {"text": "Lại", "percent": 50, "version": task.version}, content_type="application/json").status_code == 409
    response = client.post(url, {"text": "  ", "percent": 50}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "text"
    assert client.post(url, {"text": "x", "percent": 150}, content_type="application/json").status_code == 422
    assert client.post(url, {"text": "a\x00b", "percent": 5}, content_type="application/json").status_code == 400
    client.logout()
    _token, secret = create_token(user=people.bob, name="chỉ đọc", scope="read")
    response = client.post(url, {"text": "x", "percent": 60}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403
    assert client.get(f"/api/v1/tasks/{task.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["percent"] == 40
