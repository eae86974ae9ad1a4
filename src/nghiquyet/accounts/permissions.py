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
Each app registers the rules for its own objects (`register(Model, rule)` in its `policies.py`, loaded by
its AppConfig.ready()): accounts holds the org unit and membership rules the others build on, targets the
resolution and target rules, figures the plan and result rules. Grants and the token's scope live in a
request-scoped context (`request_scope`), never on the user object.
Objects a user may not even see are reported as "not found" by the callers, so ids cannot be probed.
Review records (a later issue) will use a grant per review cycle checked here too, never these roles.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
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


VIEWER, REPORTER, APPROVER, ADMIN = (ROLE_RANK[r] for r in (Role.VIEWER, Role.REPORTER, Role.APPROVER, Role.ADMIN))

# Actions a read-only token may take, and the least role an action needs somewhere for "may the user do
# this anywhere?" (list pages, create forms). Apps add their own actions with `register_action`.
READ_ACTIONS: set[str] = {Action.VIEW, Action.VIEW_DRAFTS, Action.VIEW_AUDIT}
ANYWHERE: dict[str, int] = {
    Action.VIEW: VIEWER,
    Action.VIEW_DRAFTS: REPORTER,
    Action.ENTER_RESULT: REPORTER,
    Action.APPROVE: APPROVER,
    Action.SET_PLAN: APPROVER,
    Action.CHANGE_APPROVED: APPROVER,
    Action.MANAGE: ADMIN,
    Action.VIEW_AUDIT: ADMIN,
}


class Forbidden(DomainError):
    """The user may not do this."""


@dataclass(frozen=True)
class Grant:
    unit_id: int
    path: str
    rank: int


# --- per-request state: grants read once, the token's scope ---------------------------------------------


@dataclass
class RequestAccess:
    """What one request knows about access: its API token's scope and the grants it has read."""

    token_scope: str | None = None
    grants: dict[int, list[Grant]] = field(default_factory=dict)


_request: ContextVar[RequestAccess | None] = ContextVar("nghiquyet_access", default=None)


@contextmanager
def request_scope():
    """Around one request (accounts.middleware) or command: grants are read once within it."""
    token = _request.set(RequestAccess())
    try:
        yield _request.get()
    finally:
        _request.reset(token)


@contextmanager
def grants_read_once():
    """Within: each user's grants are read once (in the current request's scope, or a new one). For work
    that must not query while it runs, such as a stream of rows into COPY: read the grants first."""
    if _request.get() is not None:
        yield
        return
    with request_scope():
        yield


def set_token_scope(scope: str) -> None:
    """The request is made with an API token of this scope (api.auth)."""
    state = _request.get()
    if state is None:
        raise RuntimeError("set_token_scope outside a request scope")
    state.token_scope = scope


def grants(user: Any) -> list[Grant]:
    """The user's memberships; read once per request scope, every time outside one."""
    state = _request.get()
    if state is not None and user.pk in state.grants:
        return state.grants[user.pk]
    found = [
        Grant(unit_id, path, ROLE_RANK[Role(role)])
        for unit_id, path, role in Membership.objects.filter(user=user).values_list("org_unit_id", "org_unit__path", "role")
    ]
    if state is not None:
        state.grants[user.pk] = found
    return found


def forget_grants(user: Any) -> None:
    """After memberships change within a request."""
    state = _request.get()
    if state is not None:
        state.grants.pop(user.pk, None)


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


# --- the rules, registered per app ---------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """A user's roles as the rules see them."""

    user: Any

    def rank_at(self, unit: OrgUnit) -> int:
        """The highest role rank the user holds at `unit` or above it; -1 for none."""
        return max((g.rank for g in grants(self.user) if unit.path.startswith(g.path)), default=-1)

    def rank_above(self, unit: OrgUnit) -> int:
        """The highest role rank the user holds strictly above `unit`; -1 for none."""
        return max((g.rank for g in grants(self.user) if unit.path.startswith(g.path) and g.unit_id != unit.pk), default=-1)

    def has_any_role_below(self, unit: OrgUnit) -> bool:
        return any(g.path.startswith(unit.path) for g in grants(self.user))


Rule = Callable[[Access, str, Any], bool]
_rules: dict[type, Rule] = {}


