"""Who has reported: the completeness page lists a unit and the units below it with their data set's state,
what they entered and the deadline; the level above reminds the late ones, once per deadline, in the app (and
by email where configured); the scheduled job does the same. The notification service is shared."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from nghiquyet.figures import datasets
from nghiquyet.figures.completeness import remind_all_late
from nghiquyet.lib.periods import parse_period
from nghiquyet.notifications import services as notifications
from nghiquyet.notifications.models import Notification
from nghiquyet.targets.models import Resolution

pytestmark = pytest.mark.django_db

PAGE = "/nghi-quyet/ct-2021/tien-do-bao-cao/"
REMIND = PAGE + "nhac/"


@pytest.fixture
def deadline(people):
    """Entry for ct-2021 closes 30 days after a period ends: 2022's deadline was 30/01/2023."""
    Resolution.objects.filter(key="ct-2021").update(entry_closes_after_days=30)


def page_of(client, org="CT-NK", period="2022"):
    response = client.get(PAGE, {"org": org, "period": period})
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_lists_each_units_state_entries_and_who_is_late(client, people, deadline):
    datasets.move(step="submit", user=people.bob, resolution=people.insurance.resolution, org_unit=people.ward_a,
                  period=parse_period("2022"))
    client.force_login(people.alice)
    page = page_of(client)
    assert "hạn nộp 30/01/2023" in page and "(đã qua)" in page and "0/2 đơn vị phải báo cáo" in page
    assert 'data-unit="CT-NK-TA"' in page and "Đã nộp, chờ duyệt" in page  # submitted: not late
    row_b = page.split('data-unit="CT-NK-XK"')[1].split("</tr>")[0]
    assert "Quá hạn" in row_b and "Đang nhập" in row_b  # a draft past the deadline
    assert '<td class="num">1</td>' in row_b  # one figure entered, no plan handed down
    assert 'id="remind-late"' in page


def test_without_a_deadline_nobody_is_late(client, people):
    client.force_login(people.alice)
    page = page_of(client)
    assert "chưa đặt hạn nộp" in page and "Quá hạn" not in page and 'id="remind-late"' not in page


def test_reminders_reach_the_late_units_people_once_per_deadline(client, people, deadline, settings):
    settings.NGHIQUYET_SEND_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people.bob.email = "bob@example.vn"
    people.bob.save()
    client.force_login(people.alice)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, *a, **k: fn())
        response = client.post(REMIND, {"org": "CT-NK", "period": "2022"}, follow=True)
        assert "Đã nhắc 1 người" in response.content.decode()  # Bob, the reporter of ward A
        assert "không nhắc được: CT-NK-XK" in response.content.decode()  # ward B: only Dana, a viewer
        assert len(mail.outbox) == 1 and "Nhắc nộp số liệu" in mail.outbox[0].subject
        again = client.post(REMIND, {"org": "CT-NK", "period": "2022"}, follow=True)
    assert "không nhắc lại: CT-NK-TA" in again.content.decode()
    assert Notification.objects.filter(user=people.bob).count() == 1 and len(mail.outbox) == 1

    client.force_login(people.bob)
    home = client.get("/").content.decode()
    assert 'id="unread">1<' in home
    inbox = client.get("/thong-bao/").content.decode()
    assert "Nhắc nộp số liệu" in inbox and "nhap-so-lieu/?org=CT-NK-TA" in inbox
    client.post("/thong-bao/da-doc/")
    assert 'id="unread"' not in client.get("/").content.decode()


def test_a_changed_deadline_is_a_new_reminder(people, deadline):
    assert remind_all_late(today=date(2023, 2, 15)) == 1  # Bob, for ward A's 2022 set
    assert remind_all_late(today=date(2023, 2, 16)) == 0  # the job runs again: nothing new
    Resolution.objects.filter(key="ct-2021").update(entry_closes_after_days=40)
    assert remind_all_late(today=date(2023, 2, 16)) == 1


def test_the_job_leaves_deadlines_long_past_alone(people, deadline):
    assert remind_all_late(today=date(2026, 12, 2)) == 0


def test_only_the_level_above_reminds(client, people, deadline):
    client.force_login(people.bob)  # reporter of ward A: sees its page, reminds nobody
    assert 'id="remind-late"' not in page_of(client, org="CT-NK-TA")
    assert client.post(REMIND, {"org": "CT-NK-TA", "period": "2022"}).status_code == 403
    assert client.get(PAGE, {"org": "CT-NK", "period": "2022"}).status_code == 404  # the district is not his
    assert not Notification.objects.exists()


def test_the_notification_service_tells_each_person_once_and_keeps_inboxes_apart(people):
    message = notifications.Message(key="test:1", subject="Một việc", body="Nội dung")
    assert len(notifications.notify(users=[people.bob, people.bob, people.dana], message=message)) == 2
    assert notifications.notify(users=[people.bob], message=message) == []
    bobs = notifications.inbox(user=people.bob)
    assert notifications.mark_read(user=people.dana, ids=[bobs[0].pk]) == 0  # not hers
    assert notifications.unread_count(user=people.bob) == 1


def test_the_deadline_is_set_by_the_api_and_by_import(client, people, tmp_path):
    from nghiquyet.imports.importer import import_file
    from nghiquyet.imports.tests.helpers import write_csv

    client.force_login(people.alice)
    url = "/api/v1/resolutions/ct-2021"
    assert client.patch(url, {"entry_closes_after_days": 400}, content_type="application/json").status_code == 422  # as every schema check
    response = client.patch(url, {"entry_closes_after_days": 20}, content_type="application/json")
    assert response.status_code == 200 and response.json()["entry_closes_after_days"] == 20
    report = import_file(write_csv(tmp_path / "resolutions.csv", [["key", "number", "title", "Khóa nhập sau (ngày)"], ["ct-2021", "05-NQ/TU", "Nghị quyết về nhiệm vụ năm 2021", "45"]]))
    assert report.ok, [p.text() for p in report.problems]
    assert Resolution.objects.get(key="ct-2021").entry_closes_after_days == 45
    bad = import_file(write_csv(tmp_path / "resolutions.csv", [["key", "number", "title", "entry_closes_after_days"], ["ct-2021", "05-NQ/TU", "Nghị quyết", "4,5"]]))
    assert not bad.ok and bad.problems[0].column == "entry_closes_after_days"
