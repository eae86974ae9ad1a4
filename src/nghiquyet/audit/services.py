"""Recording audit events. Services call `record` for every change; nothing ever edits an event."""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django.db.models import Model, Q, QuerySet

from nghiquyet.audit.context import Actor, current_actor
from nghiquyet.audit.models import AuditEvent


def as_json(value: Any) -> str:
    """An event's old/new values as JSON text, for CSV exports; empty for none."""
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")  # one form for one number: "94.5", never "94.5000"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    return value


def snapshot(instance: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of an instance as JSON-ready values (foreign keys as ids)."""
    return {name: plain(getattr(instance, name)) for name in fields}


def record(
    action: str,
    *,
    obj: Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    summary: str = "",
    org_unit: Any = None,
    old: Any = None,
    new: Any = None,
    actor: Actor | None = None,
) -> AuditEvent:
    """Append one event. `old`/`new` hold the changed values only, never confidential content."""
    actor = actor or current_actor()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEvent.objects.create(
        user=actor.user,
        actor=actor.label[:150],
        via=actor.via,
        ip=actor.ip,
        action=action,
        object_type=object_type,
        object_id=str(object_id or "")[:64],
        summary=summary[:500],
        org_unit=org_unit,
        old=plain(old),
        new=plain(new),
    )


def record_change(instance: Model, *, before: dict[str, Any] | None, fields: Iterable[str], org_unit: Any = None, summary: str = "") -> None:
    """An event for a created (before is None) or changed instance, with the differing fields only."""
    after = snapshot(instance, fields)
    if before is None:
        record("create", obj=instance, org_unit=org_unit, new=after, summary=summary or str(instance))
        return
    changed = [name for name in after if before.get(name) != after[name]]
    if changed:
        record(
            "update",
            obj=instance,
            org_unit=org_unit,
            old={name: before.get(name) for name in changed},
            new={name: after[name] for name in changed},
            summary=summary or str(instance),
        )


class Change(NamedTuple):
    """One change to one object, for `record_changes`: old/new are JSON-ready (see `plain`)."""

    action: str
    object_id: Any
    org_unit_id: int | None
    summary: str
    old: Any
    new: Any


def record_changes(model: type[Model], changes: Iterable[Change], *, actor: Actor | None = None) -> None:
    """Append one event per change to objects of `model`, in bulk (a large import changes many rows)."""
    actor = actor or current_actor()
    object_type = model._meta.label_lower
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                user=actor.user,
                actor=actor.label[:150],
                via=actor.via,
                ip=actor.ip,
                action=change.action,
                object_type=object_type,
                object_id=str(change.object_id)[:64],
                summary=change.summary[:500],
                org_unit_id=change.org_unit_id,
                old=change.old,
                new=change.new,
            )
            for change in changes
        ),
        batch_size=2000,
    )


def events(visible: Q, *, since: datetime.date | None = None, actor: str | None = None, action: str | None = None,
           object_type: str | None = None) -> QuerySet[AuditEvent]:
    """The events a reader may see (`visible`, from audit.api.visible_events), newest first, filtered."""
    found = AuditEvent.objects.filter(visible)
    if since:
        found = found.filter(at__date__gte=since)
    if actor:
        found = found.filter(actor__iexact=actor)
    if action:
        found = found.filter(action=action)
    if object_type:
        found = found.filter(object_type=object_type)
    return found
