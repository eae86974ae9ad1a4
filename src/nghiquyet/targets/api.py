"""/api/v1: resolutions and their targets. Plans, results and the scorecard are in figures.api."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from nghiquyet.accounts.permissions import Action, require, resolutions_q, visible_units_q
from nghiquyet.api.schemas import Id, Message, Pages, locked, named, no_nulls, tagged
from nghiquyet.lib.errors import Conflict
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import services
from nghiquyet.targets.models import Resolution, Target
from nghiquyet.targets.policies import visible_resolution
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


def _save_resolution(request: HttpRequest, key: str, values: dict[str, Any]) -> Resolution:
    """Create or change a resolution with the fields of a request body (a PATCH leaves the others)."""
    no_nulls(values, ("number", "title", "org_unit_id"))
    # null clears a field: an empty text, no date, no threshold
    given = {name: "" if values[name] is None and name in ("issuer", "notice") else values[name] for name in SIMPLE_RESOLUTION_FIELDS if name in values}
    if "term" in values:
        given["term_start"], given["term_end"] = _term(values["term"])
    if "org_unit_id" in values:
        given["org_unit"] = named(OrgUnit.objects.filter(visible_units_q(request.user)), values["org_unit_id"], "org_unit_id", "đơn vị", "org unit")
    unit = given.get("org_unit") or services.get_resolution(key=key).org_unit
    require(request.user, Action.MANAGE, unit)
    if "parent_key" in values:
        given["parent"] = visible_resolution(request.user, values["parent_key"]) if values["parent_key"] else None
    saved, _ = services.update_or_create_resolution(key=key, **given)
    return _resolution(saved.key, request)


SIMPLE_RESOLUTION_FIELDS = ("number", "title", "issuer", "issued_on", "nearly_met_threshold", "notice", "entry_closes_after_days")


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


@router.get("/resolutions/{key}", response={200: ResolutionOut, 404: Message}, tags=["resolutions"], summary="Read a resolution (its version also as ETag)")
def read_resolution(request: HttpRequest, response: HttpResponse, key: str):
    return tagged(response, _resolution(key, request))


@router.post("/resolutions", response={201: ResolutionOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["resolutions"], summary="Create a resolution")
def create_resolution(request: HttpRequest, payload: ResolutionIn):
    require(request.user, Action.MANAGE)
    if Resolution.objects.filter(key=payload.key).exists():
        raise Conflict(f'Đã có nghị quyết khóa "{payload.key}".', en=f'A resolution with key "{payload.key}" exists.', field="key")
    return Status(201, _save_resolution(request, payload.key, payload.model_dump()))


@router.patch("/resolutions/{key}", response={200: ResolutionOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["resolutions"], summary="Update a resolution (name the version you read: `version` or If-Match)")
def update_resolution(request: HttpRequest, response: HttpResponse, key: str, payload: ResolutionPatch):
    resolution = _resolution(key, request)
    require(request.user, Action.MANAGE, resolution)
    given = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        locked(request, resolution, given.pop("version", None))
        return tagged(response, _save_resolution(request, resolution.key, given))


# --- targets --------------------------------------------------------------------------------------------


def _save_target(resolution: Resolution, code: str, values: dict[str, Any]) -> Target:
    """Create or change a target with the fields of a request body (a PATCH leaves the others)."""
    no_nulls(values, ("name", "direction", "value_kind", "accumulation", "rollup", "is_key", "decimals"))
    # null keeps what is stored (a new target: the default)
    given = {name: value for name, value in values.items() if value is not None and name not in ("code", "numerator_code", "denominator_code")}
    for name in ("numerator", "denominator"):
        if f"{name}_code" in values:
            code_of = values[f"{name}_code"]
            given[name] = services.get_target(resolution=resolution, code=code_of) if code_of else None
    saved, _ = services.update_or_create_target(resolution=resolution, code=code, **given)
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
    return Status(201, _save_target(resolution, payload.code, payload.model_dump()))


def _target(request: HttpRequest, target_id: int) -> Target:
    """The target, if the user may see it: 404 otherwise, in the same words whether or not it exists."""
    visible = Target.objects.filter(resolutions_q(request.user, field="resolution__org_unit"))
    return named(visible.select_related("resolution__org_unit"), target_id, "target_id", "chỉ tiêu", "target")


@router.get("/targets/{target_id}", response={200: TargetOut, 404: Message}, tags=["targets"], summary="Read a target (its version also as ETag)")
def read_target(request: HttpRequest, response: HttpResponse, target_id: Id):
    return tagged(response, _target(request, target_id))


@router.patch("/targets/{target_id}", response={200: TargetOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["targets"], summary="Update a target (name the version you read: `version` or If-Match)")
def update_target(request: HttpRequest, response: HttpResponse, target_id: Id, payload: TargetPatch):
    target = _target(request, target_id)
    require(request.user, Action.MANAGE, target)
    given = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        locked(request, target, given.pop("version", None))
        return tagged(response, _save_target(target.resolution, target.code, given))


