"""With NGHIQUYET_REDIS_URL set (several app servers), the cache and the rate-limit counters live in Redis:
the client is a dependency (a missing one turned every request into a 500), and counting stays atomic.
Skipped where no Redis answers on 127.0.0.1:6379 (override with NGHIQUYET_TEST_REDIS_URL)."""

from __future__ import annotations

import os
import socket
import threading
import uuid

import pytest
from django.core.cache import caches

from nghiquyet.web import ratelimit

URL = os.environ.get("NGHIQUYET_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def _answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not URL.startswith("redis://127.0.0.1") or not _answers(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache(settings):
    prefix = f"test-{uuid.uuid4().hex}"  # each test its own keys: parallel test processes share the server
    settings.NGHIQUYET_REDIS_URL = URL
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                      "LOCATION": URL, "KEY_PREFIX": prefix}}
    yield caches["default"]


def test_the_redis_backend_works(redis_cache):
    redis_cache.set("k", {"a": 1}, 30)
    assert redis_cache.get("k") == {"a": 1}


@pytest.mark.django_db
def test_rate_limit_counts_in_redis_without_the_database(redis_cache, one_rate_window, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert ratelimit.hit(["a", "b"]) == [1, 1]
        assert ratelimit.hit(["a"]) == [2]


def test_concurrent_hits_in_redis_are_never_lost(redis_cache, one_rate_window):
    def hammer() -> None:
        for _ in range(50):
            ratelimit.hit(["shared"])

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ratelimit.hit(["shared"]) == [201]
