"""Benchmark: the scorecard API and page under 1, 4 and 50 concurrent clients, on the national synthetic set.

The set: the 34 provinces and 3.321 communes of `vietnam-provinces` (2025 boundaries) under one national unit,
one resolution owned by the nation with 30 targets, and 60 months of commune results (2026-01 … 2030-12):
about 6M results, written through the figure-write service in monthly batches (the import's bulk path).
Nobody reports the provinces or the years. It is built once and kept (BENCH_REBUILD=1 builds it again).

Then `nghiquyet serve` (gunicorn, one worker per core) runs against that database, and each client — a thread
with its own keep-alive connection — requests one URL in a loop for BENCH_SECONDS (default 15) at each level:
`/api/v1/health` (the ceiling of the stack: routing, middleware, one database check), the scorecard API
(national × 2026, with a token) and the scorecard page (the same, with a session). Printed: requests/s and
p50/p95/p99 latency. The clients run on the same 2 cores as the server: figures are for comparison on this
machine, not capacity.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nghiquyet_bench .venv/bin/python bench/web_bench.py
"""

from __future__ import annotations

import http.client
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{HERE / 'out' / 'web-bench.sqlite3'}")

import import_bench  # noqa: E402  (sets up Django; its generators build the units and the resolution)
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from vietnam_provinces import Ward  # noqa: E402

from nghiquyet.accounts.services import create_token  # noqa: E402
from nghiquyet.figures.batch import Entry  # noqa: E402
from nghiquyet.figures.writes import Writer, write_figures  # noqa: E402
from nghiquyet.lib.periods import parse_period  # noqa: E402
from nghiquyet.orgunits.models import OrgUnit  # noqa: E402
from nghiquyet.targets.models import Result, Target  # noqa: E402

TARGETS = 30
MONTHS = [f"{year}-{month:02d}" for year in range(2026, 2031) for month in range(1, 13)][: int(os.environ.get("BENCH_MONTHS", "60"))]
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
LEVELS = [int(level) for level in os.environ.get("BENCH_LEVELS", "1,4,50").split(",")]
PORT = int(os.environ.get("BENCH_PORT", "8799"))


def build() -> None:
    """The national synthetic set, unless it is there already."""
    import_bench.ensure_database()
    stored = Result.objects.filter(target__resolution__key="bench", source="bench").count() if "targets_result" in connection.introspection.table_names() else 0
    if os.environ.get("BENCH_REBUILD") != "1" and stored and stored == len(list(Ward.iter_all())) * TARGETS * len(MONTHS):
        print(f"  national set: kept ({stored:,} results)".replace(",", "."))
        return
    import_bench.fresh_database()
    import_bench.set_up(import_bench.OUT / "web", targets=TARGETS)
    targets = list(Target.objects.filter(resolution__key="bench").select_related("resolution"))
    communes = list(OrgUnit.objects.filter(code__in=[f"W{int(ward.code)}" for ward in Ward.iter_all()]))
    writer = Writer.trusted_road(source="bench")
    start, total = time.perf_counter(), 0
    for month_index, month in enumerate(MONTHS):
        period = parse_period(month)
        entries = (
            Entry(target, unit, period, (unit_index * 7919 + target_index * 104729 + month_index * 31) % 100000 / 10)
            for unit_index, unit in enumerate(communes)
            for target_index, target in enumerate(targets)
        )
        total += write_figures(model=Result, entries=entries, writer=writer, stored_for=[], audit_creations=False).created
    print(f"  national set: {total:,} results written in {time.perf_counter() - start:.0f} s".replace(",", "."))


def credentials() -> tuple[str, str]:
    """A superuser's API token and session cookie (no login round trip, no rate limit on logins)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username="bench").first() or user_model.objects.create_superuser("bench", password="bench-mat-khau-1")
    _, secret = create_token(user=user, name="bench", scope="read")
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return secret, session.session_key


def serve() -> subprocess.Popen:
    env = os.environ | {"NGHIQUYET_API_PER_MINUTE": "100000000", "NGHIQUYET_LOGIN_PER_MINUTE": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "nghiquyet.cli", "serve", "--port", str(PORT)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            probe.request("GET", "/api/v1/health")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start")


def load(path: str, headers: dict[str, str], clients: int, think: float = 0, spread: bool = False) -> tuple[float, list[float], int]:
    """(requests/s, latencies in ms, non-200 answers) of `clients` threads each looping for SECONDS, pausing
    `think` seconds after each answer (a person reading the page). All start at the same instant, or, with
    `spread`, one after the other over the first `think` seconds (client i after i·think/clients: people do not
    open a page in the same millisecond, and clients that start together stay bunched, since each pauses the
    same second after answers that came close together)."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + SECONDS

    def client(index: int) -> None:
        if spread:
            time.sleep(index * think / clients)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        mine, bad = [], 0
        while time.perf_counter() < stop:
            began = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - began) * 1000)
            bad += response.status != 200
            if think:
                time.sleep(think)
        conn.close()
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - began), latencies, failures[0]


def main() -> None:
    print(f"nghiquyet web benchmark — {date.today()} — {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {connection.vendor}")
    build()
    token, session = credentials()
    connection.close()
    urls = [
        ("health", "/api/v1/health", {}),
        ("scorecard API", "/api/v1/scorecard?resolution=bench&org=VN&period=2026", {"Authorization": f"Bearer {token}"}),
        ("scorecard page", "/nghi-quyet/bench/danh-gia/?org=VN&period=2026", {"Cookie": f"sessionid={session}"}),
    ]
    server = serve()
    try:
        for label, path, headers in urls:
            load(path, headers, 1)  # warm up: connections, caches
            for clients in LEVELS:
                rate, latencies, bad = load(path, headers, clients)
                q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
                print(f"  {label:<15} {clients:>3} clients: {rate:>8.1f} req/s   p50 {q[49]:>7.1f} ms   p95 {q[94]:>7.1f} ms"
                      f"   p99 {q[98]:>7.1f} ms" + (f"   {bad} non-200" if bad else ""))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
