"""Import benchmark: a results CSV of ~1.000.000 rows on the real 2025 administrative units.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/import_bench.py                       # SQLite (bench/out/bench.sqlite3)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nghiquyet_bench .venv/bin/python bench/import_bench.py

Steps: fresh database; the 34 provinces and 3.321 communes of the `vietnam-provinces` package imported as org
units (valid from 1/7/2025); one resolution with 25 synthetic targets; a CSV of results (25 targets × 3.321
communes × 12 months = 996.300 rows, topped up with province rows to 1.000.000) written with Vietnamese
numbers. Then, timed:
  1. `import_file` — the real path: read, every check, diff against the database, bulk write;
  2. the same file again — the no-op re-import (every row compared, nothing written);
  3. the database's own bulk path for the same rows, already resolved to ids: COPY on PostgreSQL,
     executemany in one transaction on SQLite, into the same table after emptying it.
Prints rows/s for each and the ratio of 1 to 3. Not a test: figures go to docs/performance.md by hand.
Set BENCH_ROWS to try a smaller file.
"""

from __future__ import annotations

import csv
import os
import platform
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
OUT.mkdir(exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nghiquyet.settings")
sys.path.insert(0, str(HERE.parent / "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from vietnam_provinces import Province, Ward  # noqa: E402

from nghiquyet.figures._bulk import copy_type  # noqa: E402
from nghiquyet.imports.importer import import_file  # noqa: E402
from nghiquyet.targets.models import Result  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
TARGETS = 25
MONTHS = [f"2026-{month:02d}" for month in range(1, 13)]


def vn(value: Decimal) -> str:
    """1234.5 → "1.234,5"."""
    whole, _, fraction = f"{value:.1f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction != "0" else grouped


def write_setup(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["code", "name", "parent", "level", "type", "valid_from"])
        out.writerow(["VN", "Việt Nam", "", "quốc gia", "territory", "2025-07-01"])
        for province in Province.iter_all():
            out.writerow([f"P{int(province.code)}", province.name, "VN", province.division_type.value, "territory", "2025-07-01"])
        for ward in Ward.iter_all():
            out.writerow([f"W{int(ward.code)}", ward.name, f"P{int(ward.province_code)}", ward.division_type.value, "territory", "2025-07-01"])


def write_rest(folder: Path, targets: int = TARGETS) -> None:
    with (folder / "resolutions.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["key", "number", "title", "term", "org_unit", "notice"])
        out.writerow(["bench", "01-NQ/BENCH", "Benchmark resolution", "2025-2030", "VN", "Synthetic benchmark data"])
    with (folder / "targets.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["resolution", "code", "name", "unit", "direction", "value_kind", "decimals"])
        for index in range(targets):
            kind = "percent" if index % 3 == 0 else "count"
            out.writerow(["bench", f"T{index:02d}", f"Synthetic target {index}", "%" if kind == "percent" else "units",
                          "decrease" if index % 5 == 0 else "increase", kind, 1])


def write_results(path: Path) -> int:
    wards = [f"W{int(ward.code)}" for ward in Ward.iter_all()]
    provinces = [f"P{int(province.code)}" for province in Province.iter_all()]
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["resolution", "target", "org_unit", "period", "value", "kind"])
        for units in (wards, provinces, provinces):
            for unit_index, unit in enumerate(units):
                for target in range(TARGETS):
                    for month_index, month in enumerate(MONTHS):
                        if count >= ROWS:
                            return count
                        seed = (unit_index * 7919 + target * 104729 + month_index * 31) % 100000
                        value = Decimal(seed) / 10 if target % 3 else Decimal(seed % 1000) / 10
                        kind = "official" if units is not provinces or count % 2 else "estimate"
                        out.writerow(["bench", f"T{target:02d}", unit, month, vn(value), kind])
                        count += 1
    return count


def timed(label: str, action) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"  {label}: {seconds:.2f} s")
    return seconds


def native_bulk_path(rows: list[tuple]) -> None:
    """The database's own bulk path for rows already resolved to ids."""
    table = Result._meta.db_table
    columns = ["target_id", "org_unit_id", "period", "period_start", "period_end", "value", "kind", "state", "note",
               "source", "version", "created_at", "updated_at"]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # binary COPY, as the import uses: the fastest path PostgreSQL offers for these rows
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types([copy_type(Result, name) for name in columns])
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def ensure_database() -> None:
    """PostgreSQL: the database DATABASE_URL names, created (empty) when the server has none of that name."""
    from django.db import OperationalError

    if connection.vendor != "postgresql":
        return
    given = connection.settings_dict
    try:
        connection.ensure_connection()
        return
    except OperationalError as error:
        if f'database "{given["NAME"]}" does not exist' not in str(error):
            raise  # the server is down, or refuses us: not ours to fix
    import psycopg
    from psycopg import sql

    server = {"host": given["HOST"] or None, "port": given["PORT"] or None, "user": given["USER"] or None, "password": given["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in server.items() if v}) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(given["NAME"])))
    print(f"  created the database {given['NAME']}")


def fresh_database() -> None:
    """An empty, migrated database (the SQLite file removed; PostgreSQL created if missing, else flushed)."""
    ensure_database()
    if connection.vendor == "sqlite":
        connection.close()
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
    else:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def set_up(folder: Path, targets: int = TARGETS) -> None:
    """The 2025 units and the benchmark resolution, imported from CSV files written into `folder`."""
    folder.mkdir(exist_ok=True)
    write_setup(folder / "org_units.csv")
    write_rest(folder, targets=targets)
    for name in ("org_units", "resolutions", "targets"):
        report = import_file(folder / f"{name}.csv", sheet=name)
        assert report.ok, [p.text() for p in report.problems[:5]]


def bulk_path_seconds() -> float:
    """Empty the results and write them again by the database's own bulk path; its seconds."""
    resolved = list(
        Result.objects.values_list("target_id", "org_unit_id", "period", "period_start", "period_end", "value", "kind", "state", "note", "source")
    )
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    prepared = [
        (t, u, p, ops.adapt_datefield_value(s), ops.adapt_datefield_value(e), v, k, st, n, src, 1, now, now)
        for t, u, p, s, e, v, k, st, n, src in resolved
    ]
    Result.objects.all().delete()
    return timed(f"native bulk path ({'COPY' if connection.vendor == 'postgresql' else 'executemany'})", lambda: native_bulk_path(prepared))


def main() -> None:
    print(f"nghiquyet import benchmark — {date.today()} — {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, {connection.vendor}")
    fresh_database()
    folder = OUT / "data"
    set_up(folder)
    results_csv = folder / "results.csv"
    rows = write_results(results_csv)
    print(f"  file: {rows:,} rows, {results_csv.stat().st_size // 1_000_000} MB".replace(",", "."))

    report = None

    def first_import() -> None:
        nonlocal report
        report = import_file(results_csv, sheet="results")

    seconds = timed("import (read + check + write)", first_import)
    assert report is not None and report.ok, [p.text() for p in report.problems[:5]]
    assert Result.objects.count() == rows
    import_rate = rows / seconds

    again = None

    def second_import() -> None:
        nonlocal again
        again = import_file(results_csv, sheet="results")

    reimport_seconds = timed("re-import (no change)", second_import)
    assert again is not None and again.ok and again.changes == 0

    native_seconds = bulk_path_seconds()
    native_rate = rows / native_seconds
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"  import      {import_rate:>12,.0f} rows/s".replace(",", "."))
    print(f"  re-import   {rows / reimport_seconds:>12,.0f} rows/s".replace(",", "."))
    print(f"  native      {native_rate:>12,.0f} rows/s".replace(",", "."))
    print(f"  ratio import/native: {import_rate / native_rate:.2f}")
    print(f"  peak memory (RSS): {peak_mb:,.0f} MB".replace(",", "."))


if __name__ == "__main__":
    main()
