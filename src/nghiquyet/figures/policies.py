"""Who may see and write plans and results: a figure belongs to its unit. Approved figures are read by
viewers of the unit and above; drafts and returned figures by its reporters and above; an approved figure
is changed only by an approver above the unit or an admin (accounts.permissions.unit_rule)."""

from __future__ import annotations

from typing import Any

from nghiquyet.accounts.permissions import REPORTER, VIEWER, Access, Action, register, unit_rule, units_q
from nghiquyet.figures.reads import Audience
from nghiquyet.targets.models import Plan, Result, ResultState


def plan_rule(access: Access, action: str, plan: Plan) -> bool:
    if action == Action.VIEW:
        return access.rank_at(plan.org_unit) >= VIEWER
    return unit_rule(access, action, plan.org_unit)


def result_rule(access: Access, action: str, result: Result) -> bool:
    approved = result.state == ResultState.APPROVED
    if action == Action.VIEW:
        return access.rank_at(result.org_unit) >= (VIEWER if approved else REPORTER)
    if action == Action.ENTER_RESULT and result.pk and approved:
        return unit_rule(access, Action.CHANGE_APPROVED, result.org_unit)
    return unit_rule(access, action, result.org_unit)


def register_rules() -> None:
    register(Plan, plan_rule)
    register(Result, result_rule)


def audience(user: Any) -> Audience:
    """The figures `user` may read, for the read layer: approved ones in the subtrees where they are
    viewers, drafts where they are reporters."""
    return Audience(approved=units_q(user, VIEWER), drafts=units_q(user, REPORTER))
