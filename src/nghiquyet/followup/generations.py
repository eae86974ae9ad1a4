"""The tasks' generation: a token in the cache that changes whenever a task changes (followup.services), so a
page may keep what it read of the tasks under it and reuse it until the token moves (the dashboard's follow-up
panel, web.dashboard_views).

The token moves once the writer's transaction commits, never inside it: a reader who read the old token and the
tasks as they were before the commit has kept them under a token nobody asks for any more, and the writer holds
no lock on the cache (on the database's cache table it would queue every task write behind the one before) and
never fails for it: a cache that cannot be written is logged, and what was kept expires within the page's
cache time. A token the cache lost is replaced by a new one: whatever was kept under the old one is not used
again. Changes made outside followup.services (a unit moved in the tree, renamed) show within that cache time."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction

KEY = "followup:generation:1"


def _token() -> str:
    return secrets.token_hex(8)


def _move() -> None:
    cache.set(KEY, _token(), None)


def moved() -> None:
    """The tasks changed in the current transaction: the token moves when it commits (at once outside one)."""
    transaction.on_commit(_move, robust=True)


def current(read: str | None = None) -> str:
    """The token now: `read` when the caller has fetched KEY already (with other keys, in one round trip),
    else from the cache, or a new one when the cache holds none."""
    token = read if read is not None else cache.get(KEY)
    if token is None:
        cache.add(KEY, _token(), None)
        token = cache.get(KEY)  # ours, or that of a reader who added one a moment before
    return token or _token()  # a cache that keeps nothing: never reuse
