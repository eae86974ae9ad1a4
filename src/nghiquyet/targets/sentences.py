"""Vietnamese sentences that review reports use, built from figures. Pure, no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nghiquyet.lib.vnformat import format_change, format_number, format_percent, round_half_up
from nghiquyet.targets.rules import Summary


def summary_sentence(summary: Summary, lang: str = "vi") -> str:
    """"Thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt" (+ the other states when present)."""
    if lang == "en":
        return _summary_sentence_en(summary)
    total = summary.total
    if total == 0:
        return "Chưa có chỉ tiêu nào."
    return "; ".join([f"Thực hiện đạt và vượt {summary.achieved}/{total} chỉ tiêu", *_other_states(summary)]) + "."


def _other_states(summary: Summary, not_met_listing: str = "") -> list[str]:
    """"8/19 chỉ tiêu không đạt", "1/19 chỉ tiêu chưa có số liệu"…: the states after "đạt và vượt", in order,
    each only when it counts something."""
    total = summary.total
    counts = (
        (summary.nearly_met, "chỉ tiêu cơ bản đạt"),
        (summary.not_met, f"chỉ tiêu không đạt{not_met_listing}"),
        (summary.no_data, "chỉ tiêu chưa có số liệu"),
        (summary.no_plan, "chỉ tiêu chưa giao kế hoạch"),
        (summary.in_progress, "chỉ tiêu đang thực hiện (kỳ chưa kết thúc)"),
    )
    return [f"{count}/{total} {words}" for count, words in counts if count]


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
        (summary.in_progress, "in progress (the period is not over)"),
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


def join_vi(items: list[str]) -> str:
    """"A", "A và B", "A, B và C": a Vietnamese list."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + " và " + items[-1]


def comparison_phrase(change: Decimal | None, unit: str | None, previous: str, decimals: int = 2) -> str:
    """"tăng 5,75% so với năm 2020", "giảm 0,5 điểm % so với năm 2020", "bằng năm 2020"; empty without a
    comparison. `previous` names the period compared with ("năm 2020", "cùng kỳ năm 2020")."""
    words = format_change(change, unit, decimals)
    if not words:
        return ""
    return f"bằng {previous}" if words == "không đổi" else f"{words} so với {previous}"


@dataclass(frozen=True)
class NotMet:
    """A target not met, as the report's list names it."""

    name: str
    cause: str = ""  # why, in the reporter's words ("khách quan: dịch bệnh kéo dài")


def review_paragraph(*, subject: str, summary: Summary, not_met: list[NotMet]) -> str:
    """The opening of a review report's figures section: "Năm 2021, Đảng bộ thành phố thực hiện đạt và vượt
    11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt, gồm: A, B và C." — zero and one said plainly, never "0/19 …
    gồm:"."""
    total = summary.total
    if total == 0:
        return f"{subject} chưa có chỉ tiêu nào để đánh giá."
    if summary.achieved == total:
        return f"{subject} thực hiện đạt và vượt toàn bộ {total}/{total} chỉ tiêu."
    names = join_vi([mid_sentence(item.name) for item in not_met])
    listing = f", gồm: {names}" if names and len(not_met) == summary.not_met else ""
    head = f"{subject} thực hiện đạt và vượt {summary.achieved}/{total} chỉ tiêu"
    return "; ".join([head, *_other_states(summary, listing)]) + "."


def mid_sentence(name: str) -> str:
    """A target's name inside a sentence: its first letter small ("tốc độ tăng trưởng…"), unless it opens with
    an acronym ("GRDP bình quân đầu người")."""
    if len(name) > 1 and name[:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def not_met_lines(not_met: list[NotMet]) -> list[str]:
    """The report's section on the targets not met, a line each, with the cause where one was written;
    empty when every target was met."""
    return [f"{item.name}{f' (nguyên nhân {item.cause})' if item.cause else ''}." for item in not_met]


def cumulative_sentence(*, month: int, year: int, value: Decimal, unit: str, decimals: int, plan: Decimal | None,
                        before_value: Decimal | None, before_plan: Decimal | None, lang: str = "vi") -> str:
    """The running total of a year at a month against the year's plan and the same month a year before:
    "Lũy kế đến hết tháng 10/2022: 3.380 tỷ đồng, đạt 66,27% kế hoạch năm (5.100 tỷ đồng); cùng kỳ năm 2021
    đạt 70,24% kế hoạch năm (giảm 3,97 điểm %)." Rates to two decimals, as the scorecard's % of plan; the
    change is between the rates as shown. What is missing is said, never guessed."""
    en = lang == "en"
    locale = "en_US" if en else "vi_VN"

    def amount(figure: Decimal) -> str:
        return f"{format_number(figure, decimals, locale=locale)} {unit}".strip()

    def rate(figure: Decimal, of: Decimal | None) -> Decimal | None:  # as shown: the change is between the shown rates
        return round_half_up(figure / of * 100, 2) if of else None

    now, then = rate(value, plan), rate(before_value, before_plan) if before_value is not None else None
    if en:
        text = f"Year to date, end of {month:02d}/{year}: {amount(value)}"
        text += f", {format_percent(now, 2, locale=locale)} of the year's plan ({amount(plan)})" if now is not None else " (no plan for the year)"
    else:
        text = f"Lũy kế đến hết tháng {month:02d}/{year}: {amount(value)}"
        text += f", đạt {format_percent(now, 2)} kế hoạch năm ({amount(plan)})" if now is not None else " (chưa giao kế hoạch năm)"
    if before_value is None:
        return text + (f"; no figure for the same month of {year - 1}." if en else f"; chưa có số cùng kỳ năm {year - 1}.")
    if now is not None and then is not None:
        change = format_change(now - then, "percentage_points", 2, lang=lang)
        if en:
            return text + f"; same month of {year - 1}: {format_percent(then, 2, locale=locale)} of its plan ({change})."
        return text + f"; cùng kỳ năm {year - 1} đạt {format_percent(then, 2)} kế hoạch năm ({change})."
    growth = format_change((value - before_value) / before_value * 100 if before_value else None, "percent", 2, lang=lang)
    shown = f"{amount(before_value)}" + (f", {growth}" if growth else "")
    return text + (f"; same month of {year - 1}: {shown}." if en else f"; cùng kỳ năm {year - 1}: {shown}.")
