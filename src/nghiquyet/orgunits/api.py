"""/api/v1/org-units: list, read, create, update."""


from datetime import date

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from nghiquyet.accounts.permissions import Action, Forbidden, require, visible_units_q
from nghiquyet.api.schemas import Id, Message, Pages, Version, locked, no_nulls, tagged
from nghiquyet.lib.errors import NotFound
from nghiquyet.orgunits import services
from nghiquyet.orgunits.models import OrgUnit, UnitType

router = Router(tags=["org-units"])


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    unit_type: str
    parent_id: Id | None
    depth: int
    valid_from: date | None
    valid_to: date | None
    predecessor_ids: list[Id]
    version: int

    @staticmethod
    def resolve_predecessor_ids(unit: OrgUnit) -> list[int]:
        return [p.pk for p in unit.predecessors.all()]


class OrgUnitIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=255)
    parent_id: Id | None = None
    level: str = ""
    unit_type: UnitType = UnitType.TERRITORY
    valid_from: date | None = None
    valid_to: date | None = None
    predecessor_ids: list[Id] = []


class OrgUnitPatch(Schema):
    code: str | None = Field(default=None, min_length=1, max_length=32)
    name: str | None = Field(default=None, min_length=1, max_length=255)
    parent_id: Id | None = None
    level: str | None = None
    unit_type: UnitType | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    predecessor_ids: list[Id] | None = None
    version: Version = None


class OrgUnitFilters(Schema):
    code: str | None = None
    parent_id: Id | None = None
    unit_type: UnitType | None = None
    on: date | None = Field(default=None, description="only units valid on this day")
    under: Id | None = Field(default=None, description="only this unit and the units below it")


def _units(request: HttpRequest, ids: list[int], field: str = "predecessor_ids") -> list[OrgUnit]:
    """The units named, among those the user may see: a hidden unit is "not found" like a missing one."""
    units = list(OrgUnit.objects.filter(visible_units_q(request.user), pk__in=ids))
    missing = set(ids) - {u.pk for u in units}
    if missing:
        raise NotFound(f"Không có đơn vị id {sorted(missing)}.", en=f"No org units with ids {sorted(missing)}.", field=field)
    return units


def _parent(request: HttpRequest, parent_id: Id | None) -> OrgUnit | None:
    return _units(request, [parent_id], "parent_id")[0] if parent_id is not None else None


@router.get("/org-units", response=list[OrgUnitOut], summary="List org units")
@paginate(Pages, page_size=100)
def list_org_units(request: HttpRequest, filters: Query[OrgUnitFilters]):
    units = OrgUnit.objects.filter(visible_units_q(request.user)).prefetch_related("predecessors")
    if filters.code:
        units = units.filter(code=filters.code)
    if filters.parent_id is not None:
        units = units.filter(parent_id=filters.parent_id)
    if filters.unit_type:
        units = units.filter(unit_type=filters.unit_type)
    if filters.on:
        units = units.valid_on(filters.on)
    if filters.under is not None:
        units = units.subtree_of(_visible(request, filters.under))
    return units


@router.get("/org-units/{unit_id}", response={200: OrgUnitOut, 404: Message}, summary="Read an org unit (its version also as ETag)")
def read_org_unit(request: HttpRequest, response: HttpResponse, unit_id: Id):
    return tagged(response, _visible(request, unit_id))


def _visible(request: HttpRequest, unit_id: Id) -> OrgUnit:
    """The unit, if the user may see it: 404 otherwise, in the same words whether or not it exists."""
    return _units(request, [unit_id], "unit_id")[0]


@router.post("/org-units", response={201: OrgUnitOut, 400: Message, 403: Message, 404: Message, 409: Message}, summary="Create an org unit")
def create_org_unit(request: HttpRequest, response: HttpResponse, payload: OrgUnitIn):
    parent = _parent(request, payload.parent_id)
    if parent is None and not request.user.is_superuser:
        raise Forbidden("Chỉ quản trị hệ thống tạo được đơn vị cấp cao nhất.", en="Only a superuser may create a top-level unit.")
    require(request.user, Action.MANAGE, parent)
    unit, _ = services.save_org_unit(
        code=payload.code,
        name=payload.name,
        parent=parent,
        level=payload.level,
        unit_type=payload.unit_type,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        predecessors=_units(request, payload.predecessor_ids),
    )
    return Status(201, tagged(response, unit))


# What places a unit in the tree and in time: changed by the level above, not by the unit's own admins
# (who could otherwise move their unit's figures and children out of sight).
PLACE_FIELDS = ("code", "parent_id", "valid_from", "valid_to")


def _require_level_above(request: HttpRequest, unit: OrgUnit) -> None:
    if unit.parent_id is None:
        if not request.user.is_superuser:
            raise Forbidden(
                "Mã, đơn vị cấp trên và thời gian hiệu lực của đơn vị cấp cao nhất chỉ quản trị hệ thống sửa được.",
                en="Only a superuser may change the code, parent or validity of a top-level unit.",
            )
        return
    try:
        require(request.user, Action.MANAGE, unit.parent)
    except Forbidden:
        raise Forbidden(
            f'Mã, đơn vị cấp trên và thời gian hiệu lực của "{unit.code}" do quản trị cấp trên sửa.',
            en=f'The code, parent and validity of "{unit.code}" are changed by the administrators of the level above.',
        ) from None


@router.patch("/org-units/{unit_id}", response={200: OrgUnitOut, 400: Message, 403: Message, 404: Message, 409: Message}, summary="Update an org unit (code, parent and validity: the level above; name the version you read: `version` or If-Match)")
def update_org_unit(request: HttpRequest, response: HttpResponse, unit_id: Id, payload: OrgUnitPatch):
    unit = _visible(request, unit_id)
    require(request.user, Action.MANAGE, unit)
    given = payload.model_dump(exclude_unset=True)
    no_nulls(given, ("code", "name", "unit_type"))
    with transaction.atomic():
        unit = locked(request, unit, given.pop("version", None))
        if any(name in given and given[name] != getattr(unit, name) for name in PLACE_FIELDS):
            _require_level_above(request, unit)
        if "parent_id" in given:
            new_parent = _parent(request, given["parent_id"])
            if new_parent is None and not request.user.is_superuser:
                raise Forbidden("Chỉ quản trị hệ thống đặt được đơn vị cấp cao nhất.", en="Only a superuser may make a unit top-level.")
            require(request.user, Action.MANAGE, new_parent)
        unit, _ = services.save_org_unit(
            unit=unit,
            code=given.get("code", unit.code),
            name=given.get("name", unit.name),
            parent=_parent(request, given["parent_id"]) if "parent_id" in given else unit.parent,
            level=given.get("level", unit.level) or "",
            unit_type=given.get("unit_type") or unit.unit_type,
            valid_from=given.get("valid_from", unit.valid_from),
            valid_to=given.get("valid_to", unit.valid_to),
            predecessors=_units(request, given["predecessor_ids"] or []) if "predecessor_ids" in given else unit.predecessors.all(),
        )
    return tagged(response, unit)
