"""/api/v1: plans, results (list, read, write, approve, return) and the scorecard, over the figure-write
service and the read layer."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from nghiquyet.accounts.permissions import Action, require, resolutions_q, results_q, units_q, visible_units_q
from nghiquyet.api.schemas import Id, Message, Pages, named, tagged, version_of
from nghiquyet.figures import datasets, writes
from nghiquyet.figures.batch import Entry
from nghiquyet.figures.completeness import units_for
from nghiquyet.figures.schemas import (
    ApproveIn,
    Cell,
    DataSetIn,
    DataSetOut,
    DataSetQuery,
    DataSetStep,
    FigureFilters,
    PlanIn,
    PlanOut,
    PlanPatch,
    ResultIn,
    ResultOut,
    ResultPatch,
    ReturnIn,
    ScorecardQuery,
)
from nghiquyet.figures.scorecard import scorecard_seen_by
from nghiquyet.lib.errors import Invalid, NotFound
from nghiquyet.lib.periods import Period, parse_period
from nghiquyet.orgunits import services as orgunit_services
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import services as target_services
from nghiquyet.targets.models import Plan, Result, ResultKind, ResultState, Target
from nghiquyet.targets.policies import visible_resolution

router = Router()


def _filter_figures(queryset: QuerySet, filters: FigureFilters) -> QuerySet:
    if filters.resolution:
        queryset = queryset.filter(target__resolution__key=filters.resolution)
    if filters.target_id is not None:
        queryset = queryset.filter(target_id=filters.target_id)
    if filters.org_unit_id is not None:
        queryset = queryset.filter(org_unit_id=filters.org_unit_id)
    if filters.period:
        period = parse_period(filters.period)
        queryset = queryset.filter(period_start=period.start, period_end=period.end)
    return queryset.select_related("target__resolution", "org_unit").order_by("target__position", "org_unit__path", "period", "id")


def _cell(request: HttpRequest, cell: Cell) -> tuple[Target, OrgUnit, Period]:
    """The target, unit and period a request body names, by ids or by codes; what the user may not see
    is "not found" in the same words as what does not exist."""
    period = parse_period(cell.period)
    if cell.target_id is not None:
        visible = Target.objects.filter(resolutions_q(request.user, field="resolution__org_unit"))
        target = named(visible.select_related("resolution__org_unit"), cell.target_id, "target_id", "chỉ tiêu", "target")
    elif cell.resolution and cell.target:
        target = target_services.get_target(resolution=visible_resolution(request.user, cell.resolution), code=cell.target)
    else:
        raise Invalid(
            "Cần target_id, hoặc resolution (khóa nghị quyết) và target (mã chỉ tiêu).",
            en="Give target_id, or resolution (its key) and target (the target's code).",
            field="target_id",
        )
    if cell.org_unit_id is not None:
        unit = named(OrgUnit.objects.filter(visible_units_q(request.user)), cell.org_unit_id, "org_unit_id", "đơn vị", "org unit")
    elif cell.org_unit:
        unit = _unit_seen(request, cell.org_unit, period)
    else:
        raise Invalid("Cần org_unit_id, hoặc org_unit (mã đơn vị).", en="Give org_unit_id, or org_unit (its code).", field="org_unit_id")
    return target, unit, period


def _visible(rows: QuerySet, pk: int, request: HttpRequest) -> Any:
    found = rows.filter(pk=pk).first()
    if found is None:
        raise NotFound("Không tìm thấy.", en="Not found.")
    require(request.user, Action.VIEW, found)
    return found


def _plan_for(request: HttpRequest, plan_id: int) -> Plan:
    return _visible(Plan.objects.select_related("target__resolution__org_unit", "org_unit"), plan_id, request)


def _result_for(request: HttpRequest, result_id: int) -> Result:
    """The result, if the user may see it (404 otherwise, whether or not it exists)."""
    return _visible(Result.objects.select_related("target__resolution__org_unit", "org_unit", "recorded_by"), result_id, request)


def _not_null(given: dict[str, Any], what_vi: str) -> None:
    if "value" in given and given["value"] is None:
        raise Invalid(f"{what_vi} không được để trống.", en="value may not be null.", field="value")


# --- plans ----------------------------------------------------------------------------------------------


@router.get("/plans", response=list[PlanOut], tags=["plans"], summary="List plans")
@paginate(Pages, page_size=200)
def list_plans(request: HttpRequest, filters: Query[FigureFilters]):
    return _filter_figures(Plan.objects.filter(units_q(request.user)), filters)


WRITES = {200: PlanOut, 201: PlanOut, 400: Message, 403: Message, 404: Message, 409: Message}


@router.get("/plans/{plan_id}", response={200: PlanOut, 404: Message}, tags=["plans"], summary="Read a plan (its version also as ETag)")
def read_plan(request: HttpRequest, response: HttpResponse, plan_id: Id):
    return tagged(response, _plan_for(request, plan_id))


@router.post("/plans", response=WRITES, tags=["plans"], summary="Set a plan (created, or updated if the target, unit and period have one)")
def set_plan(request: HttpRequest, response: HttpResponse, payload: PlanIn):
    target, unit, period = _cell(request, payload)
    entry = Entry(target, unit, period, payload.value, value_max=payload.value_max, version=version_of(request, payload.version))
    plan, counts = writes.write_one(model=Plan, entry=entry, writer=writes.Writer.person(request.user))
    return Status(201 if counts.created else 200, tagged(response, plan))


@router.patch("/plans/{plan_id}", response=WRITES, tags=["plans"], summary="Update a plan (name the version you read: `version` or If-Match)")
def update_plan(request: HttpRequest, response: HttpResponse, plan_id: Id, payload: PlanPatch):
    plan = _plan_for(request, plan_id)
    given = payload.model_dump(exclude_unset=True)
    _not_null(given, "Kế hoạch")
    plan, _ = writes.set_plan(
        target=plan.target,
        org_unit=plan.org_unit,
        period=parse_period(plan.period),
        value=given.get("value", plan.value),
        value_max=given.get("value_max", plan.value_max),
        writer=writes.Writer.person(request.user),
        version=version_of(request, payload.version),
    )
    return tagged(response, plan)


# --- results --------------------------------------------------------------------------------------------


@router.get("/results", response=list[ResultOut], tags=["results"], summary="List results")
@paginate(Pages, page_size=200)
def list_results(request: HttpRequest, filters: Query[FigureFilters], kind: ResultKind | None = None, state: ResultState | None = None):
    results = _filter_figures(Result.objects.filter(results_q(request.user)).select_related("recorded_by"), filters)
    if state:
        results = results.filter(state=state)
    return results.filter(kind=kind) if kind else results


RESULT_WRITES = {200: ResultOut, 201: ResultOut, 400: Message, 403: Message, 404: Message, 409: Message}


@router.get("/results/{result_id}", response={200: ResultOut, 404: Message}, tags=["results"], summary="Read a result (its version also as ETag)")
def read_result(request: HttpRequest, response: HttpResponse, result_id: Id):
    return tagged(response, _result_for(request, result_id))


@router.post("/results", response=RESULT_WRITES, tags=["results"], summary="Record a result (created, or updated if the target, unit, period and kind have one)")
def record_result(request: HttpRequest, response: HttpResponse, payload: ResultIn):
    target, unit, period = _cell(request, payload)
    entry = Entry(target, unit, period, payload.value, kind=payload.kind, note=payload.note, version=version_of(request, payload.version))
    result, counts = writes.write_one(model=Result, entry=entry, writer=writes.Writer.person(request.user))
    return Status(201 if counts.created else 200, tagged(response, result))


@router.patch("/results/{result_id}", response=RESULT_WRITES, tags=["results"], summary="Update a result (name the version you read: `version` or If-Match)")
def update_result(request: HttpRequest, response: HttpResponse, result_id: Id, payload: ResultPatch):
    result = _result_for(request, result_id)
    given = payload.model_dump(exclude_unset=True)
    _not_null(given, "Kết quả")
    result, _ = writes.record_result(
        target=result.target,
        org_unit=result.org_unit,
        period=parse_period(result.period),
        value=given.get("value", result.value),
        kind=result.kind,
        note=given.get("note", result.note) or "",
        writer=writes.Writer.person(request.user),
        version=version_of(request, payload.version),
    )
    return tagged(response, result)


APPROVE_BODY = {"requestBody": {"required": False, "content": {"application/json": {"schema": ApproveIn.model_json_schema()}}}}


@router.post("/results/{result_id}/approve", response={200: ResultOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["results"], summary="Approve a result (an approver above its unit, not the one who entered it; name the version you saw: `version` or If-Match)", openapi_extra=APPROVE_BODY)
def approve_result(request: HttpRequest, response: HttpResponse, result_id: Id):
    """The body is optional and read here: an approval posted with no body, or as an empty form, as before
    versions existed, still works."""
    return tagged(response, writes.approve_result(result=_result_for(request, result_id), user=request.user,
                                                  version=version_of(request, _body_version(request))))


def _body_version(request: HttpRequest) -> int | None:
    if not request.META.get("CONTENT_TYPE", "").startswith("application/json") or not request.body.strip():
        return None
    try:
        return ApproveIn.model_validate_json(request.body).version
    except ValueError:
        raise Invalid("Nội dung phải là JSON dạng {\"version\": số}.", en='The body must be JSON: {"version": number}.', field="version") from None


@router.post("/results/{result_id}/return", response={200: ResultOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["results"], summary="Return a result to its unit, with the reason")
def return_result(request: HttpRequest, response: HttpResponse, result_id: Id, payload: ReturnIn):
    version = version_of(request, payload.version)
    return tagged(response, writes.return_result(result=_result_for(request, result_id), reason=payload.reason, user=request.user, version=version))


# --- scorecard ------------------------------------------------------------------------------------------


@router.get("/scorecard", response={200: dict[str, Any], 400: Message, 404: Message}, tags=["scorecard"], summary="The scorecard (same JSON as `nghiquyet scorecard --format json`)")
def scorecard(request: HttpRequest, query: Query[ScorecardQuery]):
    resolution = visible_resolution(request.user, query.resolution)
    return scorecard_seen_by(
        user=request.user, resolution=resolution, org_code=query.org, period=query.period, drafts=query.drafts
    ).as_json()


# --- data sets: a unit's figures for a resolution and period, submitted and approved as a whole -----------


def _unit_seen(request: HttpRequest, code: str, period: Period) -> OrgUnit:
    """The unit a code names at the period, among those the user may see (a hidden one is "not found")."""
    return orgunit_services.resolve(code=code, period=period, among=OrgUnit.objects.filter(visible_units_q(request.user)))


def _set_place(request: HttpRequest, resolution_key: str, org_code: str | None, period_code: str) -> tuple[Any, OrgUnit, Period]:
    """The resolution, unit (by default the resolution's owner) and period a data-set request names."""
    resolution = visible_resolution(request.user, resolution_key)
    period = parse_period(period_code)
    return resolution, _unit_seen(request, org_code or resolution.org_unit.code, period), period


@router.get("/data-sets", response={200: list[DataSetOut], 400: Message, 404: Message}, tags=["data sets"], summary="The data sets of a unit and the units directly below it (completeness): who entered, submitted, was approved")
def list_data_sets(request: HttpRequest, query: Query[DataSetQuery]):
    resolution, unit, period = _set_place(request, query.resolution, query.under, query.period)
    units = units_for(under=unit, period=period, visible=visible_units_q(request.user))
    return datasets.sets_of(resolution=resolution, units=units, period=period)


@router.post("/data-sets/{step}", response={200: DataSetOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["data sets"], summary="Submit, approve, return, reopen or waive a unit's data set (name the version you saw: `version` or If-Match)")
def move_data_set(request: HttpRequest, response: HttpResponse, step: DataSetStep, payload: DataSetIn):
    resolution, unit, period = _set_place(request, payload.resolution, payload.org_unit, payload.period)
    moved = datasets.move(step=step.value, user=request.user, resolution=resolution, org_unit=unit, period=period,
                          reason=payload.reason, version=version_of(request, payload.version))
    return tagged(response, moved)
