"""The task queue's worker (django-tasks-db) run inside an app process: the embedded default, so that a
demo or a one-machine install needs no second service. With NGHIQUYET_TASK_WORKER=separate the app
processes run none and `nghiquyet db_worker` does the work (one or more, on any machine)."""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Worker

log = logging.getLogger(__name__)


def _worker(*, batch: bool, interval: float = 1.0) -> Worker:
    return Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default", startup_delay=False,
                  max_tasks=None, worker_id=f"{os.uname().nodename[:40]}-{os.getpid()}-{threading.get_ident() % 10000}",
                  excluded_queue_names=[])


def start_in_process() -> threading.Thread | None:
    """Start a daemon thread that runs queued tasks, unless a separate worker is configured."""
    if settings.NGHIQUYET_TASK_WORKER != "in-process":
        return None
    thread = threading.Thread(target=_run_forever, name="nghiquyet-tasks", daemon=True)
    thread.start()
    return thread


def _run_forever() -> None:
    worker = _worker(batch=False)
    while True:
        try:
            worker.run()
        except Exception:  # a lost connection, say: log, wait, go on
            log.exception("task worker stopped; restarting")
            threading.Event().wait(5)


def run_pending() -> None:
    """Run every queued task now, in this thread, then return (tests, and `nghiquyet demo`)."""
    _worker(batch=True, interval=0).run()
