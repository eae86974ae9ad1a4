"""Scheduled work of accounts (nghiquyet run-jobs)."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings

from nghiquyet.schedule.registry import job


@job(every=timedelta(hours=24))
def clear_expired_sessions() -> str:
    """Remove expired logins from the session table."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    return "đã xóa các phiên đăng nhập hết hạn"
