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
