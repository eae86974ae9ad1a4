"""Deadline reminders (`nghiquyet remind`, and the scheduled job where a worker runs): the events due now
(followup.rules.events) of every open task, grouped per owner into one message — in the app always, by email
where configured (notifications.services) — and each event written down (followup.models.Reminder), so a
second run, or another server's run at the same moment, sends nothing new."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from nghiquyet.followup.models import Reminder, Task, TaskState
from nghiquyet.followup.rules import Dates, events, status, status_label
from nghiquyet.notifications.services import Message, notify

WORDS = {"soon": "sắp đến hạn", "overdue": "đã quá hạn", "report": "đến kỳ báo cáo"}


@dataclass
class Sent:
    owner: Any
    items: list[tuple[Task, str, date]] = field(default_factory=list)

    def lines(self) -> list[str]:
        today = timezone.localdate()
        return [f"- {task.title} — {WORDS[kind]} ({about:%d/%m/%Y}), {status_label(status(dates_of(task), today))}"
                for task, kind, about in self.items]


def dates_of(task: Task, last_report: date | None = None) -> Dates:
    last = last_report if last_report is not None else getattr(task, "last_report", None)
    if isinstance(last, datetime):
        last = timezone.localdate(last)
    return Dates(state=task.state, deadline=task.deadline, done_on=task.done_on, cadence=task.cadence, last_report=last)


def due(now: datetime) -> list[tuple[Task, str, date]]:
    """Every event due at `now` not sent yet, oldest deadline first."""
    today = timezone.localdate(now)
    open_tasks = (Task.objects.filter(state__in=[TaskState.NOT_STARTED, TaskState.IN_PROGRESS]).select_related("owner", "lead_unit")
                  .annotate(last_report=Max("reports__at")).order_by("deadline", "pk"))
    sent = set(Reminder.objects.filter(task__in=open_tasks).values_list("task_id", "kind", "about"))
    found = []
    for task in open_tasks:
        for kind, about in events(dates_of(task), today):
            if (task.pk, kind, about) not in sent:
                found.append((task, kind, about))
    return found


def remind(*, now: datetime | None = None, dry_run: bool = False) -> tuple[list[Sent], list[Task]]:
    """Send what is due, grouped per owner; returns what was (or, dry, would be) sent, and the tasks due with
    nobody to tell (no owner)."""
    now = now or timezone.now()
    groups: dict[int, Sent] = {}
    nobody: list[Task] = []
    for task, kind, about in due(now):
        if task.owner is None or not task.owner.is_active:
            nobody.append(task)
            continue
        groups.setdefault(task.owner.pk, Sent(task.owner)).items.append((task, kind, about))
    if dry_run:
        return list(groups.values()), nobody
    sent = []
    for group in groups.values():
        with transaction.atomic():
            kept = []
            for task, kind, about in group.items:
                try:
                    with transaction.atomic():
                        Reminder.objects.create(task=task, kind=kind, about=about, sent_at=now)
                    kept.append((task, kind, about))
                except IntegrityError:
                    continue  # sent a moment ago by another run
            if not kept:
                continue
            group.items = kept
            digest = hashlib.sha256("|".join(f"{t.pk}:{k}:{a}" for t, k, a in kept).encode()).hexdigest()[:16]
            count = len(kept)
            notify(users=[group.owner], message=Message(
                key=f"tasks:{timezone.localdate(now)}:{digest}", subject=f"Nhắc việc: {count} nhiệm vụ cần chú ý",
                body="\n".join(group.lines()), url="/nhiem-vu/?mine=1"))
            sent.append(group)
    return sent, nobody


def by_owner(groups: list[Sent]) -> dict[str, list[str]]:
    """{username: lines}, for the command's output."""
    out: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        out[group.owner.get_username()].extend(group.lines())
    return dict(out)
