"""Upload benchmark: a 100.000-row results workbook through the browser's road, as jobs on the task queue.

    .venv/bin/python bench/upload_bench.py                       # SQLite (bench/out/upload.sqlite3)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nghiquyet_bench .venv/bin/python bench/upload_bench.py

Steps: fresh database; the 2025 units of `vietnam-provinces` and one resolution of 25 targets (as
import_bench); an .xlsx of BENCH_ROWS (default 100.000) commune × target × month results with Vietnamese
numbers, uploaded by a person (an admin of the nation: every row is checked against their roles, as for a
reporter) with `imports.uploads.receive`. Then, timed, each job run by the database queue's worker
(django-tasks-db, `schedule.worker.run_pending`) exactly as a served site runs it:
  1. the check job — read the workbook, every check, the dry run, rolled back;
  2. the write job — everything checked again, then written as the person's drafts;
  3. the same workbook uploaded and checked again — the no-op ("nothing changes");
  4. the database's own bulk path for the same rows, resolved to ids (COPY / executemany), as import_bench.
Prints rows/s and the ratio of the write job (and of check + write) to the bulk path. Not a test: figures go to
docs/performance.md by hand.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{HERE / 'out' / 'upload.sqlite3'}")
os.environ.setdefault("BENCH_ROWS", "100000")

import import_bench  # noqa: E402  (sets up Django; its generators build the units and the resolution)
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from vietnam_provinces import Ward  # noqa: E402

from nghiquyet.accounts.models import Role  # noqa: E402
from nghiquyet.accounts.services import grant_role  # noqa: E402
from nghiquyet.imports import uploads  # noqa: E402
from nghiquyet.imports.models import Upload, UploadState  # noqa: E402
from nghiquyet.orgunits.models import OrgUnit  # noqa: E402
from nghiquyet.schedule.worker import run_pending  # noqa: E402
from nghiquyet.targets.models import Result  # noqa: E402

ROWS = int(os.environ["BENCH_ROWS"])


def write_workbook(path: Path) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Kết quả")
    sheet.append(["Nghị quyết", "Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Thực hiện", "Loại số liệu"])
    wards = [f"W{int(ward.code)}" for ward in Ward.iter_all()]
    count = 0
    for unit_index, unit in enumerate(wards):
        for target in range(import_bench.TARGETS):
            for month_index, month in enumerate(import_bench.MONTHS):
                if count >= ROWS:
                    book.save(path)
                    return count
                seed = (unit_index * 7919 + target * 104729 + month_index * 31) % 100000
                sheet.append(["bench", f"T{target:02d}", unit, month, import_bench.vn(Decimal(seed) / 10), "chính thức"])
                count += 1
    book.save(path)
    return count


def job(upload: Upload, label: str) -> float:
    start = time.perf_counter()
    run_pending()
    seconds = time.perf_counter() - start
    upload.refresh_from_db()
    print(f"  {label}: {seconds:.2f} s → {upload.get_state_display()}")
    return seconds


def main() -> None:
    print(f"nghiquyet upload benchmark — {date.today()} — {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, {connection.vendor}")
    import_bench.fresh_database()
    folder = import_bench.OUT / "upload"
    import_bench.set_up(folder)
    person = get_user_model().objects.create_user("bench-upload", password="bench-mat-khau-1")
    grant_role(user=person, org_unit=OrgUnit.objects.get(code="VN"), role=Role.ADMIN)
    workbook = folder / "ket-qua.xlsx"
    start = time.perf_counter()
    rows = write_workbook(workbook)
    content = workbook.read_bytes()
    print(f"  workbook: {rows:,} rows, {len(content) / 1_000_000:.1f} MB, written in {time.perf_counter() - start:.0f} s".replace(",", "."))

    upload = uploads.receive(user=person, name=workbook.name, content=content)  # queued on commit (autocommit here)
    check = job(upload, "check job (read + every check, dry run)")
    assert upload.state == UploadState.READY, upload.report.get("problems", [])[:3]
    uploads.confirm(user=person, upload_id=upload.pk)
    write = job(upload, "write job (checked again, written)")
    assert upload.state == UploadState.DONE and Result.objects.count() == rows, upload.report.get("problems", [])[:3]

    again = uploads.receive(user=person, name=workbook.name, content=content)
    noop = job(again, "same workbook again (check: nothing changes)")
    assert again.state == UploadState.READY and again.report["changes"] == 0

    native = import_bench.bulk_path_seconds()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"  write job        {rows / write:>10,.0f} rows/s".replace(",", "."))
    print(f"  check + write    {rows / (check + write):>10,.0f} rows/s".replace(",", "."))
    print(f"  re-upload check  {rows / noop:>10,.0f} rows/s".replace(",", "."))
    print(f"  native           {rows / native:>10,.0f} rows/s".replace(",", "."))
    print(f"  ratio write job / native: {native / write:.2f}; (check + write) / native: {native / (check + write):.2f}")
    print(f"  peak memory (RSS): {peak_mb:,.0f} MB".replace(",", "."))


if __name__ == "__main__":
    main()
