"""/api/v1: resolutions, targets, plans, results and the scorecard."""


from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from nghiquyet.accounts.permissions import (
    Action,
    may,
    may_view_figures,
    require,
    resolutions_q,
    results_q,
    units_q,
)
from nghiquyet.api.schemas import Figure, Id, Message, Pages, no_nulls
from nghiquyet.lib.errors import Conflict, Invalid, NotFound
from nghiquyet.lib.periods import PeriodError, parse_period, parse_term
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import services
from nghiquyet.targets.models import (
    Accumulation,
    Plan,
    Resolution,
    Result,
    ResultKind,
    ResultState,
    Rollup,
    Target,
)
from nghiquyet.targets.rules import Direction, ValueKind
from nghiquyet.targets.scorecard import scorecard_seen_by

router = Router()
TERM_PATTERN = r"^\d{4}\s*[-–]\s*\d{4}$"


def _term(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    try:
        return parse_term(text)
    except PeriodError as error:
        raise Invalid(str(error), en=f'Term "{text}" is not valid; write 2020-2025.', field="term") from None


# --- resolutions ----------------------------------------------------------------------------------------


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
    target_count: int

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


class ResolutionFilters(Schema):
    org_unit_id: Id | None = None
    term: str | None = Field(default=None, pattern=TERM_PATTERN)
    parent_key: str | None = None


def _resolution(key: str, request: HttpRequest) -> Resolution:
    """The resolution, if the user may see it; the same "not found" otherwise, whether or not it exists."""
    resolution = Resolution.objects.select_related("org_unit", "parent").filter(key=key).first()
    if resolution is None or not may(request.user, Action.VIEW, resolution):
        raise NotFound(f'Không tìm thấy nghị quyết có khóa "{key}".', en=f'No resolution with key "{key}".', field="resolution")
    return resolution


def _named(rows: QuerySet, pk: int, field: str, what_vi: str, what_en: str):
    """The object with this id from a request body, or a 404 that names the field."""
    found = rows.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"Không có {what_vi} id {pk}.", en=f"No {what_en} with id {pk}.", field=field)
    return found


def _save_resolution(request: HttpRequest, resolution: Resolution | None, values: dict[str, Any]) -> Resolution:
    no_nulls(values, ("number", "title", "org_unit_id"))
    def current(name: str, default: Any = None) -> Any:
        return values[name] if name in values else (getattr(resolution, name) if resolution else default)

    term = _term(values["term"]) if "term" in values else ((resolution.term_start, resolution.term_end) if resolution else (None, None))
    parent_key = values.get("parent_key", resolution.parent.key if resolution and resolution.parent_id else None)
    org_unit_id = values.get("org_unit_id") or (resolution.org_unit_id if resolution else None)
    org_unit = _named(OrgUnit.objects, org_unit_id, "org_unit_id", "đơn vị", "org unit")
    require(request.user, Action.MANAGE, org_unit)
    parent = services.get_resolution(key=parent_key) if parent_key else None
    if parent is not None:
        require(request.user, Action.VIEW, parent)
    saved, _ = services.save_resolution(
        key=resolution.key if resolution else values["key"],
        number=current("number", ""),
        title=current("title", ""),
        issuer=current("issuer", "") or "",
        issued_on=current("issued_on"),
        term_start=term[0],
        term_end=term[1],
        org_unit=org_unit,
        parent=parent,
        nearly_met_threshold=current("nearly_met_threshold"),
        notice=current("notice", "") or "",
    )
    return _resolution(saved.key, request)


@router.get("/resolutions", response=list[ResolutionOut], tags=["resolutions"], summary="List resolutions")
@paginate(Pages, page_size=50)
def list_resolutions(request: HttpRequest, filters: Query[ResolutionFilters]):
    resolutions = Resolution.objects.filter(resolutions_q(request.user)).select_related("org_unit", "parent").order_by("-term_start", "key")
    if filters.org_unit_id is not None:
        resolutions = resolutions.filter(org_unit_id=filters.org_unit_id)
    if filters.term:
        start, end = _term(filters.term)
        resolutions = resolutions.filter(term_start=start, term_end=end)
    if filters.parent_key:
        resolutions = resolutions.filter(parent__key=filters.parent_key)
    return resolutions


