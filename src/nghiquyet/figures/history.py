"""A target's value history: every change to its plans and results — who, when, old → new, estimate or
official, state changes — read from the audit trail (the write service records one event per changed
value on every road), limited to the figures the reader may see. Works the same on SQLite and PostgreSQL:
no database triggers, only the events the services wrote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from nghiquyet.accounts.permissions import results_q, units_q
from nghiquyet.audit.services import events_about
from nghiquyet.targets.models import Plan, Result, Target

FIELD_WORDS = {
    "vi": {"value": "giá trị", "value_max": "cận trên", "note": "ghi chú", "state": "trạng thái", "recorded_by": "người nhập",
           "source": "nguồn", "kind": "loại số liệu"},
    "en": {"value": "value", "value_max": "upper bound", "note": "note", "state": "state", "recorded_by": "entered by",
           "source": "source", "kind": "kind"},
}
VALUE_WORDS = {
    "vi": {"approved": "đã duyệt", "draft": "chưa duyệt", "returned": "trả lại", "official": "chính thức", "estimate": "ước thực hiện"},
    "en": {"approved": "approved", "draft": "not approved", "returned": "returned", "official": "official", "estimate": "estimate"},
}
WHAT = {"vi": {Plan: "kế hoạch", Result: "kết quả"}, "en": {Plan: "plan", Result: "result"}}
SHOWN = ("value", "value_max", "note", "state", "kind")  # who entered it is the event's actor; ids say nothing


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime  # local time (Asia/Ho_Chi_Minh), with its offset
    actor: str
    what: str  # "kết quả CT-NK-TA 2022 (chính thức)"
    changes: list[tuple[str, str, str]]  # (field, old, new); old is "" for a new value


def value_history(*, target: Target, user: Any, lang: str = "vi", limit: int = 100) -> list[HistoryEntry]:
    lang = lang if lang in FIELD_WORDS else "vi"
    results = {r.pk: r for r in Result.objects.filter(results_q(user), target=target).select_related("org_unit")}
    plans = {p.pk: p for p in Plan.objects.filter(units_q(user), target=target).select_related("org_unit")}
    entries = []
    for model, rows in ((Result, results), (Plan, plans)):
        for event in events_about(model, rows, limit=limit):
            row = rows.get(int(event.object_id))
            if row is None:
                continue
            kind = f" ({VALUE_WORDS[lang][row.kind]})" if model is Result else ""
            what = f"{WHAT[lang][model]} {row.org_unit.code} {row.period}{kind}"
            entries.append(HistoryEntry(timezone.localtime(event.at), event.actor, what, _changes(event, lang)))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def _changes(event: Any, lang: str) -> list[tuple[str, str, str]]:
    old, new = event.old or {}, event.new or {}
    return [(FIELD_WORDS[lang][name], _shown(old.get(name), lang), _shown(new.get(name), lang))
            for name in SHOWN if name in new and old.get(name) != new.get(name) and (old.get(name) or new.get(name))]


def _shown(value: Any, lang: str) -> str:
    if value is None:
        return ""
    text = str(value)
    if text in VALUE_WORDS[lang]:
        return VALUE_WORDS[lang][text]
    if lang == "vi" and text.replace(".", "", 1).lstrip("-").isdigit():
        return text.replace(".", ",")  # a number as the audit keeps it ("94.5") in Vietnamese ("94,5")
    return text
