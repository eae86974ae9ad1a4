"""The API's shapes of plans, results and the scorecard query."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import PlainValidator, WithJsonSchema

from nghiquyet.api.schemas import Figure, Id, Version
from nghiquyet.targets.models import Result, ResultKind, ResultState


# A value as sent: a JSON number is taken as it is; a string is read by the one figure reader
# (figures.values), which refuses what could be read two ways ("1.635").
def _raw_figure(value: Any) -> Decimal | str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)  # every digit sent counts
    raise ValueError("phải là một số, hoặc một chuỗi viết số (a number, or a string holding one)")


RawFigure = Annotated[
    Decimal | str,
    PlainValidator(_raw_figure),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}],
            "description": 'a JSON number (1635, 0.21), or text read strictly ("0,21"; "1.635" is refused as ambiguous)',
        }
    ),
]


class FigureFilters(Schema):
    resolution: str | None = Field(default=None, description="resolution key")
    target_id: Id | None = None
    org_unit_id: Id | None = None
    period: str | None = None


class Cell(Schema):
    """Which figure: ids, or codes (resolution key + target code; unit code read at the period)."""

    target_id: Id | None = None
    resolution: str | None = Field(default=None, max_length=64, description="resolution key, with `target`")
    target: str | None = Field(default=None, max_length=32, description="target code, with `resolution`")
    org_unit_id: Id | None = None
    org_unit: str | None = Field(default=None, max_length=32, description="org unit code, read at the period's dates")
    period: str = Field(max_length=16, examples=["2021"])


class PlanOut(Schema):
    id: int
    target_id: Id
    target_code: str = Field(alias="target.code")
    resolution_key: str = Field(alias="target.resolution.key")
    org_unit_id: Id
    org_unit_code: str = Field(alias="org_unit.code")
    period: str
    value: Figure
    value_max: Figure | None
    updated_at: datetime
    version: int


class PlanIn(Cell):
    value: RawFigure
    value_max: RawFigure | None = None
    version: Version = None


class PlanPatch(Schema):
    value: RawFigure | None = None
    value_max: RawFigure | None = None
    version: Version = None


class ResultOut(PlanOut):
    kind: ResultKind
    state: ResultState
    note: str
    value_max: None = Field(default=None, exclude=True)
    source: str
    recorded_by: str | None

    @staticmethod
    def resolve_recorded_by(result: Result) -> str | None:
        return result.recorded_by.get_username() if result.recorded_by_id else None


class ResultIn(Cell):
    value: RawFigure
    kind: ResultKind = ResultKind.OFFICIAL
    note: str = ""
    version: Version = None


class ResultPatch(Schema):
    value: RawFigure | None = None
    note: str | None = None
    version: Version = None


class ApproveIn(Schema):
    version: Version = None


class ReturnIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)
    version: Version = None


class ScorecardQuery(Schema):
    resolution: str = Field(description="resolution key, e.g. ct-2021")
    org: str = Field(description="org unit code, read at the period's dates, e.g. CT")
    period: str = Field(description="2021, 2021-H1, 2021-Q3, 2021-06 or 2020-2025")
    drafts: bool = Field(default=False, description="count results not yet approved (reporters and above)")


class DataSetOut(Schema):
    resolution: str = Field(alias="resolution.key")
    org_unit: str = Field(alias="org_unit.code")
    org_unit_id: Id
    period: str
    state: str
    note: str
    reopened: bool
    submitted_by: str | None
    submitted_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    version: int

    @staticmethod
    def resolve_submitted_by(data: Any) -> str | None:
        return data.submitted_by.get_username() if data.submitted_by_id else None

    @staticmethod
    def resolve_decided_by(data: Any) -> str | None:
        return data.decided_by.get_username() if data.decided_by_id else None


class DataSetStep(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    WAIVE = "waive"


class DataSetIn(Schema):
    resolution: str = Field(max_length=64, description="resolution key")
    org_unit: str = Field(max_length=32, description="org unit code, read at the period")
    period: str = Field(max_length=16)
    reason: str = Field(default="", max_length=2000, description="required to return, reopen or waive")
    version: Version = None


class DataSetQuery(Schema):
    resolution: str = Field(description="resolution key")
    period: str
    under: str | None = Field(default=None, description="an org unit code: that unit and the units directly below it")
