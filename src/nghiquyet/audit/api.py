"""/api/v1/audit: the audit trail, for administrators of the units concerned."""

from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from nghiquyet.accounts.permissions import ADMIN, Action, require, units_q
from nghiquyet.api.schemas import Id, Pages
from nghiquyet.audit.services import events

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor: str
    via: str
    ip: str | None
    action: str
    object_type: str
    object_id: str
    summary: str
    org_unit_id: Id | None
    old: dict | list | None
    new: dict | list | None

    @staticmethod
    def resolve_at(event: Any) -> datetime:
        return timezone.localtime(event.at)  # Vietnam's time, with its offset (+07:00), as on the page and the CLI


class AuditFilters(Schema):
    since: date | None = None
    user: str | None = Field(default=None, description="actor: a username, or cli:NAME")
    action: str | None = None
    object_type: str | None = None


def visible_events(user) -> Q:
    """Superusers see every event; a unit administrator the events about objects in their units and
    below, and nothing else: not the other events of people who hold a role there (granting someone a
    role never widens what the granter can read; docs/security.md)."""
    return units_q(user, ADMIN)


@router.get("/audit", response=list[AuditEventOut], summary="Audit events (administrators of the units concerned)")
@paginate(Pages, page_size=100)
def list_audit(request: HttpRequest, filters: Query[AuditFilters]):
    require(request.user, Action.VIEW_AUDIT)
    return events(visible_events(request.user), since=filters.since, actor=filters.user, action=filters.action, object_type=filters.object_type)
