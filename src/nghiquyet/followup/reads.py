"""Tasks as people look for them: theirs, a unit's (its subtree), the overdue, due this month, by conclusion,
target or status; each with its status read from its dates (followup.rules) and the JSON shape of
`nghiquyet tasks --format json`; grouped by the month they fall due (the calendar-like list); and the open
tasks of each target at a unit, for the scorecard and the reports to show beside the targets that lag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max, Q, QuerySet

from nghiquyet.followup.models import Task
from nghiquyet.followup.policies import tasks_q
from nghiquyet.followup.reminders import dates_of
from nghiquyet.followup.rules import OPEN, Status, status, status_label


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
        found = found.filter(_under(org_unit))
    if owner is not None:
        found = found.filter(owner=owner)
    if conclusion is not None:  # a conclusion, or several
        found = found.filter(conclusion__in=conclusion) if isinstance(conclusion, list | tuple) else found.filter(conclusion=conclusion)
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


def task_row(*, task_id: int, today: date) -> TaskRow:
    """One task with its status (the caller has checked that the reader may see it)."""
    task = (Task.objects.select_related("lead_unit", "owner", "conclusion").prefetch_related("targets__resolution")
            .annotate(last_report=Max("reports__at")).get(pk=task_id))
    return TaskRow(task, status(dates_of(task), today))


def _under(org_unit: Any) -> Q:
    """Tasks led by a unit or one below it (a unit, or a list of the units that bore a code)."""
    units = org_unit if isinstance(org_unit, list | tuple) else [org_unit]
    under = Q(pk__in=[])
    for unit in units:
        under |= Q(lead_unit__path__startswith=unit.path)
    return under


@dataclass(frozen=True)
class Month:
    """A month of the calendar-like list: its first day (None for the recurring tasks, which have no
    deadline) and its tasks by deadline."""

    first: date | None
    rows: list[TaskRow]

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.status == Status.OVERDUE)


def by_month(rows: list[TaskRow]) -> list[Month]:
    """Tasks grouped by the month their deadline falls in, oldest first, the recurring ones last."""
    months: dict[date | None, list[TaskRow]] = {}
    for row in sorted(rows, key=lambda row: (row.task.deadline is None, row.task.deadline or date.min, row.task.pk)):
        deadline = row.task.deadline
        months.setdefault(deadline.replace(day=1) if deadline else None, []).append(row)
    return [Month(first, found) for first, found in months.items()]


def open_tasks_by_target(*, targets: list[Any], org_unit: Any, today: date, user: Any = None) -> dict[int, list[TaskRow]]:
    """The open tasks (not started, in progress, overdue) linked to these targets that concern `org_unit`: led
    by it or a unit below it, or set by its own conclusions — those a reader of its scorecard would chase.
    `user` None: all of them (the command line); else those they may see. Target id → rows, overdue first. One
    query, however many targets."""
    if not targets:
        return {}
    found = (Task.objects.filter(targets__in=targets, state__in=("not_started", "in_progress"))
             .filter(_under(org_unit) | Q(conclusion__org_unit=org_unit))
             .select_related("lead_unit", "owner", "conclusion").annotate(last_report=Max("reports__at")))
    if user is not None:
        found = found.filter(tasks_q(user))
    wanted = {target.pk for target in targets}
    by_target: dict[int, list[TaskRow]] = {}
    seen: set[tuple[int, int]] = set()
    for task in found.prefetch_related("targets__resolution").order_by("deadline", "pk"):
        row = TaskRow(task, status(dates_of(task), today))
        for target in task.targets.all():
            if target.pk in wanted and row.status in OPEN and (target.pk, task.pk) not in seen:
                seen.add((target.pk, task.pk))
                by_target.setdefault(target.pk, []).append(row)
    for rows in by_target.values():
        rows.sort(key=lambda row: row.status != Status.OVERDUE)
    return by_target


def lagging_tasks(scorecard: Any, *, today: date, user: Any = None) -> dict[int, list[TaskRow]]:
    """The open tasks beside each target of a scorecard that lags (anything short of met or exceeded)."""
    from nghiquyet.targets.rules import ACHIEVED

    lagging = [row.target for row in scorecard.rows if row.status not in ACHIEVED]
    return open_tasks_by_target(targets=lagging, org_unit=scorecard.org_unit, today=today, user=user)


@dataclass(frozen=True)
class Summary:
    """A unit's follow-up at a glance, for its dashboard: open and overdue tasks, and the posts to fill
    ("3 giám đốc sở": the vacancies, with how many are filled)."""

    open: int
    overdue: int
    vacancies: list[TaskRow]  # every vacancy not cancelled, the open ones first
    filled: int

    @property
    def vacant(self) -> list[TaskRow]:
        return [row for row in self.vacancies if row.status in OPEN]


def summary_of(*, org_unit: Any, today: date, user: Any = None) -> Summary:
    """The tasks led by `org_unit` or a unit below it, as `user` may see them: the open ones and the vacancies
    in one query of their dates (read on every dashboard request; a vacancy's row is fetched whole only when
    there is one)."""
    found = Task.objects.filter(_under(org_unit))
    if user is not None and not user.is_superuser:
        found = found.filter(pk__in=Task.objects.filter(tasks_q(user)).values("pk"))  # no DISTINCT over the joins
    dates = list(found.filter(Q(state__in=("not_started", "in_progress")) | Q(kind="vacancy")).exclude(state="cancelled")
                 .values_list("pk", "kind", "state", "deadline"))
    open_ = [(pk, kind, deadline) for pk, kind, state, deadline in dates if state != "done"]
    vacancies: list[TaskRow] = []
    if any(kind == "vacancy" for _pk, kind, _state, _deadline in dates):
        vacancies = [TaskRow(task, status(dates_of(task), today)) for task in
                     Task.objects.filter(pk__in=[pk for pk, kind, _s, _d in dates if kind == "vacancy"]).select_related("lead_unit", "owner", "conclusion")]
        vacancies.sort(key=lambda row: (row.status not in OPEN, row.task.deadline or date.max, row.task.pk))
    return Summary(open=len(open_), overdue=sum(1 for _pk, _kind, deadline in open_ if deadline is not None and deadline < today),
                   vacancies=vacancies, filled=sum(1 for row in vacancies if row.status not in OPEN))
