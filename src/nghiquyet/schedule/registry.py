"""Scheduled work: each app declares its jobs in `<app>/jobs.py` with `@job(every=…)`; one command,
`nghiquyet run-jobs`, run by cron every few minutes, runs those that are due (schedule.runner)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Job:
    name: str  # "<app>.<function>"
    every: timedelta
    run: Callable[[], str | None]  # returns a line saying what it did
    doc: str


JOBS: dict[str, Job] = {}


def job(*, every: timedelta) -> Callable[[Callable[[], str | None]], Callable[[], str | None]]:
    """Declare a function of an app's jobs.py as a job run at most once per `every`."""

    def declare(function: Callable[[], str | None]) -> Callable[[], str | None]:
        app = function.__module__.removeprefix("nghiquyet.").removesuffix(".jobs")
        name = f"{app}.{function.__name__}"
        JOBS[name] = Job(name, every, function, (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else "")
        return function

    return declare


def discover() -> dict[str, Job]:
    """Every app's jobs.py, imported once."""
    autodiscover_modules("jobs")
    return JOBS
