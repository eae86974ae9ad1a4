"""Workbooks uploaded in the browser: received and kept in the database, checked by a job (the import as a
dry run: every problem with its sheet, row and column), then, once the person confirms, written by a second
job that checks everything again inside the write: all or nothing, whatever changed in between.

What a person uploads goes through the same import as the command line, as that person: their unit's drafts,
exactly as if typed in on the entry page; only plans and results sheets (setting up units, resolutions and
targets is for the command line and the API). Progress is kept in the "progress" cache (Redis where
configured, else files beside the SQLite database), never in the database: the import holds a write
transaction that a progress row would wait behind. docs/decisions/0013-excel-template.md
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from nghiquyet.audit.context import Actor, acting_as
from nghiquyet.imports.importer import import_file
from nghiquyet.imports.models import RUNNING_STATES, Upload, UploadState
from nghiquyet.imports.report import ImportReport, Progress
from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.lib.validation import clean_text

log = logging.getLogger(__name__)

# Browser uploads take the formats whose size is checked before they are opened (imports.xlsx_scan; CSV is read
# as text): an .ods or .xls can ask the reader for an enormous grid in a few bytes. LibreOffice saves .xlsx.
SUFFIXES = (".xlsx", ".xlsm", ".csv")
MAX_RUNNING = 3  # a person's uploads waiting or running at once
STUCK_AFTER = 30  # minutes a job may run before it is taken for lost (a restart killed it)
PROGRESS_SECONDS = 24 * 3600


def receive(*, user: Any, name: str, content: bytes) -> Upload:
    """Keep an uploaded file and queue its check; refuses what cannot be a workbook before keeping it."""
    name = clean_text(Path(name or "").name, "file", limit=200)
    if not name.lower().endswith(SUFFIXES):
        raise Invalid(
            f'Tệp "{name}": chỉ nhận {", ".join(SUFFIXES)}. Với .ods hoặc .xls, mở tệp và lưu lại dạng Excel (.xlsx).',
            en=f'"{name}": only {", ".join(SUFFIXES)} are accepted. Open an .ods or .xls and save it as Excel (.xlsx).',
            field="file",
        )
    check_size(name, len(content))
    if Upload.objects.filter(user=user, state__in=RUNNING_STATES).count() >= MAX_RUNNING:
        raise Invalid(f"Đang có {MAX_RUNNING} tệp của bạn chờ hoặc đang xử lý; đợi chúng xong rồi tải lên tiếp.",
                      en=f"{MAX_RUNNING} of your uploads are waiting or running; wait for them first.", field="file")
    with transaction.atomic():
        upload = Upload.objects.create(
            user=user, file_name=name, size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content
        )
        transaction.on_commit(lambda: _enqueue("check", upload.pk))
    return upload


def check_size(name: str, size: int) -> None:
    """Refuse an empty file or one over NGHIQUYET_IMPORT_MAX_BYTES (the web view asks before reading it)."""
    if not size:
        raise Invalid(f'Tệp "{name}" rỗng.', en=f'"{name}" is empty.', field="file")
    limit = settings.NGHIQUYET_IMPORT_MAX_BYTES
    if size > limit:
        raise Invalid(
            f'Tệp "{name}" lớn {size // 1_000_000} MB, quá giới hạn {limit // 1_000_000} MB.',
            en=f'"{name}" is {size // 1_000_000} MB, over the {limit // 1_000_000} MB limit.',
            field="file",
        )


def recover_stuck(*, now: Any) -> int:
    """Jobs that have run past STUCK_AFTER minutes were lost (a restart, a killed process): their uploads are
    marked failed, nothing written (a write is one transaction), so the person can upload again."""
    from datetime import timedelta

    stuck = Upload.objects.filter(state__in=RUNNING_STATES - {UploadState.QUEUED, UploadState.APPLYING},
                                  updated_at__lt=now - timedelta(minutes=STUCK_AFTER))
    return stuck.update(state=UploadState.FAILED, updated_at=now)


def forget_old(*, now: Any, keep_days: int = 7, keep_written_days: int = 90) -> int:
    """Remove uploads nobody wrote within `keep_days` (their files go with them) and written ones after
    `keep_written_days`; uploads a job is working on are left alone. Returns how many went."""
    from datetime import timedelta

    stale = Upload.objects.exclude(state__in=[*RUNNING_STATES, UploadState.DONE]).filter(created_at__lt=now - timedelta(days=keep_days))
    old = Upload.objects.filter(state=UploadState.DONE, created_at__lt=now - timedelta(days=keep_written_days))
    return stale.delete()[0] + old.delete()[0]


def confirm(*, user: Any, upload_id: UUID | str) -> Upload:
    """Write a checked upload: queue the job once, however often the button is pressed."""
    upload = upload_of(user=user, upload_id=upload_id)
    with transaction.atomic():
        moved = Upload.objects.filter(pk=upload.pk, state=UploadState.READY).update(state=UploadState.APPLYING, updated_at=timezone.now())
        if not moved:
            raise Invalid(
                f"Tệp này đang ở trạng thái «{upload.get_state_display()}»: không ghi được nữa.",
                en=f"This upload is {upload.state}: it cannot be written now.",
                field="state",
            )
        transaction.on_commit(lambda: _enqueue("apply", upload.pk))
    upload.refresh_from_db()
    return upload


def upload_of(*, user: Any, upload_id: UUID | str) -> Upload:
    """The upload, for the person who made it; anyone else's is "not found"."""
    try:
        return Upload.objects.defer("content").get(pk=upload_id, user=user)
    except (Upload.DoesNotExist, ValueError):
        raise NotFound("Không tìm thấy tệp tải lên này.", en="No such upload.", field="upload") from None


