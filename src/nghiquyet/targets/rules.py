"""Status rules: is a target exceeded, met, nearly met or not met? Pure, no database.

Every rule is here and table-tested in tests/test_rules.py. The vocabulary mirrors how review reports
speak: "vượt", "đạt", "cơ bản đạt", "không đạt", "đạt 102% kế hoạch", "tăng 5,75% so với cùng kỳ".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Direction(StrEnum):
    INCREASE = "increase"  # higher is better
    DECREASE = "decrease"  # lower is better (poverty rate)
    RANGE = "range"  # [lo, hi], higher is better (GRDP growth 6,5–7%)
    BAND = "band"  # [lo, hi], both sides bad (inflation 3–4%)
    MILESTONE = "milestone"  # done (1) / not done (0)


class ValueKind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"
    RATE = "rate"  # per 10.000 people and the like
    BOOLEAN = "boolean"


class Status(StrEnum):
    EXCEEDED = "exceeded"
    MET = "met"
    NEARLY_MET = "nearly_met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    NO_PLAN = "no_plan"
    IN_PROGRESS = "in_progress"  # a flow or year-to-date figure of a period still running, not there yet


class ChangeUnit(StrEnum):
    PERCENT = "percent"  # relative change, "tăng 5,75%"
    PERCENTAGE_POINTS = "percentage_points"  # for percent-valued targets, "tăng 0,5 điểm %"


STATUS_LABELS_VI: dict[Status, str] = {
    Status.EXCEEDED: "Vượt",
    Status.MET: "Đạt",
    Status.NEARLY_MET: "Cơ bản đạt",
    Status.NOT_MET: "Không đạt",
    Status.NO_DATA: "Chưa có số liệu",
    Status.NO_PLAN: "Chưa giao kế hoạch",
    Status.IN_PROGRESS: "Đang thực hiện",
}

STATUS_LABELS_EN: dict[Status, str] = {
    Status.EXCEEDED: "Exceeded",
    Status.MET: "Met",
    Status.NEARLY_MET: "Nearly met",
    Status.NOT_MET: "Not met",
    Status.NO_DATA: "No data",
    Status.NO_PLAN: "No plan",
    Status.IN_PROGRESS: "In progress",
}

DIRECTION_LABELS_VI: dict[Direction, str] = {
    Direction.INCREASE: "Càng cao càng tốt",
    Direction.DECREASE: "Càng thấp càng tốt",
    Direction.RANGE: "Trong khoảng, cao hơn là vượt",
    Direction.BAND: "Trong khoảng, ngoài khoảng là không đạt",
    Direction.MILESTONE: "Hoàn thành / chưa hoàn thành",
}

DIRECTION_LABELS_EN: dict[Direction, str] = {
    Direction.INCREASE: "Higher is better",
    Direction.DECREASE: "Lower is better",
    Direction.RANGE: "Within a range, above it is exceeded",
    Direction.BAND: "Within a band, outside it is not met",
    Direction.MILESTONE: "Done / not done",
}


def status_label(status: Status, lang: str = "vi") -> str:
    return (STATUS_LABELS_EN if lang == "en" else STATUS_LABELS_VI)[status]


def direction_label(direction: Direction, lang: str = "vi") -> str:
    return (DIRECTION_LABELS_EN if lang == "en" else DIRECTION_LABELS_VI)[direction]


ACHIEVED = frozenset({Status.EXCEEDED, Status.MET})  # "đạt và vượt"

HUNDRED = Decimal(100)


def evaluate(
    *,
    direction: Direction,
    plan: Decimal | None,
    actual: Decimal | None,
    plan_max: Decimal | None = None,
    nearly_met_threshold: Decimal | None = None,
) -> Status:
    """The status of one target: compare the actual value with the plan by the target's direction.

    `nearly_met_threshold` (percent of plan, e.g. 95) is the resolution's "cơ bản đạt" line; it applies
    to increase targets with a positive plan only and is never used when unset.
    """
    if actual is None:
        return Status.NO_DATA
    if plan is None:
        return Status.NO_PLAN
    if direction is Direction.MILESTONE:
        return Status.MET if actual == 1 else Status.NOT_MET
    if direction in (Direction.RANGE, Direction.BAND):
        low, high = plan, plan if plan_max is None else plan_max
        if actual < low:
            return Status.NOT_MET
        if actual <= high:
            return Status.MET
        return Status.EXCEEDED if direction is Direction.RANGE else Status.NOT_MET
    if direction is Direction.DECREASE:
        return _by_sign(plan - actual)
    status = _by_sign(actual - plan)
    if status is Status.NOT_MET and nearly_met_threshold is not None:
        share = percent_of_plan(direction=direction, plan=plan, actual=actual)
        if share is not None and share >= nearly_met_threshold:
            return Status.NEARLY_MET
    return status


def _by_sign(margin: Decimal) -> Status:
    if margin > 0:
        return Status.EXCEEDED
    if margin == 0:
        return Status.MET
    return Status.NOT_MET


def percent_of_plan(*, direction: Direction, plan: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """actual / plan × 100 for increase targets with a positive plan; None in every other case
    (a share of a "lower is better" plan or of a range reads wrong in a report)."""
    if direction is not Direction.INCREASE or plan is None or actual is None or plan <= 0:
        return None
    return actual * HUNDRED / plan


@dataclass(frozen=True)
class Change:
    amount: Decimal
    unit: ChangeUnit


def change_vs_previous(
    *, value_kind: ValueKind, actual: Decimal | None, previous: Decimal | None
) -> Change | None:
    """Change against the same period a year earlier ("so với cùng kỳ").

    Percent-valued targets change in percentage points ("tăng 0,5 điểm %"); others in percent of the
    earlier value ("tăng 5,75%"), which needs a non-zero earlier value. Yes/no targets have no change.
    """
    if actual is None or previous is None or value_kind is ValueKind.BOOLEAN:
        return None
    if value_kind is ValueKind.PERCENT:
        return Change(actual - previous, ChangeUnit.PERCENTAGE_POINTS)
    if previous == 0:
        return None
    return Change((actual - previous) * HUNDRED / abs(previous), ChangeUnit.PERCENT)


@dataclass(frozen=True)
class Summary:
    total: int = 0
    exceeded: int = 0
    met: int = 0
    nearly_met: int = 0
    not_met: int = 0
    no_data: int = 0
    no_plan: int = 0
    in_progress: int = 0

    @property
    def achieved(self) -> int:
        """"Đạt và vượt": exceeded + met."""
        return self.exceeded + self.met

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "exceeded": self.exceeded,
            "met": self.met,
            "nearly_met": self.nearly_met,
            "not_met": self.not_met,
            "no_data": self.no_data,
            "no_plan": self.no_plan,
            "in_progress": self.in_progress,
        }


def summarise(statuses: list[Status]) -> Summary:
    counts = {status: 0 for status in Status}
    for status in statuses:
        counts[status] += 1
    return Summary(total=len(statuses), **{status.value: counts[status] for status in Status})
