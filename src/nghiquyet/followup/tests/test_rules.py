"""A task's status and reminder events from its dates (followup.rules). No database."""

from datetime import date

import pytest

from nghiquyet.followup.models import Cadence
from nghiquyet.followup.rules import CADENCE_WORDS, Dates, Status, deadline_text, events, period_of, status

D = date(2022, 6, 30)


@pytest.mark.parametrize(("task", "today", "expected"), [
    (Dates("not_started", D), date(2022, 6, 1), Status.NOT_STARTED),
    (Dates("in_progress", D), date(2022, 6, 30), Status.IN_PROGRESS),       # the deadline day is still on time
    (Dates("in_progress", D), date(2022, 7, 1), Status.OVERDUE),
    (Dates("not_started", D), date(2022, 7, 1), Status.OVERDUE),
    (Dates("done", D, done_on=date(2022, 6, 30)), date(2022, 9, 1), Status.DONE),
    (Dates("done", D, done_on=date(2022, 7, 2)), date(2022, 9, 1), Status.DONE_LATE),
    (Dates("cancelled", D), date(2022, 9, 1), Status.CANCELLED),
    (Dates("not_started", None, cadence="monthly"), date(2030, 1, 1), Status.NOT_STARTED),  # recurring: never overdue
    (Dates("not_started", None, cadence="monthly", last_report=date(2022, 1, 5)), date(2022, 1, 9), Status.IN_PROGRESS),
])
def test_status(task, today, expected):
    assert status(task, today) == expected


@pytest.mark.parametrize(("day", "cadence", "expected"), [
    (date(2022, 2, 14), "monthly", (date(2022, 2, 1), date(2022, 2, 28))),
    (date(2024, 2, 14), "monthly", (date(2024, 2, 1), date(2024, 2, 29))),
    (date(2022, 8, 1), "quarterly", (date(2022, 7, 1), date(2022, 9, 30))),
    (date(2022, 12, 31), "half_yearly", (date(2022, 7, 1), date(2022, 12, 31))),
    (date(2022, 3, 3), "yearly", (date(2022, 1, 1), date(2022, 12, 31))),
])
def test_cadence_periods(day, cadence, expected):
    assert period_of(day, cadence) == expected


@pytest.mark.parametrize(("task", "today", "expected"), [
    (Dates("not_started", D), date(2022, 6, 22), []),                       # 8 days before: nothing yet
    (Dates("not_started", D), date(2022, 6, 23), [("soon", D)]),            # 7 days before
    (Dates("in_progress", D), date(2022, 6, 30), [("soon", D)]),
    (Dates("in_progress", D), date(2022, 7, 1), [("overdue", D)]),          # the day it passes
    (Dates("in_progress", D), date(2022, 8, 1), [("overdue", D)]),          # the same event: sent once (followup.reminders)
    (Dates("done", D, done_on=D), date(2022, 7, 1), []),
    (Dates("cancelled", D), date(2022, 7, 1), []),
    (Dates("not_started", None, cadence="quarterly"), date(2022, 9, 23), [("report", date(2022, 9, 30))]),
    (Dates("not_started", None, cadence="quarterly"), date(2022, 9, 1), []),
    (Dates("in_progress", None, cadence="quarterly", last_report=date(2022, 8, 2)), date(2022, 9, 25), []),  # reported this quarter
    (Dates("in_progress", None, cadence="quarterly", last_report=date(2022, 6, 2)), date(2022, 9, 25), [("report", date(2022, 9, 30))]),
])
def test_events(task, today, expected):
    assert events(task, today) == expected


@pytest.mark.parametrize(("deadline", "cadence", "lang", "expected"), [
    (date(2022, 6, 3), "", "vi", "03/06/2022"),
    (None, "monthly", "vi", "thường xuyên, hằng tháng"),
    (None, "half_yearly", "vi", "thường xuyên, 6 tháng một lần"),
    (None, "", "vi", "thường xuyên"),  # recurring with no cadence (not allowed by the services; still worded)
    (None, "quarterly", "en", "recurring, quarterly"),
    (None, "yearly", "fr", "thường xuyên, hằng năm"),  # a language we do not speak: Vietnamese
])
def test_a_deadline_in_words(deadline, cadence, lang, expected):
    assert deadline_text(deadline, cadence, lang) == expected


def test_every_cadence_has_its_words_in_every_language():
    assert all(set(words) == set(Cadence.values) for words in CADENCE_WORDS.values())
