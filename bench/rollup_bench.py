"""Benchmark: scorecards with live roll-ups on the national synthetic set (issue 11).

The set is web_bench's: 34 provinces and 3.321 communes (2025 boundaries), 30 targets, 60 months of commune
results (≈ 6M); nobody reports a province or a year, so every province and national figure is derived. It is
written through the figure-write service, which keeps the roll-up store as it goes (built once and kept).

Timed, in one run, on the database of DATABASE_URL:
- the scorecard (figures.scorecard.scorecard_for: plans, own results, roll-ups, period roll-ups, causes, the
  previous year) of the largest province × 2026 and of the nation × 2026, BENCH_REPEAT times each;
- next to it, plain SQL over the same rows: the GROUP BY of that province's communes' results for 2026 by
  target (by the (org_unit, period) index), and of every commune for the nation;
- a figure approved at one commune: the write with its roll-ups, then the province's scorecard shows it;
- the dashboard page of the nation × 2026 served by `nghiquyet serve` (gunicorn) to 50 clients each pausing
  1 s between requests (BENCH_SECONDS long), twice: the clients arriving one after the other over the first
  second (the goal's case: people at their desks), then all starting at the same instant (a room opening the
  page together; they stay bunched, so every second brings a burst of 50).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nghiquyet_bench .venv/bin/python bench/rollup_bench.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import web_bench  # noqa: E402  (sets up Django; builds the national set)
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from nghiquyet.figures.scorecard import scorecard_for  # noqa: E402
from nghiquyet.figures.writes import Writer, record_result  # noqa: E402
from nghiquyet.lib.periods import parse_period  # noqa: E402
from nghiquyet.orgunits.models import OrgUnit  # noqa: E402
from nghiquyet.targets.models import Resolution, Result  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
YEAR = parse_period("2026")


def timed(action, repeat: int = REPEAT) -> tuple[float, float]:
    """p50 and p95 in ms of `repeat` runs after one warm-up."""
    action()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    q = statistics.quantiles(times, n=100)
    return q[49], q[94]


def plain_sql(unit_ids: list[int]) -> None:
    """The reference: the year's results of these units added up by target, in SQL."""
    months = [f"2026-{month:02d}" for month in range(1, 13)]
    table = connection.ops.quote_name(Result._meta.db_table)
    units = ", ".join(["%s"] * len(unit_ids))
    periods = ", ".join(["%s"] * len(months))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT target_id, SUM(value), COUNT(*) FROM {table} WHERE org_unit_id IN ({units}) AND period IN ({periods}) "
            "AND state = 'approved' GROUP BY target_id", [*unit_ids, *months],
        )
        cursor.fetchall()


def main() -> None:
    print(f"nghiquyet roll-up benchmark — {date.today()} — {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {connection.vendor}")
    web_bench.build()
    resolution = Resolution.objects.select_related("org_unit").get(key="bench")
    nation = resolution.org_unit
    largest = OrgUnit.objects.filter(parent=nation).annotate(n=Count("children")).order_by("-n").first()
    communes = list(OrgUnit.objects.filter(parent=largest).values_list("pk", flat=True))
    everyone = list(OrgUnit.objects.filter(parent__parent=nation).values_list("pk", flat=True))
    card = scorecard_for(resolution=resolution, org_unit=largest, period=YEAR)
    print(f"  largest province: {largest.name}, {len(communes)} communes; {card.rows[0].target.code}: {card.rows[0].actual_text} "
          f"({card.rows[0].coverage_text})")
    rows = [
        ("province × year scorecard", timed(lambda: scorecard_for(resolution=resolution, org_unit=largest, period=YEAR))),
        ("  plain SQL GROUP BY, province", timed(lambda: plain_sql(communes))),
        ("nation × year scorecard", timed(lambda: scorecard_for(resolution=resolution, org_unit=nation, period=YEAR))),
        ("  plain SQL GROUP BY, nation", timed(lambda: plain_sql(everyone), repeat=max(5, REPEAT // 8))),
    ]
    for label, (p50, p95) in rows:
        print(f"  {label:<32} p50 {p50:>8.1f} ms   p95 {p95:>8.1f} ms")
    province_p95, sql_p95 = rows[0][1][1], rows[1][1][1]
    print(f"  province scorecard p95 / plain SQL p95: {province_p95 / sql_p95:.2f} (goal ≤ 0,5)")

    # Current the moment a value is approved: one commune's March figure changes, the province's year follows.
    target = card.rows[0].target
    commune = OrgUnit.objects.get(pk=communes[0])
    march = parse_period("2026-03")
    stored = Result.objects.get(target=target, org_unit=commune, period=march.code, kind="official")
    before = card.rows[0].actual
    began = time.perf_counter()
    bench = Writer.trusted_road(source="bench")  # as the set was written: the next run keeps it
    record_result(target=target, org_unit=commune, period=march, value=stored.value + Decimal(1000), writer=bench)
    write_ms = (time.perf_counter() - began) * 1000
    after = scorecard_for(resolution=resolution, org_unit=largest, period=YEAR).rows[0].actual
    record_result(target=target, org_unit=commune, period=march, value=stored.value, writer=bench)  # as it was
    print(f"  one figure written with its roll-ups: {write_ms:.1f} ms; the province's year went {before} → {after} "
          f"({'current' if after == before + 1000 else 'NOT CURRENT'})")

    token, session = web_bench.credentials()
    connection.close()
    path = f"/nghi-quyet/bench/tong-quan/?org={nation.code}&period=2026"
    server = web_bench.serve()
    try:
        web_bench.load(path, {"Cookie": f"sessionid={session}"}, 1)
        for spread, how in ((True, "arriving over the first second"), (False, "all starting at the same instant")):
            rate, latencies, bad = web_bench.load(path, {"Cookie": f"sessionid={session}"}, 50, think=1.0, spread=spread)
            q = statistics.quantiles(latencies, n=100)
            print(f"  dashboard page, 50 clients pausing 1 s, {how}: {rate:.1f} req/s   p50 {q[49]:.1f} ms   p95 {q[94]:.1f} ms"
                  + (f"   {bad} non-200" if bad else ""))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