def recent(*, user: Any, limit: int = 10) -> list[Upload]:
    return list(Upload.objects.defer("content").filter(user=user).order_by("-created_at")[:limit])


def progress_of(upload: Upload) -> dict[str, Any]:
    """{"label", "done", "total"} of the job running on the upload ({} before it starts)."""
    return caches["progress"].get(_progress_key(upload.pk)) or {}


# The jobs (imports.tasks) --------------------------------------------------------------------------


def run(step: str, upload_id: UUID | str) -> str:
    """Check (step "check") or write (step "apply") the upload; returns its new state. Runs on the task
    queue; claimed by one conditional UPDATE, so a job delivered twice runs once."""
    start, running = (UploadState.QUEUED, UploadState.CHECKING) if step == "check" else (UploadState.APPLYING, UploadState.WRITING)
    if not Upload.objects.filter(pk=upload_id, state=start).update(state=running, updated_at=timezone.now()):
        return "skipped"  # claimed by another delivery of the same job, or no longer waiting
    upload = Upload.objects.select_related("user").get(pk=upload_id)
    dry_run = step == "check"
    try:
        report = _import(upload, dry_run=dry_run)
    except Exception:  # a bug, not the person's mistake: they see that nothing was written
        log.exception("upload %s failed in %s", upload_id, step)
        Upload.objects.filter(pk=upload_id).update(state=UploadState.FAILED, updated_at=timezone.now())
        return UploadState.FAILED
    state = UploadState.PROBLEMS if not report.ok else UploadState.READY if dry_run else UploadState.DONE
    changes = {"state": state, "report": report_json(report), "updated_at": timezone.now()}
    if state == UploadState.DONE:
        changes["content"] = None  # written: the file is no longer needed
    Upload.objects.filter(pk=upload_id).update(**changes)
    return state


def _import(upload: Upload, *, dry_run: bool) -> ImportReport:
    suffix = Path(upload.file_name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="nghiquyet-upload-") as folder:
        path = Path(folder) / f"{Path(upload.file_name).stem[:80] or 'tep'}{suffix}"
        path.write_bytes(bytes(upload.content))
        actor = Actor(label=upload.user.get_username(), via="upload", user=upload.user)
        with acting_as(actor):
            return import_file(path, dry_run=dry_run, user=upload.user, trusted=False, source=f"upload:{upload.file_name}"[:100],
                               progress=CacheProgress(upload.pk, "Đang kiểm tra" if dry_run else "Đang ghi"))


def report_json(report: ImportReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "changes": report.changes,
        "rows": report.rows,
        "summary": {"vi": report.summary("vi"), "en": report.summary("en")},
        "notes": {"vi": report.note_lines("vi"), "en": report.note_lines("en")},
        "problem_count": report.problem_count,
        "problems": [
            {"sheet": p.sheet, "row": p.row, "column": p.column, "vi": p.message, "en": p.english, "whole_file": p.whole_file}
            for p in report.problems
        ],
    }


def _enqueue(step: str, upload_id: UUID) -> None:
    from nghiquyet.imports.tasks import run_upload  # the task module imports this one

    caches["progress"].delete(_progress_key(upload_id))
    run_upload.enqueue(step, str(upload_id))


def _progress_key(upload_id: UUID | str) -> str:
    return f"upload-progress:{upload_id}"


class CacheProgress(Progress):
    """The import's progress where every app server reads it: the "progress" cache."""

    def __init__(self, upload_id: UUID, label: str) -> None:
        self.key, self.label = _progress_key(upload_id), label
        self.done = self.total = 0
        self._save()

    def start(self, label: str, total: int) -> None:
        self.total += total
        self._save()

    def advance(self, count: int) -> None:
        self.done = min(self.done + count, self.total)
        self._save()

    def finish(self) -> None:
        self.done = self.total
        self._save()

    def _save(self) -> None:
        caches["progress"].set(self.key, {"label": self.label, "done": self.done, "total": self.total}, PROGRESS_SECONDS)
