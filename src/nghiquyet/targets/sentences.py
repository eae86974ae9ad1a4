"""Vietnamese sentences that review reports use, built from figures. Pure, no database."""

from __future__ import annotations

from decimal import Decimal

from nghiquyet.lib.vnformat import format_number, format_percent
from nghiquyet.targets.rules import Summary


def summary_sentence(summary: Summary, lang: str = "vi") -> str:
    """"Thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt" (+ the other states when present)."""
    if lang == "en":
        return _summary_sentence_en(summary)
    total = summary.total
    if total == 0:
        return "Chưa có chỉ tiêu nào."
    parts = [f"Thực hiện đạt và vượt {summary.achieved}/{total} chỉ tiêu"]
    if summary.nearly_met:
        parts.append(f"{summary.nearly_met}/{total} chỉ tiêu cơ bản đạt")
    if summary.not_met:
        parts.append(f"{summary.not_met}/{total} chỉ tiêu không đạt")
    if summary.no_data:
        parts.append(f"{summary.no_data}/{total} chỉ tiêu chưa có số liệu")
    if summary.no_plan:
        parts.append(f"{summary.no_plan}/{total} chỉ tiêu chưa giao kế hoạch")
    return "; ".join(parts) + "."


def _summary_sentence_en(summary: Summary) -> str:
    total = summary.total
    if total == 0:
        return "No targets yet."
    parts = [f"Met or exceeded {summary.achieved} of {total} targets"]
    for count, words in (
        (summary.nearly_met, "nearly met"),
        (summary.not_met, "not met"),
        (summary.no_data, "without data"),
        (summary.no_plan, "without a plan"),
    ):
        if count:
            parts.append(f"{count} of {total} {words}")
    return "; ".join(parts) + "."


def achievement_phrase(actual: Decimal, unit: str, share: Decimal | None, decimals: int = 0, *, met: bool) -> str:
    """"1.635 đảng viên, đạt 102% kế hoạch"."""
    text = f"{format_number(actual, decimals)} {unit}".strip()
    if share is None:
        return text
    return f"{text}, đạt {format_percent(share, below_100=not met)} kế hoạch"
