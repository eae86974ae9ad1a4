"""A conclusion's items from a workbook (the office writes them in Excel), and the blank form to fill.

One sheet, one item per row: the task, its lead unit's code, its supporting units, the owner's login, the
deadline — or "thường xuyên" with a reporting cadence —, the targets ("ct-2021/03"), and for a personnel
vacancy the post and its dates. All or nothing: every problem is named by sheet, row and column, and none
of the items is added while any row is wrong. The file is read by imports.reader (the import's guards
against crafted workbooks apply); formulas and merged cells are refused as the import refuses them."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from nghiquyet.accounts.permissions import Action, Forbidden, may
from nghiquyet.followup import services
from nghiquyet.followup.models import Cadence, Conclusion, Task, TaskKind
from nghiquyet.imports.cells import cell_date, cell_text
from nghiquyet.imports.importer import refused_cells
from nghiquyet.imports.reader import RawSheet, iter_cells, read_file
from nghiquyet.imports.report import Problem
from nghiquyet.lib.errors import DomainError, Invalid
from nghiquyet.lib.vnparse import fold
from nghiquyet.orgunits.services import resolve
from nghiquyet.targets.models import Target

SHEET = "Nhiệm vụ"
COLUMNS = {  # key → (the form's header, the other headers read as it)
    "title": ("Nội dung nhiệm vụ", "nhiệm vụ", "nội dung", "title"),
    "lead_unit": ("Mã đơn vị chủ trì", "đơn vị chủ trì", "chủ trì", "lead unit", "lead_unit"),
    "supporting_units": ("Mã đơn vị phối hợp", "đơn vị phối hợp", "phối hợp", "supporting units", "supporting_units"),
    "owner": ("Người phụ trách (tên đăng nhập)", "người phụ trách", "owner"),
    "deadline": ("Thời hạn", "hạn", "deadline"),
    "cadence": ("Kỳ báo cáo (việc thường xuyên)", "kỳ báo cáo", "cadence"),
    "targets": ("Chỉ tiêu liên quan (nghị quyết/mã)", "chỉ tiêu liên quan", "chỉ tiêu", "targets"),
    "period": ("Kỳ của chỉ tiêu", "period"),
    "post": ("Chức danh còn khuyết", "chức danh", "post"),
    "vacant_since": ("Khuyết từ ngày", "khuyết từ", "vacant since", "vacant_since"),
    "planned_on": ("Dự kiến bổ nhiệm", "planned on", "planned_on"),
}
REQUIRED = ("title", "lead_unit")
# The ways offices write a cadence (followup.rules.CADENCE_WORDS prints one of each).
CADENCE_WORDS = {fold(word): cadence for cadence, words in {
    Cadence.MONTHLY: ("hằng tháng", "hàng tháng", "tháng", "monthly"),
    Cadence.QUARTERLY: ("hằng quý", "hàng quý", "quý", "quarterly"),
    Cadence.HALF_YEARLY: ("6 tháng", "sáu tháng", "6 tháng một lần", "half-yearly", "half_yearly"),
    Cadence.YEARLY: ("hằng năm", "hàng năm", "năm", "yearly"),
}.items() for word in words}
RECURRING = {fold("thường xuyên"), fold("hằng ngày"), "recurring"}
MAX_ITEMS = 500


class ItemsRejected(Invalid):
    """The workbook's problems, each at its place; nothing was added."""

    def __init__(self, problems: list[Problem]) -> None:
        problems = sorted(problems, key=lambda p: p.row or 0)
        shown = problems[:50]
        more = len(problems) - len(shown)
        super().__init__("\n".join([p.text("vi") for p in shown] + ([f"… và {more} lỗi khác."] if more else [])),
                         en="\n".join([p.text("en") for p in shown] + ([f"… and {more} more."] if more else [])), field="file")
        self.problems = problems


@dataclass(frozen=True)
class Item:
    row: int
    fields: dict[str, Any]  # add_task's keywords


