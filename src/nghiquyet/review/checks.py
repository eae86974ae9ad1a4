"""The checks on a group's levels and the meeting's vote, by a rule set (review.rules): the quota, the head
never above the collective, which level a ballot carries, and QĐ 366's year from its quarters. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from nghiquyet.lib.vnformat import format_number
from nghiquyet.review.rules import LEVELS, Level, Rule, RuleSet, level_label, number, points_band

# --- quota, head, ballot, quarters ----------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    rule_id: str
    passed: bool
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule_id, "passed": self.passed, "text": self.text}


ROUNDINGS = {
    "floor": math.floor,
    "ceil": math.ceil,
    "round": lambda x: int(Decimal(x.numerator) / Decimal(x.denominator) + Decimal("0.5")),  # half up, never banker's
}


def quota_limit(rule: Rule, good: int, *, raised: bool = False) -> int:
    """How many "excellent" a group with `good` members rated "good" may have."""
    share = number(rule.params.get("raised_share") if raised and rule.params.get("raised_share") else rule.params["share"])
    return ROUNDINGS[rule.params.get("rounding", "floor")](share * good)


def check_quota(rule_set: RuleSet, levels: list[Level | str], *, raised: bool = False, lang: str = "vi") -> Check:
    """Within one group: the number rated excellent against the share of those rated *good* (exactly good:
    the texts say "of those rated good", not "good and above"), rounded as the rule says (floor by default:
    no rounding rule was found, and floor never lets a group exceed the share)."""
    rule = rule_set.rule("quota")
    counted = [Level(level) for level in levels]
    excellent, good = counted.count(Level.EXCELLENT), counted.count(Level.GOOD)
    if rule is None:
        return Check("quota", True, "No quota in this rule set" if lang == "en" else "Bộ quy tắc không có giới hạn tỷ lệ")
    limit = quota_limit(rule, good, raised=raised)
    share = rule.params.get("raised_share") if raised and rule.params.get("raised_share") else rule.params["share"]
    percent = format_number(Decimal(str(number(share) * 100)), 0, locale="en_US" if lang == "en" else "vi_VN")
    passed = excellent <= limit
    if lang == "en":
        text = (f"{excellent} excellent, {good} good: at most {limit} allowed ({percent}% of {good}, "
                f"rounded {rule.params.get('rounding', 'floor')}) — {'within' if passed else 'over'} the quota {rule.cited(lang)}")
    else:
        text = (f"{excellent} xuất sắc, {good} tốt: tối đa {limit} ({percent}% của {good}, làm tròn "
                f"{ROUNDING_WORDS[rule.params.get('rounding', 'floor')]}) — {'trong' if passed else 'vượt'} giới hạn {rule.cited(lang)}")
    return Check("quota", passed, text)


ROUNDING_WORDS = {"floor": "xuống", "ceil": "lên", "round": "gần nhất"}


def check_head_cap(rule_set: RuleSet, *, head: Level | str, collective: Level | str | None, lang: str = "vi") -> Check:
    """The head's level never above the collective's, where the rule set holds the rule; the collective is
    rated first, so a head rated before it fails too."""
    rule = rule_set.rule("head_cap")
    if rule is None or rule.params.get("enabled", True) is False:
        return Check("head_cap", True, "No head cap in this rule set" if lang == "en" else "Bộ quy tắc không giới hạn mức của người đứng đầu")
    if collective is None:
        text = ("The collective must be rated before its head" if lang == "en" else "Phải xếp loại tập thể trước người đứng đầu")
        return Check("head_cap", False, f"{text} {rule.cited(lang)}")
    head, collective = Level(head), Level(collective)
    passed = head.rank <= collective.rank
    if lang == "en":
        text = f"Head '{level_label(head, 'en')}', collective '{level_label(collective, 'en')}': {'not above' if passed else 'ABOVE'} the collective"
    else:
        text = f"Người đứng đầu \"{level_label(head)}\", tập thể \"{level_label(collective)}\": {'không cao hơn' if passed else 'CAO HƠN'} tập thể"
    return Check("head_cap", passed, f"{text} {rule.cited(lang)}")


@dataclass(frozen=True)
class BallotOutcome:
    level: Level | None  # None: no level carries (the rule set says what happens then)
    counts: dict[str, int]
    denominator: int
    support: dict[str, int]  # votes counted for each level (cumulative where the rule set says so)
    text: str
    when_none_carries: str = "refer"


def ballot_outcome(rule_set: RuleSet, counts: dict[str, int], *, members: int, present: int, lang: str = "vi") -> BallotOutcome:
    """The best level whose support reaches its threshold. Thresholds, their denominator (all members or
    those present) and whether a vote for a higher level counts for the lower ones are the rule set's data."""
    rule = rule_set.rule("ballot")
    params = rule.params if rule else {"denominator": "members", "cumulative": True, "thresholds": {}}
    denominator = members if params.get("denominator", "members") == "members" else present
    support: dict[str, int] = {}
    running = 0
    for level in LEVELS:
        running += counts.get(level, 0)
        support[level] = running if params.get("cumulative", True) else counts.get(level, 0)
    carried = None
    for level in LEVELS[:-1]:
        threshold = params.get("thresholds", {}).get(level)
        if threshold is None or denominator == 0:
            continue
        share = Fraction(support[level], denominator)
        needed = number(threshold["share"])
        if share > needed or (share == needed and not threshold.get("strict", False)):
            carried = level
            break
    if carried is None and denominator and counts.get(Level.NOT_COMPLETED, 0) * 2 > denominator:
        carried = Level.NOT_COMPLETED  # a majority for "not completed" carries it
    base = ("of all members" if params.get("denominator", "members") == "members" else "of those present") if lang == "en" else (
        "trên tổng số thành viên" if params.get("denominator", "members") == "members" else "trên số có mặt")
    if carried is None:
        text = ("No level carries; the competent level decides" if lang == "en"
                else "Không mức nào đủ số phiếu; cấp có thẩm quyền quyết định")
    else:
        text = (f"'{level_label(carried, 'en')}' carries: {support[carried]}/{denominator} {base}" if lang == "en"
                else f"\"{level_label(carried)}\" được thông qua: {support[carried]}/{denominator} phiếu {base}")
    if rule:
        text += f" {rule.cited(lang)}"
    return BallotOutcome(carried, {level.value: counts.get(level, 0) for level in LEVELS}, denominator, support, text,
                         params.get("when_none_carries", "refer"))


def year_points(rule_set: RuleSet, quarters: list[Decimal]) -> Decimal | None:
    """QĐ 366: the year's points from its quarters' points, by the rule set's `quarters` rule (mean by
    default, unverified); None without quarters."""
    if not quarters:
        return None
    rule = rule_set.rule("quarters")
    method = rule.params.get("method", "mean") if rule else "mean"
    if method == "last":
        return quarters[-1]
    if method == "min":
        return min(quarters)
    return (sum(quarters, Decimal(0)) / len(quarters)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def band_of(rule_set: RuleSet, points: Decimal) -> Level | None:
    """The level a score falls in (points only, before conditions); None without a scale."""
    return points_band(rule_set, points) if rule_set.scale else None
