"""Run the jobs that are due. A job is claimed by one conditional UPDATE, so two servers' crons started in
the same minute run it once; a job that fails is recorded and retried when next due, never blocks others."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from nghiquyet.schedule.models import JobRun
from nghiquyet.schedule.registry import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    name: str
    ran: bool
    succeeded: bool | None = None
    message: str = ""


def _claim(job: Job, now: datetime, force: bool) -> bool:
    try:
        with transaction.atomic():
            JobRun.objects.get_or_create(name=job.name)
    except IntegrityError:  # created by another server in the same instant
        pass
    due = Q(started_at__isnull=True) | Q(started_at__lte=now - job.every)
    rows = JobRun.objects.filter(name=job.name)
    if not force:
        rows = rows.filter(due)
    return rows.update(started_at=now, finished_at=None, succeeded=None) == 1


def run_due(jobs: Iterable[Job], *, now: datetime | None = None, force: bool = False) -> list[Outcome]:
    """Run each job that is due (or every one with `force`); returns what happened to each."""
    outcomes = []
    for job in jobs:
        started = now or timezone.now()
        if not _claim(job, started, force):
            outcomes.append(Outcome(job.name, ran=False))
            continue
        try:
            message, succeeded = job.run() or "", True
        except Exception as error:  # a job's failure is recorded, and the other jobs still run
            log.exception("job %s failed", job.name)
            message, succeeded = f"{type(error).__name__}: {error}", False
        JobRun.objects.filter(name=job.name).update(finished_at=timezone.now(), succeeded=succeeded, message=message[:500])
        outcomes.append(Outcome(job.name, ran=True, succeeded=succeeded, message=message))
    return outcomes
