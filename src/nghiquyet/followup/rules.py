"""A task's status and its reminder events, from its dates alone. Pure: no database, table-tested.

Status: cancelled and done are what people recorded (done after the deadline is "done late"); an open task
past its deadline is "overdue"; else in progress once anyone reported, not started before. A recurring task
("thường xuyên") has no deadline; it is never overdue, but owes a report each period of its cadence.

Reminder events, each sent once (followup.reminders keeps what was sent):
- ("soon", deadline): from SOON_DAYS before the deadline until the deadline, for an open task;
- ("overdue", deadline): from the day after the deadline, for an open task;
- ("report", period end): a recurring task with no report in the current cadence period, from SOON_DAYS before
  its end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from nghiquyet.lib.vnformat import format_date_short

SOON_DAYS = 7


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    "vi": {Status.NOT_STARTED: "Chưa thực hiện", Status.IN_PROGRESS: "Đang thực hiện", Status.DONE: "Hoàn thành",
           Status.DONE_LATE: "Hoàn thành chậm", Status.OVERDUE: "Quá hạn", Status.CANCELLED: "Hủy"},
    "en": {Status.NOT_STARTED: "Not started", Status.IN_PROGRESS: "In progress", Status.DONE: "Done",
           Status.DONE_LATE: "Done late", Status.OVERDUE: "Overdue", Status.CANCELLED: "Cancelled"},
}
OPEN = {Status.NOT_STARTED, Status.IN_PROGRESS, Status.OVERDUE}


def status_label(status: Status | str, lang: str = "vi") -> str:
    return STATUS_LABELS.get(lang, STATUS_LABELS["vi"])[Status(status)]


# A recurring task's reporting cadence in words (followup.models.Cadence's values), wherever it is shown.
CADENCE_WORDS = {
    "vi": {"monthly": "hằng tháng", "quarterly": "hằng quý", "half_yearly": "6 tháng một lần", "yearly": "hằng năm"},
    "en": {"monthly": "monthly", "quarterly": "quarterly", "half_yearly": "half-yearly", "yearly": "yearly"},
}
RECURRING_WORDS = {"vi": "thường xuyên", "en": "recurring"}


def cadence_words(cadence: str, lang: str = "vi") -> str:
    return CADENCE_WORDS.get(lang, CADENCE_WORDS["vi"]).get(cadence, "")


def deadline_text(deadline: date | None, cadence: str = "", lang: str = "vi") -> str:
    """"30/06/2022", or for a recurring task "thường xuyên, hằng tháng" (its cadence, where it has one)."""
    if deadline is not None:
        return format_date_short(deadline)
    recurring, every = RECURRING_WORDS.get(lang, RECURRING_WORDS["vi"]), cadence_words(cadence, lang)
    return f"{recurring}, {every}" if every else recurring


@dataclass(frozen=True)
class Dates:
    """What the rules read of a task."""

    state: str  # not_started, in_progress, done, cancelled (as stored)
    deadline: date | None
    done_on: date | None = None
    cadence: str = ""  # monthly, quarterly, half_yearly, yearly; "" for a task with a deadline
    last_report: date | None = None


def status(task: Dates, today: date) -> Status:
    if task.state == "cancelled":
        return Status.CANCELLED
    if task.state == "done":
        late = task.deadline is not None and task.done_on is not None and task.done_on > task.deadline
        return Status.DONE_LATE if late else Status.DONE
    if task.deadline is not None and today > task.deadline:
        return Status.OVERDUE
    return Status.IN_PROGRESS if task.state == "in_progress" or task.last_report else Status.NOT_STARTED


MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def period_of(day: date, cadence: str) -> tuple[date, date]:
    """The cadence period holding `day`: its first and last day (months, quarters, halves, years of the calendar)."""
    size = MONTHS[cadence]
    first_month = (day.month - 1) // size * size + 1
    start = date(day.year, first_month, 1)
    end_month = first_month + size
    end = (date(day.year + 1, 1, 1) if end_month > 12 else date(day.year, end_month, 1)) - timedelta(days=1)
    return start, end


def events(task: Dates, today: date) -> list[tuple[str, date]]:
    """The reminder events due today (each is sent once; see the module doc)."""
    current = status(task, today)
    if current not in OPEN:
        return []
    if task.cadence:
        start, end = period_of(today, task.cadence)
        reported = task.last_report is not None and task.last_report >= start
        return [] if reported or today < end - timedelta(days=SOON_DAYS) else [("report", end)]
    if task.deadline is None:
        return []
    if current == Status.OVERDUE:
        return [("overdue", task.deadline)]
    if today >= task.deadline - timedelta(days=SOON_DAYS):
        return [("soon", task.deadline)]
    return []
