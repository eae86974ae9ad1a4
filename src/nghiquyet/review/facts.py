"""Facts for the rating rules (review.rules) from a resolution's scorecard: what share of the targets was met
or exceeded, which key targets were missed. Pure: it reads a Scorecard already made (figures.scorecard).

Counting, as the review reports count ("đạt và vượt 11/19 chỉ tiêu"): a target is *completed* when exceeded
or met; nearly met, not met and still without figures are not. Targets without a plan are left out of the
count (there is nothing to complete). Targets still in progress (the year not over) make the facts
provisional, and the reasons say so; so do targets without figures. See docs/decisions/0018-review-rule-sets.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from nghiquyet.lib.vnformat import format_number
from nghiquyet.targets.rules import Status

COMPLETED = {Status.EXCEEDED, Status.MET}


@dataclass(frozen=True)
class TargetFacts:
    facts: dict[str, Any]
    shown: dict[str, str]  # how each fact reads in a reason: "11/19 chỉ tiêu đạt và vượt"
    notes: list[str] = field(default_factory=list)  # what makes the facts provisional


def from_scorecard(card: Any, *, basic_codes: tuple[str, ...] = (), lang: str = "vi") -> TargetFacts:
    """targets_completed_share, targets_exceeded_share, key_targets_missed and, where the cycle names the
    basic targets (QĐ 366), basic_targets_missed; with the sentences that show them."""
    counted = [row for row in card.rows if row.status != Status.NO_PLAN]
    total = len(counted)
    completed = [row for row in counted if row.status in COMPLETED]
    exceeded = [row for row in counted if row.status == Status.EXCEEDED]
    key_missed = [row for row in counted if row.target.is_key and row.status not in COMPLETED]
    facts: dict[str, Any] = {}
    shown: dict[str, str] = {}
    notes: list[str] = []
    en = lang == "en"
    if total:
        facts["targets_completed_share"] = Fraction(len(completed), total)
        facts["targets_exceeded_share"] = Fraction(len(exceeded), total)
        facts["key_targets_missed"] = len(key_missed)
        percent = format_number(Decimal(100 * len(completed)) / total, 1, locale="en_US" if en else "vi_VN")
        shown["targets_completed_share"] = (f"{len(completed)}/{total} targets met or exceeded ({percent}%)" if en
                                            else f"đạt và vượt {len(completed)}/{total} chỉ tiêu ({percent}%)")
        shown["targets_exceeded_share"] = (f"{len(exceeded)}/{total} targets exceeded" if en
                                           else f"vượt {len(exceeded)}/{total} chỉ tiêu")
        codes = ", ".join(row.target.code for row in key_missed)
        shown["key_targets_missed"] = ((f"key targets missed: {codes}" if key_missed else "no key target missed") if en
                                       else (f"chỉ tiêu chủ yếu không đạt: {codes}" if key_missed else "không có chỉ tiêu chủ yếu nào không đạt"))
    if basic_codes:
        basic = [row for row in counted if row.target.code in basic_codes]
        missed = [row.target.code for row in basic if row.status not in COMPLETED]
        absent = [code for code in basic_codes if code not in {row.target.code for row in basic}]
        if absent:
            notes.append(f"basic targets not in the scorecard: {', '.join(absent)}" if en
                          else f"chỉ tiêu cơ bản không có trong bảng: {', '.join(absent)}")
        else:
            facts["basic_targets_missed"] = len(missed)
            shown["basic_targets_missed"] = ((f"basic targets missed: {', '.join(missed)}" if missed else "every basic target met") if en
                                             else (f"chỉ tiêu cơ bản không đạt: {', '.join(missed)}" if missed else "đạt cả các chỉ tiêu cơ bản"))
    for status, vi, english in ((Status.NO_DATA, "chưa có số liệu, tính là chưa đạt", "without figures, counted as not met"),
                                (Status.IN_PROGRESS, "đang thực hiện (kỳ chưa kết thúc), tính là chưa đạt",
                                 "in progress (the period is not over), counted as not met")):
        codes = [row.target.code for row in counted if row.status == status]
        if codes:
            notes.append(f"{len(codes)} {'targets' if en else 'chỉ tiêu'} {english if en else vi}: {', '.join(codes)}")
    return TargetFacts(facts, shown, notes)
