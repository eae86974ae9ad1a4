"""The audit trail read as sentences, in Vietnamese or English: "alice sửa kết quả «10 CT-NK-TA 2022»: giá trị
95 → 96; trạng thái bản nháp → đã duyệt." Pure: no database; field labels come in as an argument (the page
reads them from the models' verbose names, audit.services.field_labels).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

# What each action is called, as a verb (Vietnamese, English); the select list of the audit page.
ACTIONS: dict[str, tuple[str, str]] = {
    "create": ("tạo", "created"),
    "update": ("sửa", "changed"),
    "delete": ("xóa", "deleted"),
    "import": ("nhập tệp", "imported"),
    "export": ("xuất", "exported"),
    "login": ("đăng nhập", "logged in"),
    "login_failed": ("đăng nhập không thành công", "failed to log in"),
    "logout": ("đăng xuất", "logged out"),
    "otp_on": ("bật xác thực hai bước", "turned on two-step verification"),
    "otp_off": ("tắt xác thực hai bước", "turned off two-step verification"),
    "password_reset": ("đặt lại mật khẩu", "reset the password of"),
    "revoke": ("thu hồi", "revoked"),
    "token_write": ("ghi bằng khóa API", "wrote with an API token"),
    "rollups": ("tính lại số tổng hợp", "recomputed the roll-ups"),
}

# What each kind of object is called.
OBJECTS: dict[str, tuple[str, str]] = {
    "targets.resolution": ("nghị quyết", "resolution"),
    "targets.target": ("chỉ tiêu", "target"),
    "targets.plan": ("kế hoạch", "plan"),
    "targets.result": ("kết quả", "result"),
    "orgunits.orgunit": ("đơn vị", "org unit"),
    "accounts.membership": ("vai trò", "role"),
    "accounts.apitoken": ("khóa API", "API token"),
    "auth.user": ("tài khoản", "account"),
    "figures.dataset": ("bộ số liệu", "data set"),
    "figures.cause": ("nguyên nhân không đạt", "cause of a target not met"),
    "audit.auditevent": ("nhật ký", "audit trail"),
    "file": ("tệp", "file"),
}

# Stored codes people should read as words.
VALUES: dict[str, tuple[str, str]] = {
    "draft": ("bản nháp", "draft"),
    "returned": ("bị trả lại", "returned"),
    "approved": ("đã duyệt", "approved"),
    "submitted": ("đã nộp", "submitted"),
    "waived": ("miễn báo cáo", "waived"),
    "official": ("chính thức", "official"),
    "estimate": ("ước thực hiện", "estimate"),
    "objective": ("khách quan", "objective"),
    "subjective": ("chủ quan", "subjective"),
    "viewer": ("xem", "viewer"),
    "reporter": ("nhập số liệu", "reporter"),
    "approver": ("duyệt", "approver"),
    "admin": ("quản trị", "admin"),
    "increase": ("càng cao càng tốt", "increase"),
    "decrease": ("càng thấp càng tốt", "decrease"),
}

NUMERIC_FIELDS = {"value", "value_max", "nearly_met_threshold"}  # figures: written the Vietnamese way ("1.635,5")
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class EventText:
    at: datetime
    actor: str
    action: str
    what: str
    summary: str
    changes: list[str]

    @property
    def when(self) -> str:
        return local_time(self.at)

    def sentence(self) -> str:
        head = f"{self.actor} {self.action} {self.what}".strip()
        if self.summary:
            head += f" «{self.summary}»"
        return head + (": " + "; ".join(self.changes) if self.changes else "") + "."


def local_time(at: datetime) -> str:
    """"02/12/2026 23:55:12 +07:00": the time in Vietnam, with its offset, wherever it is shown."""
    local = at.astimezone(LOCAL)
    return local.strftime("%d/%m/%Y %H:%M:%S ") + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]


def word(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    found = table.get(key)
    return (found[1] if lang == "en" else found[0]) if found else key


def describe(*, at: datetime, actor: str, action: str, object_type: str, summary: str, old: Any, new: Any,
             labels: Mapping[str, str], lang: str = "vi") -> EventText:
    """One event in words. `labels`: field name → its label in `lang` ("" leaves the field out)."""
    return EventText(at=at, actor=actor, action=word(ACTIONS, action, lang), what=word(OBJECTS, object_type, lang) if object_type else "",
                     summary=summary, changes=changes(old, new, labels, lang))


def changes(old: Any, new: Any, labels: Mapping[str, str], lang: str = "vi") -> list[str]:
    """"giá trị 95 → 96", "ghi chú: «đã kiểm tra»" (a new object), "trạng thái: bản nháp" (a removed one)."""
    old = old if isinstance(old, dict) else ({} if old is None else {"": old})
    new = new if isinstance(new, dict) else ({} if new is None else {"": new})
    lines = []
    for name in list(dict.fromkeys([*old, *new])):
        label = labels.get(name, name.replace("_", " "))
        if label == "":
            continue  # a reference to another object: the summary names it
        before, after = old.get(name), new.get(name)
        numeric = name in NUMERIC_FIELDS
        if name in old and name in new:
            if before == after:
                continue
            lines.append(f"{label} {_value(before, lang, numeric)} → {_value(after, lang, numeric)}".strip())
        elif name in new:
            if after in (None, "", [], {}):
                continue  # a new object lists what it holds, not its empty fields
            lines.append(f"{label}: {_value(after, lang, numeric)}".strip(": "))
        else:
            lines.append(f"{label}: {_value(before, lang, numeric)}".strip(": "))
    return lines


def _value(value: Any, lang: str, numeric: bool = False) -> str:
    if value is None or value == "":
        return "(trống)" if lang != "en" else "(empty)"
    if isinstance(value, bool):
        return ("có" if value else "không") if lang != "en" else ("yes" if value else "no")
    if numeric and isinstance(value, str | int | float):
        return _number(str(value), lang)
    if isinstance(value, str):
        if value in VALUES:
            return word(VALUES, value, lang)
        return f"«{value[:200]}»" if any(ch.isspace() for ch in value) else value[:200]
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)[:200]


def _number(text: str, lang: str) -> str:
    """Decimal strings as people write them: "1635.5" → "1.635,5" in Vietnamese."""
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return text
    group, point = (",", ".") if lang == "en" else (".", ",")
    grouped = f"{int(whole):,}".replace(",", group)
    return sign + grouped + (point + fraction if fraction else "")
