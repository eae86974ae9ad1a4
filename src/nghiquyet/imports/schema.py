"""The import format: sheet kinds, their columns, and the headers people write for them.

English keys are canonical; Vietnamese headers are matched without case or diacritics (lib.vnparse.fold).
docs/import-format.md describes the same table for people; test_schema_doc keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from nghiquyet.lib.vnparse import fold


@dataclass(frozen=True)
class Column:
    key: str
    required: bool
    headers: tuple[str, ...]  # accepted header texts besides the key, Vietnamese first
    help_vi: str
    info: bool = False  # shown for the reader (a template's plan, last year's value), never written


@dataclass(frozen=True)
class SheetKind:
    key: str
    title_vi: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def _c(key: str, required: bool, help_vi: str, *headers: str) -> Column:
    return Column(key, required, headers, help_vi)


def _info(key: str, help_vi: str, *headers: str) -> Column:
    return Column(key, False, headers, help_vi, info=True)


ORG_UNITS = SheetKind(
    "org_units",
    "Đơn vị",
    ("don vi", "to chuc", "units", "org units"),
    (
        _c("code", True, "Mã đơn vị", "Mã", "Mã đơn vị"),
        _c("name", True, "Tên đơn vị", "Tên", "Tên đơn vị"),
        _c("parent", False, "Mã đơn vị cấp trên", "Đơn vị cấp trên", "Cấp trên", "Mã cấp trên"),
        _c("level", False, "Nhãn cấp: thành phố, quận, phường…", "Cấp"),
        _c("type", False, "territory | party | department (mặc định territory)", "Loại", "Loại đơn vị"),
        _c("valid_from", False, "Ngày bắt đầu hiệu lực", "Hiệu lực từ", "Từ ngày"),
        _c("valid_to", False, "Ngày hết hiệu lực", "Hiệu lực đến", "Đến ngày"),
        _c("predecessors", False, "Mã các đơn vị tiền thân, cách nhau bởi ;", "Đơn vị tiền thân", "Tiền thân"),
    ),
)

RESOLUTIONS = SheetKind(
    "resolutions",
    "Nghị quyết",
    ("nghi quyet",),
    (
        _c("key", True, "Khóa (chữ thường, số, gạch ngang), duy nhất", "Khóa", "Mã nghị quyết"),
        _c("number", True, "Số hiệu, ví dụ 59-NQ/TW", "Số hiệu", "Số"),
        _c("title", True, "Tên nghị quyết", "Tên", "Tên nghị quyết", "Trích yếu"),
        _c("issuer", False, "Cơ quan ban hành", "Cơ quan ban hành"),
        _c("issued_on", False, "Ngày ban hành", "Ngày ban hành"),
        _c("term", False, "Nhiệm kỳ, ví dụ 2020-2025", "Nhiệm kỳ"),
        _c("org_unit", False, "Mã đơn vị chủ trì (bắt buộc khi tạo mới)", "Đơn vị", "Đơn vị chủ trì"),
        _c("parent", False, "Khóa nghị quyết cấp trên", "Nghị quyết cấp trên"),
        _c("nearly_met", False, "Ngưỡng cơ bản đạt, % kế hoạch (để trống: không dùng)", "Ngưỡng cơ bản đạt"),
        _c("notice", False, "Lưu ý hiển thị, ví dụ: Dữ liệu minh họa", "Lưu ý", "Ghi chú"),
        _c("entry_closes_after_days", False, "Khóa nhập số liệu sau khi hết kỳ bao nhiêu ngày (để trống: không khóa)",
           "Khóa nhập sau (ngày)", "Hạn nhập (ngày)"),
    ),
)

TARGETS = SheetKind(
    "targets",
    "Chỉ tiêu",
    ("chi tieu",),
    (
        _c("resolution", True, "Khóa nghị quyết", "Nghị quyết"),
        _c("code", True, "Mã chỉ tiêu, duy nhất trong nghị quyết", "Mã", "Mã chỉ tiêu", "STT"),
        _c("name", True, "Tên chỉ tiêu", "Tên", "Tên chỉ tiêu"),
        _c("unit", False, "Đơn vị tính", "Đơn vị tính", "ĐVT"),
        _c("direction", True, "increase | decrease | range | band | milestone", "Chiều", "Chiều đánh giá"),
        _c("value_kind", False, "count | percent | money | rate | boolean", "Loại giá trị"),
        _c("accumulation", False, "flow | stock | year_to_date", "Lũy kế", "Cách lũy kế"),
        _c("rollup", False, "sum | ratio | none", "Tổng hợp", "Cách tổng hợp"),
        _c("numerator", False, "Mã chỉ tiêu tử số (rollup = ratio)", "Tử số"),
        _c("denominator", False, "Mã chỉ tiêu mẫu số (rollup = ratio)", "Mẫu số"),
        _c("key_target", False, "Chỉ tiêu chủ yếu: có/không", "Chủ yếu", "Chỉ tiêu chủ yếu"),
        _c("decimals", False, "Số chữ số thập phân hiển thị (0–4)", "Số thập phân"),
    ),
)

PLANS = SheetKind(
    "plans",
    "Kế hoạch",
    ("ke hoach",),
    (
        _c("resolution", True, "Khóa nghị quyết", "Nghị quyết"),
        _c("target", True, "Mã chỉ tiêu", "Chỉ tiêu", "Mã chỉ tiêu"),
        _c("org_unit", True, "Mã đơn vị", "Đơn vị", "Mã đơn vị"),
        _c("period", True, "Kỳ: 2021, 2021-H1, 2021-Q3, 2021-06, 2020-2025", "Kỳ"),
        _c("value", True, "Giá trị kế hoạch (cận dưới với chỉ tiêu khoảng)", "Kế hoạch", "Giá trị"),
        _c("value_max", False, "Cận trên (chỉ tiêu khoảng)", "Cận trên", "Kế hoạch tối đa"),
    ),
)

RESULTS = SheetKind(
    "results",
    "Kết quả",
    ("ket qua", "thuc hien"),
    (
        _c("resolution", True, "Khóa nghị quyết", "Nghị quyết"),
        _c("target", True, "Mã chỉ tiêu", "Chỉ tiêu", "Mã chỉ tiêu"),
        _c("org_unit", True, "Mã đơn vị", "Đơn vị", "Mã đơn vị"),
        _c("period", True, "Kỳ", "Kỳ"),
        _c("value", True, "Giá trị thực hiện", "Thực hiện", "Kết quả", "Giá trị"),
        _c("kind", False, "estimate (ước) | official (chính thức, mặc định)", "Loại", "Loại số liệu"),
        _c("note", False, "Ghi chú", "Ghi chú"),
        # Read by people, skipped by the import: what the template (imports.template) shows beside each row.
        _info("target_name", "Tên chỉ tiêu (để đọc, không nhập)", "Tên chỉ tiêu"),
        _info("measure", "Đơn vị tính (để đọc, không nhập)", "Đơn vị tính", "ĐVT"),
        _info("plan", "Kế hoạch của kỳ (để đọc, không nhập)", "Kế hoạch"),
        _info("plan_max", "Cận trên của kế hoạch (để đọc, không nhập)", "Kế hoạch (cận trên)"),
        _info("last_year", "Cùng kỳ năm trước (để đọc, không nhập)", "Cùng kỳ năm trước"),
    ),
)

KINDS: tuple[SheetKind, ...] = (ORG_UNITS, RESOLUTIONS, TARGETS, PLANS, RESULTS)  # the order they load in


def kind_for_sheet(name: str) -> SheetKind | None:
    """The kind a sheet name stands for: its key or a folded alias ("Kết quả", "ket_qua", "results")."""
    folded = fold(name).replace("_", " ").replace("-", " ")
    for kind in KINDS:
        if folded in {kind.key.replace("_", " "), fold(kind.title_vi), *kind.aliases}:
            return kind
    return None


def header_map(kind: SheetKind) -> dict[str, str]:
    """Folded header text → column key."""
    mapping: dict[str, str] = {}
    for column in kind.columns:
        for text in (column.key, column.key.replace("_", " "), *column.headers):
            mapping.setdefault(fold(text), column.key)
    return mapping
