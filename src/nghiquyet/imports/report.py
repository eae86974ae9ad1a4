"""What an import found and did: the problems, each with its place, and the counts per kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from nghiquyet.imports.schema import KINDS

MAX_PROBLEMS = 1000  # kept in full; beyond this only counted


@dataclass(frozen=True)
class Problem:
    sheet: str  # the sheet's name, or the file's name for a problem with the whole file
    row: int | None
    column: str | None
    message: str
    english: str
    whole_file: bool = False

    def text(self, lang: str = "vi") -> str:
        """One line: the place, then the reason (a cell's line breaks would split it)."""
        en = lang == "en"
        where = ("file " if en else "tệp ") if self.whole_file else "sheet "
        parts = [
            f"{where}{self.sheet}",
            self.row and (f"row {self.row}" if en else f"dòng {self.row}"),
            self.column and (f"column {self.column}" if en else f"cột {self.column}"),
        ]
        place = ", ".join(part for part in parts if part)
        reason = self.english if en else self.message
        return f"{place}: {reason}".replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


@dataclass
class ImportReport:
    dry_run: bool = False
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)  # (Vietnamese, English): skipped sheets and columns
    blank: dict[str, list[int]] = field(default_factory=dict)  # sheet → rows of results left empty, skipped

    def skip_blank(self, sheet: str, row: int) -> None:
        self.blank.setdefault(sheet, []).append(row)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    @property
    def rows(self) -> int:
        return self.changes + sum(self.unchanged.values())

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def note_lines(self, lang: str = "vi") -> list[str]:
        return [english if lang == "en" else vietnamese for vietnamese, english in self.notes + self._blank_notes()]

    def _blank_notes(self) -> list[tuple[str, str]]:
        """One line per sheet with empty result values: they were skipped, never written as zero or removed
        (docs/decisions/0013-excel-template.md)."""
        notes = []
        for sheet, rows in self.blank.items():
            shown = ", ".join(str(row) for row in rows[:20]) + (" …" if len(rows) > 20 else "")
            notes.append((
                f"Sheet {sheet}: bỏ qua {len(rows)} dòng chưa có giá trị thực hiện (dòng {shown}).",
                f"Sheet {sheet}: skipped {len(rows)} rows with no value yet (rows {shown}).",
            ))
        return notes

    def summary(self, lang: str = "vi") -> str:
        labels = {kind.key: (kind.title_vi.lower(), kind.key.replace("_", " ")) for kind in KINDS}
        parts = []
        for key, (vi, en) in labels.items():
            created, updated = self.created[key], self.updated[key]
            if created or updated:
                parts.append(f"{vi}: {created} mới, {updated} sửa" if lang != "en" else f"{en}: {created} new, {updated} changed")
        head = f"{self.changes} thay đổi" if lang != "en" else f"{self.changes} changes"
        if self.dry_run:
            head += " (chạy thử, chưa ghi)" if lang != "en" else " (dry run, nothing written)"
        return head + (f" — {'; '.join(parts)}" if parts else "") + "."


class Progress:
    """Told how many rows there are and how many are done; the CLI draws a bar, others ignore it."""

    def start(self, label: str, total: int) -> None: ...
    def advance(self, count: int) -> None: ...
    def finish(self) -> None: ...