def import_items(*, user: Any, conclusion: Conclusion, name: str, content: bytes) -> list[Task]:
    """The items of the workbook added to the conclusion, in its row order; ItemsRejected (all problems) or
    another DomainError and nothing added otherwise."""
    if not may(user, Action.MANAGE, conclusion):
        raise Forbidden("Chỉ người viết kết luận mới thêm nhiệm vụ.", en="Only the conclusion's writers add its items.")
    suffix = Path(name or "nhiem-vu.xlsx").suffix.lower() or ".xlsx"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"nhiem-vu{suffix if suffix in {'.xlsx', '.xls', '.ods', '.csv'} else '.xlsx'}"
        path.write_bytes(content)
        sheets = read_file(path, max_bytes=settings.NGHIQUYET_IMPORT_MAX_BYTES, csv_sheet_name=SHEET)
    sheet = _items_sheet(sheets)
    items, problems = _read(sheet, user=user, conclusion=conclusion)
    if problems:
        raise ItemsRejected(problems)
    made: list[Task] = []
    with transaction.atomic():
        for item in items:
            try:
                made.append(services.add_task(user=user, conclusion=conclusion, **item.fields))
            except DomainError as error:
                problems.append(Problem(sheet.name, item.row, _header(error.field), error.message, error.english))
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ItemsRejected(problems)
    return made


def _items_sheet(sheets: list[RawSheet]) -> RawSheet:
    """The sheet named "Nhiệm vụ", else the first whose header has the task column."""
    titles = {fold(text) for text in COLUMNS["title"]}
    named = [sheet for sheet in sheets if fold(sheet.name) == fold(SHEET)]
    found = named or [sheet for sheet in sheets if any(fold(cell_text(cell)) in titles for cell in sheet.header)]
    if not found:
        raise Invalid(f'Không có sheet "{SHEET}" hay sheet nào có cột "{COLUMNS["title"][0]}".',
                      en=f'No sheet "{SHEET}" nor any sheet with a "{COLUMNS["title"][0]}" column.', field="file")
    return found[0]


def _header(field: str | None) -> str | None:
    return COLUMNS[field][0] if field in COLUMNS else field


def _positions(sheet: RawSheet) -> tuple[dict[str, int], list[Problem]]:
    known = {fold(text): key for key, texts in COLUMNS.items() for text in texts}
    positions: dict[str, int] = {}
    for index, cell in enumerate(sheet.header):
        key = known.get(fold(cell_text(cell)))
        if key and key not in positions:
            positions[key] = index
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in positions]
    return positions, [Problem(sheet.name, 1, header, f'Thiếu cột "{header}".', f'The "{header}" column is missing.') for header in missing]


def _read(sheet: RawSheet, *, user: Any, conclusion: Conclusion) -> tuple[list[Item], list[Problem]]:
    positions, problems = _positions(sheet)
    if problems:
        return [], problems
    problems += refused_cells(sheet, {COLUMNS[key][0]: index for key, index in positions.items()})  # as the import refuses them
    items = []
    for row, cells in iter_cells(sheet):
        if len(items) >= MAX_ITEMS:
            problems.append(Problem(sheet.name, row, None, f"Quá {MAX_ITEMS} nhiệm vụ trong một tệp.", f"Over {MAX_ITEMS} items in one file."))
            break
        raw = {key: cells[index] if index < len(cells) else None for key, index in positions.items()}
        fields, errors = item_fields(raw, user=user, conclusion=conclusion)
        problems += [Problem(sheet.name, row, COLUMNS[key][0], error.message, error.english) for key, error in errors]
        items.append(Item(row, fields))
    if not items and not problems:
        problems.append(Problem(sheet.name, None, None, "Sheet không có nhiệm vụ nào.", "The sheet holds no item."))
    return items, problems


def item_fields(raw: dict[str, Any], *, user: Any, conclusion: Conclusion) -> tuple[dict[str, Any], list[tuple[str, DomainError]]]:
    """One item's cells (column key → cell: a workbook's row, or a web form's fields) as add_task's keywords,
    with every cell's mistake (column key, error)."""
    fields: dict[str, Any] = {}
    errors: list[tuple[str, DomainError]] = []
    for key in COLUMNS:
        try:
            fields |= _field(key, raw.get(key), user=user, conclusion=conclusion)
        except DomainError as error:
            errors.append((key, error))
    if fields.pop("recurring", False) and not fields.get("cadence"):
        header = COLUMNS["cadence"][0]
        errors.append(("cadence", Invalid(
            f'Việc thường xuyên cần kỳ báo cáo (hằng tháng, hằng quý, 6 tháng, hằng năm) ở cột "{header}".',
            en=f'A recurring task needs a reporting cadence (monthly, quarterly, half-yearly, yearly) in "{header}".')))
    if fields.get("post") and "kind" not in fields:
        fields["kind"] = TaskKind.VACANCY
    if not errors:  # the task's own rules (deadline or cadence, the units and owner in the conclusion's tree)
        try:
            services.check_task(conclusion=conclusion, **fields)
        except DomainError as error:
            errors.append((error.field if error.field in COLUMNS else "title", error))
    return fields, errors


