"""The one place that answers "may USER do ACTION on OBJECT" — for the web views, the API and the CLI.

A membership gives a role at an org unit and covers the unit's whole subtree. Roles are ordered (viewer <
reporter < approver < admin) and each includes the ones before it. The rules (docs/decisions/0007):

| action | needs |
|---|---|
| VIEW a unit's approved figures, plans, scorecards | viewer at the unit or above |
| VIEW a resolution / target | viewer at its owner unit or above, or any role below the owner |
| VIEW_DRAFTS (results not yet approved) | reporter at the unit or above |
| ENTER_RESULT (create, change a draft) | reporter at the unit or above |
| CHANGE_APPROVED result, APPROVE / RETURN | approver strictly above the unit, or admin at it or above |
| SET_PLAN | approver strictly above the unit, or admin at it or above (plans are handed down) |
| MANAGE resolution, target, org unit, memberships | admin at the unit (the owner unit) or above |
| VIEW_AUDIT | admin at the unit or above |

Superusers may do everything. A read-only API token allows only the VIEW actions, whatever its user may do.
Objects a user may not even see are reported as "not found" by the callers, so ids cannot be probed.
Review records (a later issue) will use a grant per review cycle checked here too, never these roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q

from nghiquyet.accounts.models import ROLE_RANK, Membership, Role, TokenScope
from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.orgunits.models import OrgUnit


class Action(StrEnum):
    VIEW = "view"
    VIEW_DRAFTS = "view_drafts"
    ENTER_RESULT = "enter_result"
    CHANGE_APPROVED = "change_approved"
    APPROVE = "approve"
    SET_PLAN = "set_plan"
    MANAGE = "manage"
    VIEW_AUDIT = "view_audit"


READ_ACTIONS = frozenset({Action.VIEW, Action.VIEW_DRAFTS, Action.VIEW_AUDIT})
VIEWER, REPORTER, APPROVER, ADMIN = (ROLE_RANK[r] for r in (Role.VIEWER, Role.REPORTER, Role.APPROVER, Role.ADMIN))


class Forbidden(DomainError):
    """The user may not do this."""


@dataclass(frozen=True)
class Grant:
    unit_id: int
    path: str
    rank: int


def grants(user: Any) -> list[Grant]:
    """The user's memberships, read once per request (cached on the user object)."""
    cached = getattr(user, "_nq_grants", None)
    if cached is None:
        cached = [
            Grant(unit_id, path, ROLE_RANK[Role(role)])
            for unit_id, path, role in Membership.objects.filter(user=user).values_list("org_unit_id", "org_unit__path", "role")
        ]
        user._nq_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    """After memberships change within a request."""
    if hasattr(user, "_nq_grants"):
        del user._nq_grants


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def rank_at(user: Any, unit: OrgUnit) -> int:
    """The highest role rank the user holds at `unit` or above it; -1 for none."""
    return max((g.rank for g in grants(user) if unit.path.startswith(g.path)), default=-1)


def rank_above(user: Any, unit: OrgUnit) -> int:
    """The highest role rank the user holds strictly above `unit`; -1 for none."""
    return max((g.rank for g in grants(user) if unit.path.startswith(g.path) and g.unit_id != unit.pk), default=-1)


def has_any_role_below(user: Any, unit: OrgUnit) -> bool:
    return any(g.path.startswith(unit.path) for g in grants(user))


def unit_of(obj: Any) -> OrgUnit | None:
    """The org unit an object belongs to: a unit itself, a plan's or result's unit, a resolution's owner."""
    from nghiquyet.targets.models import Plan, Resolution, Result, Target

    if isinstance(obj, OrgUnit):
        return obj
    if isinstance(obj, (Plan, Result, Membership)):
        return obj.org_unit
    if isinstance(obj, Resolution):
        return obj.org_unit
    if isinstance(obj, Target):
        return obj.resolution.org_unit
    return None


