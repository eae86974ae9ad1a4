"""Recording audit events. Services call `record` for every change; nothing ever edits an event."""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from nghiquyet.audit.context import Actor, current_actor
from nghiquyet.audit.models import AuditEvent
from nghiquyet.lib.errors import Stale


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


def last_change(model: type[Model], pk: Any) -> AuditEvent | None:
    """The latest event about one object (who changed it last, and when), if the trail has one."""
    return AuditEvent.objects.filter(object_type=model._meta.label_lower, object_id=str(pk)).order_by("-at", "-id").first()


def refuse_stale(obj: Model, expected: int | None, *, current: int | None = None, what: str = "Dữ liệu",
                 what_en: str = "The data") -> None:
    """Raise Stale when a write names a version (`expected`) other than the object's current one, saying
    who changed it last and when (from the trail, or the object's own `updated_at`)."""
    current = obj.version if current is None else current  # type: ignore[attr-defined]
    if expected is None or expected == current:
        return
    event = last_change(type(obj), obj.pk)
    actor = event.actor if event is not None else None
    at = event.at if event is not None else getattr(obj, "updated_at", None)
    when = timezone.localtime(at).strftime("%H:%M ngày %d/%m/%Y") if at else ""
    when_en = timezone.localtime(at).strftime("%H:%M on %d/%m/%Y") if at else ""
    who = f" bởi {actor}" if actor else ""
    who_en = f" by {actor}" if actor else ""
    raise Stale(
        f"{what} đã được sửa{who} lúc {when} (nay là phiên bản {current}, bạn sửa từ phiên bản {expected}). "
        "Tải lại để xem thay đổi rồi sửa tiếp; không có gì bị ghi đè.",
        en=f"{what_en} was changed{who_en} at {when_en} (now version {current}; you edited version {expected}). "
        "Reload to see the change, then edit again; nothing was overwritten.",
        version=current,
        changed_by=actor,
        changed_at=at.isoformat() if at else None,
    )


def events_about(model: type[Model], ids: Iterable[Any], *, limit: int = 200) -> list[AuditEvent]:
    """The events about these objects of `model`, newest first (a value's history)."""
    keys = [str(pk) for pk in ids]
    if not keys:
        return []
    found = AuditEvent.objects.filter(object_type=model._meta.label_lower, object_id__in=keys).order_by("-at", "-id")
    return list(found[:limit])


def field_labels(object_types: Iterable[str]) -> dict[str, dict[str, str]]:
    """object type ("targets.result") → field name → its label (the model's verbose name, in the active
    language), for the audit page's sentences; types that are no model ("file") get none. References to other
    objects get "" (left out: the event's summary names them, an id would say nothing)."""
    from django.apps import apps

    labels: dict[str, dict[str, str]] = {}
    for object_type in set(object_types):
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            labels[object_type] = {}
            continue
        labels[object_type] = {field.name: "" if field.is_relation else str(field.verbose_name)
                               for field in model._meta.get_fields() if hasattr(field, "verbose_name")}
    return labels


def actors_of(visible: Q, *, limit: int = 300) -> list[str]:
    """Who appears in the events a reader may see, by name (the audit page's select list)."""
    return list(AuditEvent.objects.filter(visible).values_list("actor", flat=True).distinct().order_by("actor")[:limit])
