"""Who may do what in a review cycle. Not the org tree's rules (accounts.permissions): a cycle's records are
seen only by the people it names (CycleGrant), never by inheritance through the tree and never by being an
administrator or a superuser. Administrators of the cycle's unit set a cycle up (its members, schedule and
grants), which shows them its frame, not its records. Ballots are seen by nobody: only counts, once closed.

Each action lists the cycle roles that may take it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from nghiquyet.accounts.permissions import ADMIN, Access, Forbidden
from nghiquyet.lib.errors import NotFound
from nghiquyet.review.models import CycleGrant, CycleRole, ReviewCycle


class ReviewAction(StrEnum):
    SEE_FRAME = "review.see_frame"        # the cycle's name, schedule, members and who takes part
    SET_UP = "review.set_up"              # change the frame and the grants
    READ_RECORDS = "review.read_records"  # findings, facts, proposed ceiling, closed tallies, decisions
    RECORD_FINDINGS = "review.record_findings"
    RUN_MEETING = "review.run_meeting"    # attendance, opening and closing the questions
    ENTER_PAPER = "review.enter_paper"    # paper ballot totals
    DECIDE = "review.decide"


RECORD_ROLES = set(CycleRole)
ROLES: dict[str, set[str]] = {
    ReviewAction.READ_RECORDS: RECORD_ROLES,
    ReviewAction.RECORD_FINDINGS: {CycleRole.APPRAISER},
    ReviewAction.RUN_MEETING: {CycleRole.APPRAISER},
    ReviewAction.ENTER_PAPER: {CycleRole.COUNTER},
    ReviewAction.DECIDE: {CycleRole.DECIDER},
}


def roles_of(user: Any, cycle: ReviewCycle) -> set[str]:
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return set()
    return set(CycleGrant.objects.filter(cycle=cycle, user=user).values_list("role", flat=True))


def may_set_up(user: Any, cycle_unit: Any) -> bool:
    """An administrator of the cycle's unit or above (or a superuser): the frame only."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return user.is_superuser or Access(user).rank_at(cycle_unit) >= ADMIN


def may_review(user: Any, action: str, cycle: ReviewCycle) -> bool:
    if action == ReviewAction.SET_UP:
        return may_set_up(user, cycle.org_unit)
    if action == ReviewAction.SEE_FRAME:
        return may_set_up(user, cycle.org_unit) or bool(roles_of(user, cycle))
    return bool(roles_of(user, cycle) & ROLES[action])


def require_review(user: Any, action: str, cycle: ReviewCycle) -> None:
    """NotFound when the user may not see the cycle at all (worded as for an unknown key), Forbidden else."""
    if may_review(user, action, cycle):
        return
    if not may_review(user, ReviewAction.SEE_FRAME, cycle):
        raise NotFound(f'Không tìm thấy đợt kiểm điểm "{cycle.key}".', en=f'No review cycle "{cycle.key}".', field="cycle")
    raise Forbidden("Bạn không được giao vai trò này trong đợt kiểm điểm.", en="You hold no such role in this review cycle.")