@router.get("/resolutions/{key}", response={200: ResolutionOut, 404: Message}, tags=["resolutions"], summary="Read a resolution")
def read_resolution(request: HttpRequest, key: str):
    return _resolution(key, request)


@router.post("/resolutions", response={201: ResolutionOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["resolutions"], summary="Create a resolution")
def create_resolution(request: HttpRequest, payload: ResolutionIn):
    require(request.user, Action.MANAGE)
    if Resolution.objects.filter(key=payload.key).exists():
        raise Conflict(f'Đã có nghị quyết khóa "{payload.key}".', en=f'A resolution with key "{payload.key}" exists.', field="key")
    return Status(201, _save_resolution(request, None, payload.model_dump()))


@router.patch("/resolutions/{key}", response={200: ResolutionOut, 400: Message, 403: Message, 404: Message}, tags=["resolutions"], summary="Update a resolution")
def update_resolution(request: HttpRequest, key: str, payload: ResolutionPatch):
    resolution = _resolution(key, request)
    require(request.user, Action.MANAGE, resolution)
    return _save_resolution(request, resolution, payload.model_dump(exclude_unset=True))


# --- targets --------------------------------------------------------------------------------------------


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


def _save_target(resolution: Resolution, target: Target | None, values: dict[str, Any]) -> Target:
    no_nulls(values, ("name", "direction", "value_kind", "accumulation", "rollup", "is_key", "decimals"))
    def current(name: str, default: Any = None) -> Any:
        if name in values and values[name] is not None:
            return values[name]
        return getattr(target, name) if target else default

    def related(name: str) -> Target | None:
        code = values.get(f"{name}_code") if f"{name}_code" in values else (getattr(target, name).code if target and getattr(target, f"{name}_id") else None)
        return services.get_target(resolution=resolution, code=code) if code else None

    saved, _ = services.save_target(
        resolution=resolution,
        code=target.code if target else values["code"],
        name=current("name"),
        direction=current("direction"),
        unit=current("unit", ""),
        value_kind=current("value_kind", ValueKind.COUNT),
        accumulation=current("accumulation", Accumulation.FLOW),
        rollup=current("rollup", Rollup.SUM),
        numerator=related("numerator"),
        denominator=related("denominator"),
        is_key=current("is_key", False),
        decimals=current("decimals", 0),
        position=current("position"),
    )
    return saved


@router.get("/resolutions/{key}/targets", response=list[TargetOut], tags=["targets"], summary="List a resolution's targets")
@paginate(Pages, page_size=100)
def list_targets(request: HttpRequest, key: str):
    resolution = _resolution(key, request)
    return resolution.targets.select_related("resolution", "numerator", "denominator").order_by("position", "code")


@router.post("/resolutions/{key}/targets", response={201: TargetOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["targets"], summary="Create a target")
def create_target(request: HttpRequest, key: str, payload: TargetIn):
    resolution = _resolution(key, request)
    require(request.user, Action.MANAGE, resolution)
    if resolution.targets.filter(code=payload.code).exists():
        raise Conflict(f'Nghị quyết đã có chỉ tiêu mã "{payload.code}".', en=f'Target "{payload.code}" exists.', field="code")
    return Status(201, _save_target(resolution, None, payload.model_dump()))


@router.get("/targets/{target_id}", response={200: TargetOut, 404: Message}, tags=["targets"], summary="Read a target")
def read_target(request: HttpRequest, target_id: Id):
    target = get_object_or_404(Target.objects.select_related("resolution__org_unit"), pk=target_id)
    require(request.user, Action.VIEW, target)
    return target


@router.patch("/targets/{target_id}", response={200: TargetOut, 400: Message, 403: Message, 404: Message}, tags=["targets"], summary="Update a target")
def update_target(request: HttpRequest, target_id: Id, payload: TargetPatch):
    target = get_object_or_404(Target.objects.select_related("resolution__org_unit"), pk=target_id)
    require(request.user, Action.MANAGE, target)
    return _save_target(target.resolution, target, payload.model_dump(exclude_unset=True))


# --- plans and results ----------------------------------------------------------------------------------


class FigureFilters(Schema):
    resolution: str | None = Field(default=None, description="resolution key")
    target_id: Id | None = None
    org_unit_id: Id | None = None
    period: str | None = None


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


class PlanIn(Schema):
    target_id: Id
    org_unit_id: Id
    period: str = Field(examples=["2021"])
    value: Decimal
    value_max: Decimal | None = None


class PlanPatch(Schema):
    value: Decimal | None = None
    value_max: Decimal | None = None


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


class ResultIn(Schema):
    target_id: Id
    org_unit_id: Id
    period: str = Field(examples=["2021"])
    value: Decimal
    kind: ResultKind = ResultKind.OFFICIAL
    note: str = ""


class ResultPatch(Schema):
    value: Decimal | None = None
    note: str | None = None


def _filter_figures(queryset, filters: FigureFilters):
    if filters.resolution:
        queryset = queryset.filter(target__resolution__key=filters.resolution)
    if filters.target_id is not None:
        queryset = queryset.filter(target_id=filters.target_id)
    if filters.org_unit_id is not None:
        queryset = queryset.filter(org_unit_id=filters.org_unit_id)
    if filters.period:
        queryset = queryset.filter(period=parse_period(filters.period).code)
    return queryset.select_related("target__resolution", "org_unit").order_by("target__position", "org_unit__path", "period", "id")


def _cell(request: HttpRequest, target_id: Id, org_unit_id: Id) -> tuple[Target, OrgUnit]:
    target = _named(Target.objects.select_related("resolution__org_unit"), target_id, "target_id", "chỉ tiêu", "target")
    require(request.user, Action.VIEW, target)
    unit = _named(OrgUnit.objects, org_unit_id, "org_unit_id", "đơn vị", "org unit")
    require(request.user, Action.VIEW, unit)
    return target, unit


@router.get("/plans", response=list[PlanOut], tags=["plans"], summary="List plans")
@paginate(Pages, page_size=200)
def list_plans(request: HttpRequest, filters: Query[FigureFilters]):
    return _filter_figures(Plan.objects.filter(units_q(request.user)), filters)


@router.get("/plans/{plan_id}", response={200: PlanOut, 404: Message}, tags=["plans"], summary="Read a plan")
def read_plan(request: HttpRequest, plan_id: Id):
    plan = get_object_or_404(Plan.objects.select_related("target__resolution", "org_unit"), pk=plan_id)
    if not may_view_figures(request.user, plan.org_unit):
        raise NotFound("Không tìm thấy.", en="Not found.")
    return plan


@router.post("/plans", response={200: PlanOut, 201: PlanOut, 400: Message, 403: Message, 404: Message}, tags=["plans"], summary="Set a plan (created, or updated if the target, unit and period have one)")
def set_plan(request: HttpRequest, payload: PlanIn):
    target, unit = _cell(request, payload.target_id, payload.org_unit_id)
    require(request.user, Action.SET_PLAN, unit)
    period = parse_period(payload.period)
    existed = Plan.objects.filter(target=target, org_unit=unit, period=period.code).exists()
    plan, _ = services.set_plan(target=target, org_unit=unit, period=period, value=payload.value, value_max=payload.value_max)
    return Status(200 if existed else 201, plan)


@router.patch("/plans/{plan_id}", response={200: PlanOut, 400: Message, 403: Message, 404: Message}, tags=["plans"], summary="Update a plan")
def update_plan(request: HttpRequest, plan_id: Id, payload: PlanPatch):
    plan = get_object_or_404(Plan.objects.select_related("target__resolution", "org_unit"), pk=plan_id)
    if not may_view_figures(request.user, plan.org_unit):
        raise NotFound("Không tìm thấy.", en="Not found.")
    require(request.user, Action.SET_PLAN, plan)
    given = payload.model_dump(exclude_unset=True)
    if "value" in given and given["value"] is None:
        raise Invalid("Kế hoạch không được để trống.", en="value may not be null.", field="value")
    plan, _ = services.set_plan(
        target=plan.target,
        org_unit=plan.org_unit,
        period=parse_period(plan.period),
        value=given.get("value", plan.value),
        value_max=given.get("value_max", plan.value_max),
    )
    return plan


@router.get("/results", response=list[ResultOut], tags=["results"], summary="List results")
@paginate(Pages, page_size=200)
def list_results(request: HttpRequest, filters: Query[FigureFilters], kind: ResultKind | None = None, state: ResultState | None = None):
    results = _filter_figures(Result.objects.filter(results_q(request.user)).select_related("recorded_by"), filters)
    if state:
        results = results.filter(state=state)
    return results.filter(kind=kind) if kind else results


@router.get("/results/{result_id}", response={200: ResultOut, 404: Message}, tags=["results"], summary="Read a result")
def read_result(request: HttpRequest, result_id: Id):
    return _result_for(request, result_id)


@router.post("/results", response={200: ResultOut, 201: ResultOut, 400: Message, 403: Message, 404: Message}, tags=["results"], summary="Record a result (created, or updated if the target, unit, period and kind have one)")
def record_result(request: HttpRequest, payload: ResultIn):
    target, unit = _cell(request, payload.target_id, payload.org_unit_id)
    period = parse_period(payload.period)
    existing = Result.objects.filter(target=target, org_unit=unit, period=period.code, kind=payload.kind).select_related("org_unit").first()
    existed = existing is not None
    require(request.user, Action.ENTER_RESULT, existing or unit)
    result, _ = services.record_result(
        target=target, org_unit=unit, period=period, value=payload.value, kind=payload.kind, note=payload.note,
        user=request.user, state=_entry_state(request, existing),
    )
    return Status(200 if existed else 201, result)


@router.patch("/results/{result_id}", response={200: ResultOut, 400: Message, 403: Message, 404: Message}, tags=["results"], summary="Update a result")
def update_result(request: HttpRequest, result_id: Id, payload: ResultPatch):
    result = _result_for(request, result_id)
    require(request.user, Action.ENTER_RESULT, result)
    given = payload.model_dump(exclude_unset=True)
    if "value" in given and given["value"] is None:
        raise Invalid("Kết quả không được để trống.", en="value may not be null.", field="value")
    state = _entry_state(request, result)
    result, _ = services.record_result(
        target=result.target,
        org_unit=result.org_unit,
        period=parse_period(result.period),
        value=given.get("value", result.value),
        kind=result.kind,
        note=given.get("note", result.note) or "",
        user=request.user,
        state=state,
    )
    return result


def _entry_state(request: HttpRequest, existing: Result | None) -> str:
    """A figure entered here is a draft, unless it corrects an approved one by someone who may."""
    if existing is not None and existing.state == ResultState.APPROVED and may(request.user, Action.CHANGE_APPROVED, existing):
        return ResultState.APPROVED
    return ResultState.DRAFT


class ReturnIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


def _result_for(request: HttpRequest, result_id: Id) -> Result:
    """The result, if the user may see it (404 otherwise, whether or not it exists)."""
    result = get_object_or_404(Result.objects.select_related("target__resolution", "org_unit", "recorded_by"), pk=result_id)
    require(request.user, Action.VIEW, result)
    return result


@router.post("/results/{result_id}/approve", response={200: ResultOut, 403: Message, 404: Message, 409: Message}, tags=["results"], summary="Approve a result (an approver above its unit)")
def approve_result(request: HttpRequest, result_id: Id):
    result = _result_for(request, result_id)
    require(request.user, Action.APPROVE, result)
    return services.approve_result(result=result)


@router.post("/results/{result_id}/return", response={200: ResultOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["results"], summary="Return a result to its unit, with the reason")
def return_result(request: HttpRequest, result_id: Id, payload: ReturnIn):
    result = _result_for(request, result_id)
    require(request.user, Action.APPROVE, result)
    return services.return_result(result=result, reason=payload.reason)


# --- scorecard ------------------------------------------------------------------------------------------


class ScorecardQuery(Schema):
    resolution: str = Field(description="resolution key, e.g. ct-2021")
    org: str = Field(description="org unit code, read at the period's dates, e.g. CT")
    period: str = Field(description="2021, 2021-H1, 2021-Q3, 2021-06 or 2020-2025")
    drafts: bool = Field(default=False, description="count results not yet approved (reporters and above)")


@router.get("/scorecard", response={200: dict[str, Any], 400: Message, 404: Message}, tags=["scorecard"], summary="The scorecard (same JSON as `nghiquyet scorecard --format json`)")
def scorecard(request: HttpRequest, query: Query[ScorecardQuery]):
    resolution = _resolution(query.resolution, request)
    return scorecard_seen_by(
        user=request.user, resolution=resolution, org_code=query.org, period=query.period, drafts=query.drafts
    ).as_json()
