"""The API's shapes of resolutions and targets."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from nghiquyet.api.schemas import Figure, Id, Version
from nghiquyet.targets.models import Accumulation, Resolution, Rollup, Target
from nghiquyet.targets.rules import Direction, ValueKind

TERM_PATTERN = r"^\d{4}\s*[-–]\s*\d{4}$"


class ResolutionOut(Schema):
    key: str
    number: str
    title: str
    issuer: str
    issued_on: date | None
    term: str
    org_unit_id: Id
    org_unit_code: str = Field(alias="org_unit.code")
    parent_key: str | None
    nearly_met_threshold: Figure | None
    notice: str
    entry_closes_after_days: int | None
    target_count: int
    version: int

    @staticmethod
    def resolve_parent_key(resolution: Resolution) -> str | None:
        return resolution.parent.key if resolution.parent_id else None

    @staticmethod
    def resolve_target_count(resolution: Resolution) -> int:
        return resolution.targets.count()


class ResolutionIn(Schema):
    key: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    number: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=500)
    org_unit_id: Id
    issuer: str = ""
    issued_on: date | None = None
    term: str | None = Field(default=None, pattern=TERM_PATTERN, examples=["2020-2025"])
    parent_key: str | None = None
    nearly_met_threshold: Decimal | None = Field(default=None, gt=0, lt=100)
    notice: str = ""
    entry_closes_after_days: int | None = Field(default=None, ge=0, le=366, description="entry closes this many days after a period ends; null: never")


class ResolutionPatch(Schema):
    number: str | None = Field(default=None, min_length=1, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    org_unit_id: Id | None = None
    issuer: str | None = None
    issued_on: date | None = None
    term: str | None = Field(default=None, pattern=TERM_PATTERN)
    parent_key: str | None = None
    nearly_met_threshold: Decimal | None = Field(default=None, gt=0, lt=100)
    notice: str | None = None
    entry_closes_after_days: int | None = Field(default=None, ge=0, le=366)
    version: Version = None


class ResolutionFilters(Schema):
    org_unit_id: Id | None = None
    term: str | None = Field(default=None, pattern=TERM_PATTERN)
    parent_key: str | None = None


class TargetOut(Schema):
    id: int
    resolution_key: str = Field(alias="resolution.key")
    code: str
    name: str
    unit: str
    direction: Direction
    value_kind: ValueKind
    accumulation: Accumulation
    rollup: Rollup
    numerator_code: str | None
    denominator_code: str | None
    is_key: bool
    decimals: int
    position: int
    version: int

    @staticmethod
    def resolve_numerator_code(target: Target) -> str | None:
        return target.numerator.code if target.numerator_id else None

    @staticmethod
    def resolve_denominator_code(target: Target) -> str | None:
        return target.denominator.code if target.denominator_id else None


class TargetIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=500)
    direction: Direction
    unit: str = ""
    value_kind: ValueKind = ValueKind.COUNT
    accumulation: Accumulation = Accumulation.FLOW
    rollup: Rollup = Rollup.SUM
    numerator_code: str | None = None
    denominator_code: str | None = None
    is_key: bool = False
    decimals: int = Field(default=0, ge=0, le=4)
    position: int | None = Field(default=None, ge=0, le=2_147_483_647)


class TargetPatch(Schema):
    version: Version = None
    name: str | None = Field(default=None, min_length=1, max_length=500)
    direction: Direction | None = None
    unit: str | None = None
    value_kind: ValueKind | None = None
    accumulation: Accumulation | None = None
    rollup: Rollup | None = None
    numerator_code: str | None = None
    denominator_code: str | None = None
    is_key: bool | None = None
    decimals: int | None = Field(default=None, ge=0, le=4)
    position: int | None = Field(default=None, ge=0, le=2_147_483_647)
