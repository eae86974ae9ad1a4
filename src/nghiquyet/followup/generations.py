"""The tasks' generation: a token in the cache that changes whenever a task changes (followup.services), so a
page may keep what it read of the tasks under it and reuse it until the token moves (the dashboard's follow-up
panel, web.dashboard_views).

It moves twice: in the writer's transaction (a reader in the same test or request sees it at once) and again once
that transaction commits (a reader who read the first token before the commit and kept the tasks as they were
then has kept them under a token nobody asks for any more). A token the cache lost is replaced by a new one:
whatever was kept under the old one is not used again."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction

KEY = "followup:generation:1"


def _token() -> str:
    return secrets.token_hex(8)


def moved() -> None:
    cache.set(KEY, _token(), None)
    transaction.on_commit(lambda: cache.set(KEY, _token(), None))


def current(read: str | None = None) -> str:
    """The token now: `read` when the caller has fetched KEY already (with other keys, in one round trip),
    else from the cache, or a new one when the cache holds none."""
    token = read if read is not None else cache.get(KEY)
    if token is None:
        cache.add(KEY, _token(), None)
        token = cache.get(KEY)  # ours, or that of a reader who added one a moment before
    return token or _token()  # a cache that keeps nothing: never reuse
