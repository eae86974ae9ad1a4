"""Flags for the deciding level where ratings look inflated (never a verdict: the figures are shown):
- everyone rated "good" or better while the collective's targets lag (under LAG_SHARE of them met or exceeded);
- every member's rating the same for SAME_YEARS review years running (this cycle and the earlier ones of the
  same unit, a member matched by account, else by name).
The levels read are the decisions where they exist, else what the vote carried. Thresholds are our choice
(no regulation sets them): docs/decisions/0018-review-rule-sets.md."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from nghiquyet.review.models import Decision, ReviewCycle
from nghiquyet.review.rules import Level, level_label

LAG_SHARE = Fraction(7, 10)
SAME_YEARS = 3


def _levels(cycle: ReviewCycle) -> dict[Any, str]:
    """{member key: level} for the cycle's members with a decision; the key is the account or the name."""
    found = {}
    for decision in Decision.objects.filter(cycle=cycle).exclude(member=None).select_related("member"):
        member = decision.member
        found[("user", member.user_id) if member.user_id else ("name", member.name)] = decision.level
    return found


def inflation_flags(cycle: ReviewCycle, *, levels: dict[Any, str] | None = None, completed_share: Fraction | None = None,
                    shown_share: str = "", lang: str = "vi", reader: Any = None) -> list[dict[str, Any]]:
    """`levels`: this cycle's member levels when not yet decided (the ballot's); `completed_share`: the
    collective's share of targets met or exceeded, with `shown_share` saying it in words ("đạt và vượt 11/19");
    `reader`: the person who will see the flags (None: an operator at the command line)."""
    levels = levels if levels is not None else _levels(cycle)
    flags: list[dict[str, Any]] = []
    en = lang == "en"
    if levels and completed_share is not None and completed_share < LAG_SHARE and all(Level(v).rank >= Level.GOOD.rank for v in levels.values()):
        flags.append({"flag": "all_good_while_targets_lag", "text": (
            f"All {len(levels)} members rated 'good' or better while the targets lag: {shown_share}" if en else
            f"Cả {len(levels)} thành viên được xếp từ \"Hoàn thành tốt nhiệm vụ\" trở lên trong khi chỉ tiêu chưa đạt: {shown_share}")})
    # The same collective's earlier cycles, and only those the reader is named in too (their records are theirs).
    earlier = ReviewCycle.objects.filter(org_unit=cycle.org_unit, collective=cycle.collective, year__lt=cycle.year)
    if reader is not None:
        earlier = earlier.filter(grants__user=reader).distinct()
    history = [cycle, *earlier.order_by("-year")[: SAME_YEARS - 1]]
    years = [levels] + [_levels(earlier) for earlier in history[1:]]
    consecutive = [c.year for c in history] == list(range(cycle.year, cycle.year - len(history), -1))
    same_people = len(history) == SAME_YEARS and consecutive and levels and all(set(levels) == set(year) for year in years)
    if same_people and all(len({year[key] for year in years}) == 1 for key in levels):
        shown = ", ".join(sorted({level_label(level, lang) for level in levels.values()}))
        flags.append({"flag": "ratings_never_vary", "text": (
            f"Every member's rating is the same for {SAME_YEARS} years running ({history[-1].year}–{cycle.year}): {shown}" if en else
            f"Xếp loại của mọi thành viên không đổi {SAME_YEARS} năm liền ({history[-1].year}–{cycle.year}): {shown}")})
    return flags
