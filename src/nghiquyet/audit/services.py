"""Recording audit events. Services call `record` for every change; nothing ever edits an event."""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Model

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
