"""Tasks as people look for them: theirs, a unit's (its subtree), the overdue, due this month, by conclusion,
target or status; each with its status read from its dates (followup.rules) and the JSON shape of
`nghiquyet tasks --format json`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max, Q, QuerySet

from nghiquyet.followup.models import Task
from nghiquyet.followup.policies import tasks_q
from nghiquyet.followup.reminders import dates_of
from nghiquyet.followup.rules import Status, status, status_label


@dataclass(frozen=True)
class TaskRow:
    task: Task
    status: Status

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    def as_json(self) -> dict[str, Any]:
        task = self.task
        return {
            "id": task.pk, "title": task.title, "lead_unit": task.lead_unit.code,
            "owner": task.owner.get_username() if task.owner else None,
            "deadline": task.deadline.isoformat() if task.deadline else None, "status": self.status.value,
            "conclusion": task.conclusion.number if task.conclusion else None,
            "targets": [f"{target.resolution.key}/{target.code}" for target in task.targets.all()],
            "kind": task.kind, "cadence": task.cadence or None, "percent": task.percent, "period": task.period or None,
            "post": task.post or None, "filled_on": task.filled_on.isoformat() if task.filled_on else None,
        }


def tasks(*, today: date, user: Any = None, org_unit: Any = None, owner: Any = None, overdue: bool = False,
          due_in_month: bool = False, conclusion: Any = None, target: Any = None, state: str = "") -> list[TaskRow]:
    """`user` None: everything (the command line, an operator at the server); else what they may see."""
    found: QuerySet[Task] = Task.objects.select_related("lead_unit", "owner", "conclusion").prefetch_related("targets__resolution")
    found = found.annotate(last_report=Max("reports__at"))
    if user is not None:
        found = found.filter(tasks_q(user)).distinct()
    if org_unit is not None:  # a unit, or every unit that has borne a code (codes outlive boundary changes)
        units = org_unit if isinstance(org_unit, list | tuple) else [org_unit]
        under = Q(pk__in=[])
        for unit in units:
            under |= Q(lead_unit__path__startswith=unit.path)
        found = found.filter(under)
    if owner is not None:
        found = found.filter(owner=owner)
    if conclusion is not None:
        found = found.filter(conclusion=conclusion)
    if target is not None:
        found = found.filter(targets=target)
    if due_in_month:
        found = found.filter(deadline__year=today.year, deadline__month=today.month)
    rows = [TaskRow(task, status(dates_of(task), today)) for task in found.order_by("deadline", "pk")]
    if overdue:
        rows = [row for row in rows if row.status == Status.OVERDUE]
    if state:
        rows = [row for row in rows if row.status == state]
    return rows
