"""Benchmark: 50 reporters saving cells on the entry page at once.

    .venv/bin/python bench/entry_bench.py                        # SQLite (bench/out/entry.sqlite3)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nghiquyet_bench .venv/bin/python bench/entry_bench.py

The set: the 2025 units of `vietnam-provinces` and one resolution of 25 targets (as import_bench), and
BENCH_CLIENTS (default 50) reporters, each of their own commune. `nghiquyet serve` (gunicorn, one worker per
core) runs against it; each reporter — a thread with its own keep-alive connection and session — opens their
entry page once (the CSRF cookie, as a browser), then saves one cell after another for BENCH_SECONDS (default
20): a new value for the next target of month 2026-01, posted exactly as the page's HTMX does, answered with
the row's status, version and the summary line. Paced as people type (BENCH_THINK: a save every ~2 s, every
~1 s, then without pause — the saturation point). Printed: saves/s and p50/p95/p99 of a save. The clients run
on the same 2 cores as the server: a pessimistic reading for the server alone.
"""

from __future__ import annotations

import http.client
import os
import platform
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{HERE / 'out' / 'entry.sqlite3'}")

import import_bench  # noqa: E402  (sets up Django; its generators build the units and the resolution)
import web_bench  # noqa: E402  (the server and its start)
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402

from nghiquyet.accounts.models import Role  # noqa: E402
from nghiquyet.accounts.services import grant_role  # noqa: E402
from nghiquyet.orgunits.models import OrgUnit  # noqa: E402
from nghiquyet.targets.models import Target  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
THINK = [float(x) for x in os.environ.get("BENCH_THINK", "2,1,0").split(",")]  # seconds between a reporter's saves
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
PERIOD = "2026-01"
PORT = web_bench.PORT


def build() -> list[tuple[str, str]]:
    """A fresh database with the units, the resolution and the reporters; (session key, commune code) each."""
    import_bench.fresh_database()
    import_bench.set_up(import_bench.OUT / "entry")
    communes = list(OrgUnit.objects.filter(code__startswith="W").order_by("code")[:CLIENTS])
    people = []
    for index, commune in enumerate(communes):
        user = get_user_model().objects.create_user(f"reporter{index}", password="bench-mat-khau-1")
        grant_role(user=user, org_unit=commune, role=Role.REPORTER)
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append((session.session_key, commune.code))
    return people


def reporter(session: str, commune: str, targets: list[int], ready: threading.Barrier, think: float, latencies: list[float],
             failures: list[int], lock: threading.Lock, offset: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    page = "/nghi-quyet/bench/nhap-so-lieu/?" + urlencode({"org": commune, "period": PERIOD})
    conn.request("GET", page, headers={"Cookie": f"sessionid={session}"})
    response = conn.getresponse()
    response.read()
    cookie = next(value for name, value in response.getheaders() if name.lower() == "set-cookie" and value.startswith("csrftoken="))
    csrf = cookie.split(";")[0].split("=", 1)[1]
    headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf, "HX-Request": "true",
               "Content-Type": "application/x-www-form-urlencoded"}
    mine, bad, n = [], 0, 0
    ready.wait()  # every page open: the saves start together, each reporter at their own moment within a pause
    stop = time.perf_counter() + SECONDS
    time.sleep(think * offset)
    while time.perf_counter() < stop:
        target = targets[n % len(targets)]
        body = urlencode({"target": target, "org": commune, "period": PERIOD, "kind": "official", "value": f"{n % 997},5", "note": ""})
        began = time.perf_counter()
        for attempt in (1, 2):  # the server closes a keep-alive connection idle for 2 s: a browser opens another
            try:
                conn.request("POST", "/nghi-quyet/bench/nhap-so-lieu/luu/", body=body, headers=headers)
                answer = conn.getresponse()
                text = answer.read()
                break
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
                if attempt == 2:
                    raise
        mine.append((time.perf_counter() - began) * 1000)
        bad += answer.status != 200 or b"message error" in text
        n += 1
        if think:
            time.sleep(think * (0.5 + (n * 7919 % 1000) / 1000))  # typing the next figure: think ± 50 %
    conn.close()
    with lock:
        latencies.extend(mine)
        failures[0] += bad


def main() -> None:
    print(f"nghiquyet entry benchmark — {date.today()} — {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {connection.vendor}, {CLIENTS} reporters × {SECONDS:.0f} s")
    people = build()
    targets = list(Target.objects.filter(resolution__key="bench").order_by("code").values_list("pk", flat=True))
    connection.close()
    server = web_bench.serve()
    try:
        for think in THINK:
            latencies: list[float] = []
            failures = [0]
            lock = threading.Lock()
            ready = threading.Barrier(len(people))
            threads = [threading.Thread(target=reporter, args=(session, commune, targets, ready, think, latencies, failures, lock,
                                                               index / len(people)))
                       for index, (session, commune) in enumerate(people)]
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
            q = statistics.quantiles(latencies, n=100)
            pace = f"a save every ~{think:g} s each" if think else "saving without pause (saturation)"
            print(f"  {CLIENTS} reporters, {pace}: {len(latencies)} saves, {len(latencies) / elapsed:.1f} saves/s   "
                  f"p50 {q[49]:.1f} ms   p95 {q[94]:.1f} ms   p99 {q[98]:.1f} ms"
                  + (f"   {failures[0]} refused or failed" if failures[0] else ""))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
