"""The one place that answers "may USER do ACTION on OBJECT" for the web views, the API and the CLI.

Until roles scoped to the org tree arrive (the access issue), every active, logged-in user may read and
write everything; anonymous users nothing. Views and API operations never check users themselves: they
call `may` / `require` with an action name, so the rules can tighten here alone.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser

from nghiquyet.lib.errors import DomainError


class Action(StrEnum):
    VIEW = "view"  # read resolutions, targets, plans, results, scorecards
    CHANGE = "change"  # create or update them


class Forbidden(DomainError):
    """The user may not do this."""


def may(user: Any, action: Action, obj: Any = None) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    return action in (Action.VIEW, Action.CHANGE)


def require(user: Any, action: Action, obj: Any = None) -> None:
    if not may(user, action, obj):
        raise Forbidden("Bạn không có quyền làm việc này.", en="You may not do this.")