def register(model: type, rule: Rule) -> None:
    """Let `rule(access, action, obj)` decide for objects of `model` (and its subclasses). Each app
    registers the rules of its own objects in its AppConfig.ready(); a type with no rule is refused."""
    _rules[model] = rule


def register_action(action: str, *, anywhere: int, read_only: bool = False) -> None:
    """A new action: the least role it needs somewhere, and whether a read-only token may take it."""
    ANYWHERE[action] = anywhere
    if read_only:
        READ_ACTIONS.add(action)


def rule_for(obj: Any) -> Rule | None:
    for cls in type(obj).__mro__:
        if cls in _rules:
            return _rules[cls]
    return None


def may(user: Any, action: str, obj: Any = None) -> bool:
    """Whether `user` may do `action` on `obj` (None: "anywhere", for list pages and create forms)."""
    if not _active(user):
        return False
    state = _request.get()
    if state is not None and state.token_scope == TokenScope.READ and action not in READ_ACTIONS:
        return False
    if user.is_superuser:
        return True
    if obj is None:
        needed = ANYWHERE.get(action, ADMIN)
        return any(g.rank >= needed for g in grants(user))
    rule = rule_for(obj)
    return rule is not None and rule(Access(user), action, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise NotFound if the user may not even see `obj`, Forbidden if they may see it but not do this."""
    if may(user, action, obj):
        return
    if obj is not None and (action == Action.VIEW or not may(user, Action.VIEW, obj)):
        raise NotFound("Không tìm thấy.", en="Not found.")
    raise Forbidden("Bạn không có quyền làm việc này.", en="You may not do this.")


def unit_rule(access: Access, action: str, unit: OrgUnit) -> bool:
    """The rules on a unit's own figures and administration, which other objects' rules build on."""
    at = access.rank_at(unit)
    match action:
        case Action.VIEW:
            return at >= VIEWER or access.has_any_role_below(unit)
        case Action.VIEW_DRAFTS | Action.ENTER_RESULT:
            return at >= REPORTER
        case Action.CHANGE_APPROVED | Action.APPROVE | Action.SET_PLAN:
            return access.rank_above(unit) >= APPROVER or at >= ADMIN
        case Action.MANAGE | Action.VIEW_AUDIT:
            return at >= ADMIN
    return False


def membership_rule(access: Access, action: str, membership: Membership) -> bool:
    if action == Action.VIEW:
        return access.rank_at(membership.org_unit) >= VIEWER
    return unit_rule(access, action, membership.org_unit)


register(OrgUnit, unit_rule)
register(Membership, membership_rule)


def may_hand_down(user: Any, unit: OrgUnit) -> bool:
    """Plans of the units below `unit`: approver at it or above (SET_PLAN on its children)."""
    return _active(user) and (user.is_superuser or Access(user).rank_at(unit) >= APPROVER)


def may_view_figures(user: Any, unit: OrgUnit) -> bool:
    """Plans, approved results and scorecards of `unit`: viewer at it or above."""
    return _active(user) and (user.is_superuser or Access(user).rank_at(unit) >= VIEWER)


# --- filters for lists: the same rules, as queries ----------------------------------------------------


def _ids_on_paths(user: Any) -> set[int]:
    """The ids of the user's units and of every unit above them (their materialised paths)."""
    return {int(part) for g in grants(user) for part in g.path.strip("/").split("/") if part}


def _paths(user: Any, minimum: int) -> list[str]:
    return [g.path for g in grants(user) if g.rank >= minimum]


# Every row, as a Q that keeps its meaning when combined: `Q() | Q(x)` is Q(x) in Django (an empty Q
# drops out of | and &), which once narrowed a superuser's lists to what the other side named.
EVERY_ROW = ~Q(pk__in=[])


def units_q(user: Any, minimum: int = VIEWER, field: str = "org_unit") -> Q:
    """Rows whose `field` unit lies at or below a unit where the user holds at least `minimum`
    (`field=""`: org units themselves)."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return EVERY_ROW
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
        return EVERY_ROW
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
        return EVERY_ROW
    ancestors = _ids_on_paths(user)
    return Q(pk__in=ancestors) | units_q(user, VIEWER, field="")
