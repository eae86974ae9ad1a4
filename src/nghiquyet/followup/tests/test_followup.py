"""Conclusions → tasks → progress → done, with permissions, history and audit; reminders with a frozen clock,
never sent twice; `nghiquyet tasks` and `nghiquyet remind`."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from nghiquyet.accounts.permissions import Forbidden, NotFound, may
from nghiquyet.audit.models import AuditEvent
from nghiquyet.followup import services
from nghiquyet.followup.models import Reminder, TaskKind
from nghiquyet.followup.policies import TaskAction
from nghiquyet.followup.reads import tasks
from nghiquyet.followup.reminders import remind
from nghiquyet.lib.errors import Conflict, Invalid
from nghiquyet.notifications.models import Notification
from nghiquyet.targets.models import Target

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int = 8) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ)


@pytest.fixture
def conclusion(people):
    return services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 1-TB/TU",
                                      issued_on=date(2022, 1, 20))


def test_only_the_unit_s_writers_issue_a_conclusion(people):
    with pytest.raises((Forbidden, NotFound)):
        services.create_conclusion(user=people.bob, org_unit=people.city, issuer="X", number="Số 2", issued_on=date(2022, 1, 1))


def test_a_task_flows_to_done_with_history_and_audit(people, conclusion):
    task = services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Giải ngân vốn đầu tư công",
                             deadline=date(2022, 6, 30), owner=people.bob)
    assert may(people.bob, TaskAction.REPORT, task) and not may(people.dana, "view", task)
    report = services.report_progress(user=people.bob, task=task, text="Đạt 40% kế hoạch", percent=40, files=[("bien-ban.pdf", b"%PDF")])
    assert report.files.get().size == 4
    with pytest.raises(Invalid):
        services.report_progress(user=people.bob, task=task, text="…", percent=140)
    task.refresh_from_db()
    with pytest.raises(Conflict):  # a stale version: someone reported meanwhile
        services.close_task(user=people.bob, task=task, evidence="…", version=task.version - 1)
    done = services.close_task(user=people.bob, task=task, evidence="Đã giải ngân 100%", done_on=date(2022, 7, 3), version=task.version)
    row = tasks(today=date(2022, 8, 1), owner=people.bob)[0]
    assert row.status == "done_late" and done.percent == 100
    assert [e.action for e in AuditEvent.objects.filter(object_type="followup.task", object_id=str(task.pk)).order_by("at", "pk")] == [
        "create", "task_progress", "task_done"]
    with pytest.raises(Conflict):
        services.report_progress(user=people.bob, task=task, text="…", percent=100)


def test_cancelling_needs_a_reason_and_the_writer(people, conclusion):
    task = services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="X", deadline=date(2022, 6, 30),
                             owner=people.bob)
    with pytest.raises(Forbidden):
        services.cancel_task(user=people.bob, task=task, reason="không cần nữa")
    with pytest.raises(Invalid):
        services.cancel_task(user=people.alice, task=task, reason="  ")
    services.cancel_task(user=people.alice, task=task, reason="Đã gộp vào nhiệm vụ khác")
    assert tasks(today=date(2023, 1, 1))[0].status == "cancelled"


@pytest.mark.parametrize(("fields", "field"), [({"deadline": None}, "deadline"), ({"cadence": "weekly", "deadline": None}, "cadence"),
                                               ({"cadence": "monthly"}, "deadline"), ({"title": "a\x00b"}, "title"),
                                               ({"kind": TaskKind.VACANCY}, "post")])
def test_a_task_needs_a_deadline_or_a_cadence_and_clean_text(people, conclusion, fields, field):
    values = {"title": "Nhiệm vụ", "deadline": date(2022, 6, 30)} | fields
    with pytest.raises(Invalid) as error:
        services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, **values)
    assert error.value.field == field


def test_a_task_from_a_target_not_met_carries_the_target_unit_and_period(people):
    target = Target.objects.get(resolution__key="ct-2021", code="09")
    task = services.task_from_target(user=people.alice, target=target, org_unit=people.city, period="2021", deadline=date(2022, 12, 31))
    assert list(task.targets.all()) == [target] and task.period == "2021" and task.lead_unit == people.city
    assert tasks(today=date(2022, 1, 1), target=target)[0].task == task
    with pytest.raises((Forbidden, NotFound)):
        services.task_from_target(user=people.dana, target=target, org_unit=people.ward_b, period="2021", deadline=date(2022, 12, 31))


def test_reminders_on_a_frozen_clock_are_sent_once_and_grouped_per_owner(people, conclusion):
    soon = services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc A", deadline=date(2022, 6, 30),
                             owner=people.bob)
    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc B", deadline=date(2022, 7, 2),
                      owner=people.bob)
    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc C", deadline=date(2022, 9, 30),
                      owner=people.bob)
    assert remind(now=at("2022-06-20"))[0] == []
    sent, _ = remind(now=at("2022-06-25"), dry_run=True)
    assert Reminder.objects.count() == 0 and [len(group.items) for group in sent] == [2]  # a dry run writes nothing
    sent, _ = remind(now=at("2022-06-25"))
    assert [len(group.items) for group in sent] == [2]  # A and B in one message to Bob
    assert Notification.objects.filter(user=people.bob, key__startswith="tasks:").count() == 1
    assert remind(now=at("2022-06-25", 20))[0] == []  # the same day again: nothing new
    assert remind(now=at("2022-06-30"))[0] == []
    sent, _ = remind(now=at("2022-07-01"))  # A passed its deadline yesterday
    assert [(task.title, kind) for task, kind, _ in sent[0].items] == [("Việc A", "overdue")]
    assert remind(now=at("2022-07-02"))[0] == []
    services.close_task(user=people.bob, task=soon, evidence="xong")
    assert [(t.title, k) for t, k, _ in remind(now=at("2022-07-03"))[0][0].items] == [("Việc B", "overdue")]


def test_the_tasks_command_json_shape(people, conclusion):
    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc A", deadline=date(2022, 6, 30),
                      owner=people.bob, targets=[Target.objects.get(resolution__key="ct-2021", code="03")])
    out = io.StringIO()
    call_command("tasks", "--format", "json", "--owner", "bob", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data[0]) == ["id", "title", "lead_unit", "owner", "deadline", "status", "conclusion", "targets"]
    assert data[0]["lead_unit"] == "CT-NK-TA" and data[0]["status"] == "overdue" and data[0]["targets"] == ["ct-2021/03"]
    out = io.StringIO()
    call_command("tasks", "--format", "json", "--overdue", "--org", "CT-NK-XK", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_remind_twice_sends_nothing_new_the_second_time(people, conclusion):
    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc A", deadline=date(2022, 6, 30),
                      owner=people.bob)
    first, second = io.StringIO(), io.StringIO()
    call_command("remind", "--now", "2022-07-01T08:00", stdout=first)
    call_command("remind", "--now", "2022-07-01T09:00", stdout=second)
    assert "Đã gửi cho bob" in first.getvalue() and "Việc A" in first.getvalue()
    assert second.getvalue().strip() == "Không có nhắc việc mới."


def test_the_demo_conclusion_has_done_in_progress_and_one_overdue(demo):
    from django.contrib.auth import get_user_model

    from nghiquyet.demo.followup import ensure_demo_conclusion
    from nghiquyet.demo.loader import DEMO_USER, ensure_demo_user

    ensure_demo_user()
    admin = get_user_model().objects.get(username=DEMO_USER)
    made = ensure_demo_conclusion(admin)
    assert ensure_demo_conclusion(admin).pk == made.pk
    rows = tasks(today=date(2026, 12, 3))
    statuses = [row.status for row in rows]
    assert statuses.count("overdue") == 1 and "in_progress" in statuses and statuses.count("done") + statuses.count("done_late") >= 3
    vacancies = [row for row in rows if row.task.kind == "vacancy"]
    assert len(vacancies) == 3 and sum(1 for row in vacancies if row.task.filled_on is None) == 1
    from nghiquyet.followup.models import Progress

    reported = sorted(report.at.year for report in Progress.objects.filter(task__conclusion=made))
    assert reported == [2022, 2022, 2022]  # when the story happens, not the day the demo was loaded
