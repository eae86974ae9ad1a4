"""/api/v1: roles at org units (memberships) and the caller's own API tokens."""

from datetime import datetime

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from nghiquyet.accounts import services
from nghiquyet.accounts.models import ApiToken, Membership, Role, TokenScope
from nghiquyet.accounts.permissions import (
    ADMIN,
    VIEWER,
    Action,
    forget_grants,
    require,
    units_q,
    visible_units_q,
)
from nghiquyet.api.schemas import Id, Message, Pages, named
from nghiquyet.orgunits.models import OrgUnit

router = Router()


class MembershipOut(Schema):
    id: int
    username: str = Field(alias="user.username")
    org_unit_id: Id
    org_unit_code: str = Field(alias="org_unit.code")
    role: Role
    created_at: datetime


class MembershipIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    org_unit_id: Id
    role: Role


@router.get("/memberships", response=list[MembershipOut], tags=["memberships"], summary="List roles: yours, and those at units you administer")
@paginate(Pages, page_size=100)
def list_memberships(request: HttpRequest, username: str | None = None, org_unit_id: Id | None = None):
    memberships = Membership.objects.filter(units_q(request.user, ADMIN) | _own(request)).select_related("user", "org_unit")
    if username:
        memberships = memberships.filter(user__username__iexact=username)
    if org_unit_id is not None:
        memberships = memberships.filter(org_unit_id=org_unit_id)
    return memberships.order_by("org_unit__path", "user__username", "role")


def _own(request: HttpRequest) -> Q:
    return Q(user_id=request.user.pk)


@router.post("/memberships", response={201: MembershipOut, 400: Message, 403: Message, 404: Message, 409: Message}, tags=["memberships"], summary="Give a user a role at a unit (admins of the unit)")
def create_membership(request: HttpRequest, payload: MembershipIn):
    unit = named(OrgUnit.objects.filter(visible_units_q(request.user)), payload.org_unit_id, "org_unit_id", "đơn vị", "org unit")
    require(request.user, Action.MANAGE, unit)
    membership = services.grant_role(
        user=services.get_user(username=payload.username), org_unit=unit, role=payload.role, granted_by=request.user
    )
    forget_grants(request.user)
    return Status(201, membership)


@router.delete("/memberships/{membership_id}", response={204: None, 403: Message, 404: Message}, tags=["memberships"], summary="Take a role away (admins of the unit)")
def delete_membership(request: HttpRequest, membership_id: Id):
    visible = Membership.objects.filter(units_q(request.user, VIEWER) | _own(request))
    membership = get_object_or_404(visible.select_related("org_unit", "user"), pk=membership_id)
    require(request.user, Action.MANAGE, membership.org_unit)
    services.revoke_role(membership=membership)
    forget_grants(request.user)
    return Status(204, None)


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="shown once; only its hash is stored")


class TokenIn(Schema):
    name: str = Field(default="", max_length=100)
    scope: TokenScope = TokenScope.READ
    expires_at: datetime | None = None


@router.get("/tokens", response=list[TokenOut], tags=["tokens"], summary="Your API tokens")
def list_tokens(request: HttpRequest):
    return ApiToken.objects.filter(user=request.user).order_by("-created_at")


@router.post("/tokens", auth=django_auth, response={201: NewTokenOut, 400: Message}, tags=["tokens"], summary="Create an API token (from a logged-in session only)")
def create_token(request: HttpRequest, payload: TokenIn):
    token, secret = services.create_token(user=request.user, name=payload.name, scope=payload.scope, expires_at=payload.expires_at)
    token.token = secret
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None, 404: Message, 409: Message}, tags=["tokens"], summary="Revoke one of your API tokens")
def revoke_token(request: HttpRequest, token_id: Id):
    services.revoke_token(token=get_object_or_404(ApiToken, pk=token_id, user=request.user))
    return Status(204, None)

