"""/api/v1: resolutions and their targets. Plans, results and the scorecard are in figures.api."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from nghiquyet.accounts.permissions import Action, require, resolutions_q
from nghiquyet.api.schemas import Id, Message, Pages, named, no_nulls
from nghiquyet.lib.errors import Conflict
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import services
from nghiquyet.targets.models import Accumulation, Resolution, Rollup, Target
from nghiquyet.targets.policies import visible_resolution
from nghiquyet.targets.rules import ValueKind
from nghiquyet.targets.schemas import (
    ResolutionFilters,
    ResolutionIn,
    ResolutionOut,
    ResolutionPatch,
    TargetIn,
    TargetOut,
    TargetPatch,
)

router = Router()


def _term(text: str | None) -> tuple[int | None, int | None]:
    return services.read_term(text)


# --- resolutions ----------------------------------------------------------------------------------------


def _resolution(key: str, request: HttpRequest) -> Resolution:
    return visible_resolution(request.user, key)


def _save_resolution(request: HttpRequest, resolution: Resolution | None, values: dict[str, Any]) -> Resolution:
    no_nulls(values, ("number", "title", "org_unit_id"))
    def current(name: str, default: Any = None) -> Any:
        return values[name] if name in values else (getattr(resolution, name) if resolution else default)

    term = _term(values["term"]) if "term" in values else ((resolution.term_start, resolution.term_end) if resolution else (None, None))
    parent_key = values.get("parent_key", resolution.parent.key if resolution and resolution.parent_id else None)
    org_unit_id = values.get("org_unit_id") or (resolution.org_unit_id if resolution else None)
    org_unit = named(OrgUnit.objects, org_unit_id, "org_unit_id", "đơn vị", "org unit")
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