def may(user: Any, action: Action, obj: Any = None) -> bool:
    """Whether `user` may do `action` on `obj` (None: "anywhere", for list pages and create forms)."""
    if not _active(user):
        return False
    if getattr(user, "_nq_token_scope", None) == TokenScope.READ and action not in READ_ACTIONS:
        return False
    if user.is_superuser:
        return True
    from nghiquyet.targets.models import Resolution, Result, Target

    unit = unit_of(obj)
    if unit is None:  # no object: may the user do this somewhere?
        needed = {Action.VIEW: VIEWER, Action.VIEW_DRAFTS: REPORTER, Action.ENTER_RESULT: REPORTER}.get(action, ADMIN)
        if action in (Action.APPROVE, Action.SET_PLAN, Action.CHANGE_APPROVED):
            needed = APPROVER
        return any(g.rank >= needed for g in grants(user))
    at, above = rank_at(user, unit), rank_above(user, unit)
    match action:
        case Action.VIEW:
            if isinstance(obj, (Resolution, Target, OrgUnit)):
                return at >= VIEWER or has_any_role_below(user, unit)
            if isinstance(obj, Result) and obj.state != "approved":
                return at >= REPORTER
            return at >= VIEWER
        case Action.VIEW_DRAFTS | Action.ENTER_RESULT:
            if action is Action.ENTER_RESULT and isinstance(obj, Result) and obj.pk and obj.state == "approved":
                return above >= APPROVER or at >= ADMIN
            return at >= REPORTER
        case Action.CHANGE_APPROVED | Action.APPROVE | Action.SET_PLAN:
            return above >= APPROVER or at >= ADMIN
        case Action.MANAGE | Action.VIEW_AUDIT:
            return at >= ADMIN
    return False


def require(user: Any, action: Action, obj: Any = None) -> None:
    """Raise NotFound if the user may not even see `obj`, Forbidden if they may see it but not do this."""
    if may(user, action, obj):
        return
    if obj is not None and action is not Action.VIEW and not may(user, Action.VIEW, obj):
        raise NotFound("Không tìm thấy.", en="Not found.")
    if obj is not None and action is Action.VIEW:
        raise NotFound("Không tìm thấy.", en="Not found.")
    raise Forbidden("Bạn không có quyền làm việc này.", en="You may not do this.")


def may_view_figures(user: Any, unit: OrgUnit) -> bool:
    """Plans, approved results and scorecards of `unit`: viewer at it or above."""
    return _active(user) and (user.is_superuser or rank_at(user, unit) >= VIEWER)


# --- filters for lists: the same rules, as queries ----------------------------------------------------


def _ids_on_paths(user: Any) -> set[int]:
    """The ids of the user's units and of every unit above them (their materialised paths)."""
    return {int(part) for g in grants(user) for part in g.path.strip("/").split("/") if part}


def _paths(user: Any, minimum: int) -> list[str]:
    return [g.path for g in grants(user) if g.rank >= minimum]


def units_q(user: Any, minimum: int = VIEWER, field: str = "org_unit") -> Q:
    """Rows whose `field` unit lies at or below a unit where the user holds at least `minimum`
    (`field=""`: org units themselves)."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    query = Q(pk__in=[])
    for path in _paths(user, minimum):
        query |= Q(**{lookup: path})
    return query


def resolutions_q(user: Any, field: str = "org_unit") -> Q:
    """Resolutions the user may see: owned at or below their units, or owned above a unit of theirs."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    ancestors = _ids_on_paths(user)
    return units_q(user, VIEWER, field) | Q(**{f"{field}_id__in": ancestors})


def results_q(user: Any) -> Q:
    """Results the user may see: approved ones in their subtrees, drafts where they are reporters."""
    return (Q(state="approved") & units_q(user, VIEWER)) | units_q(user, REPORTER)


def visible_units_q(user: Any) -> Q:
    """Org units the user may see: their subtrees and the units above them (for context)."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    ancestors = _ids_on_paths(user)
    return Q(pk__in=ancestors) | units_q(user, VIEWER, field="")
