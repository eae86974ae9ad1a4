"""The import's jobs on Django's task framework (django-tasks, queue in the database: django-tasks-db).
`nghiquyet serve` runs a worker thread in each app process unless NGHIQUYET_TASK_WORKER=separate, where
`nghiquyet db_worker` runs them (docs/decisions/0013-excel-template.md)."""

from __future__ import annotations

from django_tasks import task

from nghiquyet.imports import uploads


@task()
def run_upload(step: str, upload_id: str) -> str:
    """Check or write an uploaded workbook (imports.uploads.run)."""
    return uploads.run(step, upload_id)
