"""Count requests per bucket in fixed one-minute windows, atomically whatever the number of servers:
Redis's INCR where NGHIQUYET_REDIS_URL is set, otherwise one `UPDATE … SET count = count + 1` per
bucket (the database serialises concurrent increments of a row)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F

from nghiquyet.web.models import RateCounter


def now() -> float:
    """The windows' one clock (tests hold it still)."""
    return time.time()


def current_minute() -> int:
    return int(now() // 60)


def seconds_left() -> int:
    """Seconds until the current window ends: a refused request's Retry-After."""
    return 60 - int(now()) % 60


def hit(buckets: list[str]) -> list[int]:
    """Count one request in each bucket's current window; returns the counts after it."""
    minute = current_minute()
    keys = [f"{bucket}:{minute}" for bucket in buckets]
    if getattr(settings, "NGHIQUYET_REDIS_URL", ""):
        counts = []
        for key in keys:
            cache.add(f"rate:{key}", 0, timeout=120)  # SET NX, then INCR: both atomic in Redis
            counts.append(cache.incr(f"rate:{key}"))
        return counts
    return _hit_database(keys, minute)


def _hit_database(keys: list[str], minute: int) -> list[int]:
    # One statement per bucket, each committed on its own (no transaction holds one row while waiting for
    # another: two requests counting the same two buckets deadlocked on PostgreSQL when both rows were
    # updated in one transaction).
    for key in sorted(set(keys)):
        if RateCounter.objects.filter(key=key).update(count=F("count") + 1):
            continue
        try:
            with transaction.atomic():  # another server may create it first: then count on it
                RateCounter.objects.create(key=key, count=1, minute=minute)
        except IntegrityError:
            RateCounter.objects.filter(key=key).update(count=F("count") + 1)
    counts = dict(RateCounter.objects.filter(key__in=keys).values_list("key", "count"))
    return [counts[key] for key in keys]


def purge(before_minute: int) -> int:
    """Remove the counters of windows before this minute; returns how many."""
    deleted, _ = RateCounter.objects.filter(minute__lt=before_minute).delete()
    return deleted