def _field(key: str, cell: Any, *, user: Any, conclusion: Conclusion) -> dict[str, Any]:
    """One cell as add_task's keywords; Invalid naming nothing (the caller names the place)."""
    text = cell_text(cell).strip() if cell is not None else ""
    on = conclusion.issued_on
    match key:
        case "title" | "post" | "period":
            if key == "title" and not text:
                raise Invalid("Cần nội dung nhiệm vụ.", en="The task needs a title.")
            return {key: text} if text else {}
        case "lead_unit":
            if not text:
                raise Invalid("Cần mã đơn vị chủ trì.", en="The lead unit's code is needed.")
            return {"lead_unit": resolve(code=text, on=on)}
        case "supporting_units":
            return {"supporting_units": [resolve(code=code, on=on) for code in _list(text)]}
        case "owner":
            if not text:
                return {}
            owner = get_user_model().objects.filter(username=text, is_active=True).first()
            if owner is None:
                raise Invalid(f'Không có tài khoản "{text[:60]}".', en=f'No account "{text[:60]}".')
            return {"owner": owner}
        case "deadline":
            if fold(text) in RECURRING:
                return {"recurring": True}
            return {"deadline": cell_date(cell, key)} if text else {}
        case "cadence":
            if not text:
                return {}
            if fold(text) not in CADENCE_WORDS:
                raise Invalid(f'Kỳ báo cáo "{text[:30]}" không có; ghi hằng tháng, hằng quý, 6 tháng hoặc hằng năm.',
                              en=f'No cadence "{text[:30]}"; write monthly, quarterly, half-yearly or yearly.')
            return {"cadence": CADENCE_WORDS[fold(text)]}
        case "targets":
            return {"targets": [_target(item, user) for item in _list(text)]}
        case "vacant_since" | "planned_on":
            return {key: cell_date(cell, key)} if text else {}
    return {}


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", ";").replace("\n", ";").split(";") if part.strip()]


def _target(text: str, user: Any) -> Target:
    key, _slash, code = text.partition("/")
    target = Target.objects.select_related("resolution").filter(resolution__key=key.strip(), code=code.strip()).first() if code else None
    if target is None or not may(user, Action.VIEW, target.resolution):
        raise Invalid(f'Không có chỉ tiêu "{text[:60]}"; ghi khóa nghị quyết/mã chỉ tiêu, ví dụ ct-2021/03.',
                      en=f'No target "{text[:60]}"; write resolution key/target code, e.g. ct-2021/03.')
    return target


def form_workbook() -> bytes:
    """The blank form: the headers, one example row (illustrative), and a sheet that says how to fill it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([texts[0] for texts in COLUMNS.values()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["Bổ nhiệm Giám đốc Sở Tài chính (ví dụ, xóa dòng này)", "CT", "", "", date(2022, 9, 30), "", "", "",
                  "Giám đốc Sở Tài chính", date(2021, 11, 15), date(2022, 9, 30)])
    sheet.append(["Đẩy nhanh giải ngân vốn đầu tư công (ví dụ, xóa dòng này)", "CT", "", "", "thường xuyên", "hằng tháng", "ct-dtc/DTC-01",
                  "2022", "", "", ""])
    for column, width in zip("ABCDEFGHIJK", (50, 16, 20, 22, 12, 16, 26, 12, 28, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    notes = book.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng của sheet «Nhiệm vụ» là một nhiệm vụ của kết luận. Bắt buộc: nội dung và mã đơn vị chủ trì.",
        "Thời hạn: ngày (30/09/2022), hoặc «thường xuyên» kèm kỳ báo cáo (hằng tháng, hằng quý, 6 tháng, hằng năm).",
        "Đơn vị phối hợp, chỉ tiêu liên quan: nhiều giá trị cách nhau bằng dấu chấm phẩy. Chỉ tiêu ghi khóa nghị quyết/mã, ví dụ ct-2021/03.",
        "Kiện toàn nhân sự: ghi chức danh còn khuyết (và ngày khuyết, ngày dự kiến bổ nhiệm).",
        "Tệp sai ở đâu thì báo đúng sheet, dòng, cột; chưa nhiệm vụ nào được thêm cho đến khi mọi dòng đúng.",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
