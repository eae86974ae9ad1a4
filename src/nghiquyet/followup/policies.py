"""Who may see and change conclusions and tasks, on the org tree's roles (accounts.permissions):
- a conclusion is its issuing unit's: its administrators and approvers write it and its items;
- a task is seen by its owner and by viewers of its lead unit, of a supporting unit, or of the conclusion's
  unit (and above);
- its owner and the reporters of its lead unit report progress; its owner, the approvers of its lead unit and
  the conclusion's writers close it; only the conclusion's writers cancel it or change who does what by when."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from nghiquyet.accounts.permissions import (
    APPROVER,
    EVERY_ROW,
    REPORTER,
    VIEWER,
    Access,
    Action,
    register,
    units_q,
)
from nghiquyet.followup.models import Conclusion, Task


class TaskAction:
    REPORT = "task.report"
    CLOSE = "task.close"


def conclusion_rule(access: Access, action: str, conclusion: Conclusion) -> bool:
    rank = access.rank_at(conclusion.org_unit)
    if action == Action.VIEW:
        return rank >= VIEWER or access.has_any_role_below(conclusion.org_unit)
    return rank >= APPROVER  # write it and its items


def task_rule(access: Access, action: str, task: Task) -> bool:
    owner = task.owner_id is not None and task.owner_id == access.user.pk
    writer = task.conclusion is not None and access.rank_at(task.conclusion.org_unit) >= APPROVER or (
        task.conclusion is None and access.rank_at(task.lead_unit) >= APPROVER)
    lead = access.rank_at(task.lead_unit)
    match action:
        case Action.VIEW:
            return owner or writer or lead >= VIEWER or any(access.rank_at(unit) >= VIEWER for unit in task.supporting_units.all()) or (
                task.conclusion is not None and access.rank_at(task.conclusion.org_unit) >= VIEWER)
        case TaskAction.REPORT:
            return owner or lead >= REPORTER or writer
        case TaskAction.CLOSE:
            return owner or lead >= APPROVER or writer
        case Action.MANAGE:
            return writer
    return False


def tasks_q(user: Any) -> Q:
    """The tasks a user may see, as a query (the same rule as task_rule's VIEW)."""
    if user.is_superuser:
        return EVERY_ROW
    return (Q(owner=user) | units_q(user, VIEWER, field="lead_unit") | units_q(user, VIEWER, field="supporting_units")
            | units_q(user, VIEWER, field="conclusion__org_unit"))


def register_rules() -> None:
    register(Conclusion, conclusion_rule)
    register(Task, task_rule)
