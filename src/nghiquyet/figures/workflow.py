"""The workflow state a result gets from who writes it. Pure: no database.

| who writes | the result before | its state after a change of value or note |
|---|---|---|
| a trusted road (the command line, a system administrator's import) | anything | approved |
| a person (web, API, upload) | none, draft, returned | draft |
| a person who may correct approved figures (approver above, admin) | approved | approved |
| anyone else | approved | refused by the access rules before this is asked |

A write that changes neither the value nor the note changes nothing: the state, and who entered the
figure, stay as they were (re-importing the same file is no change).
"""

from __future__ import annotations

from datetime import date, timedelta

from nghiquyet.lib.errors import Conflict
from nghiquyet.lib.periods import Period
from nghiquyet.targets.models import ResultState


def state_after_write(*, trusted: bool, previous: str | None, may_correct_approved: bool) -> str:
    """The state of a result whose value or note a writer has just changed."""
    if trusted:
        return ResultState.APPROVED
    if previous == ResultState.APPROVED and may_correct_approved:
        return ResultState.APPROVED
    return ResultState.DRAFT


def may_approve_own(*, entered_by: int | None, approver: int | None) -> bool:
    """Four eyes: the person who entered or last changed a figure is not the one who approves it."""
    return entered_by is None or entered_by != approver


def may_approve(state: str) -> bool:
    """Only a figure not yet approved can be approved."""
    return state != ResultState.APPROVED


def may_return(state: str) -> bool:
    """A returned figure stays returned until it is entered again."""
    return state != ResultState.RETURNED


# --- data sets (figures.models.DataSet) --------------------------------------------------------------------
# A unit's figures for a resolution and period, as a whole. Who may take each step is an access rule
# (figures.datasets); here: from which states, to which.
#
# | step    | from                      | to        | who                                            |
# |---------|---------------------------|-----------|------------------------------------------------|
# | submit  | draft, returned           | submitted | a reporter of the unit                         |
# | approve | submitted                 | approved  | an approver above (not who submitted or edited) |
# | return  | submitted                 | returned  | an approver above, with the reason             |
# | reopen  | any but waived            | draft     | an admin (of the unit or above), with the reason; |
# |         |                           |           | also opens a period closed for entry            |
# | waive   | draft, returned           | waived    | an approver above, with the reason             |

SET_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({"draft", "returned"}), "submitted"),
    "approve": (frozenset({"submitted"}), "approved"),
    "return": (frozenset({"submitted"}), "returned"),
    "reopen": (frozenset({"approved", "submitted", "draft", "returned"}), "draft"),
    "waive": (frozenset({"draft", "returned"}), "waived"),
}
LOCKED_SET_STATES = frozenset({"submitted", "approved"})  # no figure changes but through return or reopen
DONE_SET_STATES = frozenset({"approved", "waived"})  # what a parent's approval waits for


def set_step(step: str, state: str) -> str | None:
    """The state a data set moves to by `step` from `state`; None when the step is not open from there."""
    sources, target = SET_STEPS[step]
    return target if state in sources else None


def entry_closed(*, period_end: date, closes_after_days: int | None, today: date, reopened: bool) -> bool:
    """Whether a period is closed for entry: `closes_after_days` after it ends, unless an admin reopened it."""
    return closes_after_days is not None and not reopened and today > period_end + timedelta(days=closes_after_days)


def check_open(*, unit_code: str, period: Period, state: str, reopened: bool, closes_after_days: int | None, today: date) -> None:
    """Refuse (Conflict) a person's change to a unit's figures or causes while its set is submitted or approved,
    or after its period closed for entry."""
    if state in LOCKED_SET_STATES:
        waiting = state == "submitted"
        raise Conflict(
            f'Bộ số liệu của "{unit_code}" kỳ {period.code} '
            + ("đã nộp, đang chờ duyệt: cần cấp trên trả lại mới sửa được." if waiting else "đã duyệt và khóa: cần quản trị mở lại mới sửa được."),
            en=f'The data set of "{unit_code}" for {period.code} is '
            + ("submitted and awaiting approval: the level above must return it first." if waiting else "approved and locked: an admin must reopen it first."),
            field="period",
        )
    if entry_closed(period_end=period.end, closes_after_days=closes_after_days, today=today, reopened=reopened):
        closed = period.end + timedelta(days=closes_after_days + 1)  # type: ignore[operator]
        raise Conflict(
            f"Kỳ {period.code} đã khóa nhập từ ngày {closed:%d/%m/%Y}: cần quản trị mở lại bộ số liệu.",
            en=f"Period {period.code} closed for entry on {closed.isoformat()}: an admin must reopen the data set.",
            field="period",
        )
