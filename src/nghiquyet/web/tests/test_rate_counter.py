"""Rate-limit counters are atomic: concurrent requests on several threads (or servers) are all counted,
none lost, none counted twice; old windows are purged by a scheduled job."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from nghiquyet.web import ratelimit
from nghiquyet.web.models import RateCounter


@pytest.mark.django_db
def test_each_hit_counts_once_in_each_bucket(one_rate_window):
    assert ratelimit.hit(["a", "b"]) == [1, 1]
    assert ratelimit.hit(["a", "b"]) == [2, 2]
    assert ratelimit.hit(["a"]) == [3]


in_memory_sqlite = pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"),
    reason="threads need a file database on SQLite (scripts/test sets NGHIQUYET_TEST_SQLITE)",
)


@in_memory_sqlite
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_never_lost(one_rate_window):
    threads, per_thread, errors = 6, 20, []

    def work(buckets: list[str]) -> None:
        try:
            for _ in range(per_thread):
                ratelimit.hit(buckets)
        except Exception as error:  # reported below: a lost or failed hit fails the test
            errors.append(error)
        finally:
            connection.close()

    # half the threads name the buckets in the other order: two rows locked in opposite orders deadlock
    pair = ["api:ip:203.0.113.1", "api:user:1"]
    workers = [threading.Thread(target=work, args=(pair if n % 2 else pair[::-1],)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == [threads * per_thread] * 2


@pytest.mark.django_db
def test_old_windows_are_purged(one_rate_window):
    ratelimit.hit(["a"])
    RateCounter.objects.create(key="a:1", count=5, minute=1)
    assert ratelimit.purge(ratelimit.current_minute() - 2) == 1
    assert RateCounter.objects.count() == 1
