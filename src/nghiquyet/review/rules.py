"""The rating rules of the annual review, evaluated and explained. Pure: no database, no files.

A rule set (review/rule_sets/*.json, loaded by review/rule_files.py) is a list of rules, each with its source
and how sure we are of it. This module answers, from *facts* (numbers and yes/no answers about a collective or
a person, see review/facts.py):
- `ceiling`: the highest level the facts allow, and why (every reason names its rule, source and certainty);
and review.checks, on a group and its vote: the quota, the head's cap, the ballot's outcome, QĐ 366's year
from its quarters.
A fact that nobody has recorded is unknown (None): a test on it is neither true nor false, and the engine says
what it could not check instead of assuming."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from nghiquyet.lib.vnformat import format_number


class Level(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"

    @property
    def rank(self) -> int:
        """Higher is better: excellent 3 … not completed 0."""
        return len(LEVELS) - 1 - LEVELS.index(self)


LEVELS = list(Level)  # best first

LEVEL_LABELS = {
    "vi": {Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ", Level.GOOD: "Hoàn thành tốt nhiệm vụ",
           Level.COMPLETED: "Hoàn thành nhiệm vụ", Level.NOT_COMPLETED: "Không hoàn thành nhiệm vụ"},
    "en": {Level.EXCELLENT: "Excellent", Level.GOOD: "Good", Level.COMPLETED: "Completed",
           Level.NOT_COMPLETED: "Not completed"},
}

CERTAINTY_LABELS = {
    "vi": {"Q": "nguyên văn điều khoản", "S": "theo bản tóm tắt, chưa đối chiếu", "unverified": "chưa kiểm chứng"},
    "en": {"Q": "article text", "S": "secondary summary", "unverified": "not verified"},
}

SUBJECTS = ("collective", "leader", "member")


def level_label(level: Level | str, lang: str = "vi") -> str:
    return LEVEL_LABELS.get(lang, LEVEL_LABELS["vi"])[Level(level)]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str  # level, not_completed, quota, head_cap, order, ballot, task_points, gap, quarters
    text: dict[str, str]
    source: str
    ref: str
    certainty: str  # Q, S, unverified
    level: Level | None = None
    applies_to: tuple[str, ...] = SUBJECTS
    test: Any = None  # a test expression (see module doc), None: no numeric criterion
    params: dict[str, Any] = field(default_factory=dict)  # the rest of the rule's keys (share, rounding, …)

    def says(self, lang: str = "vi") -> str:
        return self.text.get(lang) or self.text["vi"]

    def cited(self, lang: str = "vi") -> str:
        """"(HD 21-HD/BTCTW II.B.3; chưa kiểm chứng)"."""
        return f"({self.source}; {CERTAINTY_LABELS.get(lang, CERTAINTY_LABELS['vi'])[self.certainty]})"


@dataclass(frozen=True)
class RuleSet:
    key: str
    short: str
    regulation: str
    guidance: tuple[str, ...]
    year_from: int
    year_to: int | None
    rules: tuple[Rule, ...]
    scale: dict[str, Any] | None = None
    note: str = ""

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)

    def rule(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def of_kind(self, kind: str, subject: str | None = None) -> list[Rule]:
        return [rule for rule in self.rules if rule.kind == kind and (subject is None or subject in rule.applies_to)]


# --- test expressions -----------------------------------------------------------------------------------

COMPARISONS = {
    "below": lambda value, limit: value < limit,
    "at_most": lambda value, limit: value <= limit,
    "above": lambda value, limit: value > limit,
    "at_least": lambda value, limit: value >= limit,
}


def number(value: Any) -> Fraction:
    """A rule's number: "0.2", "2/3", 50 — exact."""
    return Fraction(str(value)) if not isinstance(value, Fraction) else value


def evaluate(test: Any, facts: dict[str, Any]) -> bool | None:
    """True, False, or None when a fact it needs is unknown (and the others do not settle it)."""
    if "all" in test:
        outcomes = [evaluate(part, facts) for part in test["all"]]
        return False if False in outcomes else (None if None in outcomes else True)
    if "any" in test:
        outcomes = [evaluate(part, facts) for part in test["any"]]
        return True if True in outcomes else (None if None in outcomes else False)
    value = facts.get(test["fact"])
    if value is None:
        return None
    if "is" in test:
        return bool(value) is bool(test["is"])
    (operator, limit), = ((key, test[key]) for key in COMPARISONS if key in test)
    return COMPARISONS[operator](number(value), number(limit))


def facts_in(test: Any) -> list[str]:
    if test is None:
        return []
    if "all" in test or "any" in test:
        return [name for part in test.get("all", test.get("any")) for name in facts_in(part)]
    return [test["fact"]]


# --- the ceiling ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    rule_id: str
    verdict: str  # "rules_out", "triggers", "holds", "unknown", "qualitative", "points", "gap"
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule_id, "verdict": self.verdict, "text": self.text}


@dataclass(frozen=True)
class Ceiling:
    rule_set: str
    level: Level
    reasons: tuple[Reason, ...]
    gap: bool = False  # QĐ 366: no level fits; people decide (the level shown is the best not ruled out by a case)
    points: Decimal | None = None  # QĐ 366: the points used (best case where the general part is not known)

    @property
    def texts(self) -> list[str]:
        return [reason.text for reason in self.reasons]


def _explained(facts: dict[str, Any], shown: dict[str, str], test: Any) -> str:
    parts = [shown[name] for name in dict.fromkeys(facts_in(test)) if name in shown and facts.get(name) is not None]
    return "; ".join(parts)


def _unknown(test: Any, facts: dict[str, Any]) -> list[str]:
    return [name for name in dict.fromkeys(facts_in(test)) if facts.get(name) is None]


FACT_NAMES = {
    "vi": {
        "targets_completed_share": "tỷ lệ chỉ tiêu đạt và vượt", "targets_exceeded_share": "tỷ lệ chỉ tiêu vượt",
        "key_targets_missed": "số chỉ tiêu chủ yếu không đạt", "basic_targets_missed": "5 chỉ tiêu cơ bản",
        "collective_disciplined": "tập thể bị kỷ luật", "leadership_member_disciplined": "thành viên bị kỷ luật",
        "subordinate_units_disciplined_share": "tỷ lệ tổ chức trực thuộc bị kỷ luật",
        "subordinate_unit_disciplined": "tổ chức trực thuộc bị kỷ luật", "corruption_in_scope": "tham nhũng trong phạm vi",
        "disunity": "mất đoàn kết", "members_degraded": "thành viên suy thoái", "shortcomings_fixed": "khắc phục hạn chế kỳ trước",
        "cadre_work_wrongdoing": "sai phạm công tác cán bộ", "points": "điểm", "tasks_late_share": "tỷ lệ nhiệm vụ chậm tiến độ",
        "tasks_on_time_share": "tỷ lệ nhiệm vụ đúng tiến độ", "tasks_exceeded_share": "tỷ lệ nhiệm vụ vượt mức",
        "tasks_not_completed_share": "tỷ lệ nhiệm vụ không hoàn thành", "degraded": "biểu hiện suy thoái",
        "disciplined": "bị kỷ luật", "broke_rules": "vi phạm điều không được làm", "criterion_graded_poor": "tiêu chí bị đánh giá Kém",
        "units_led_not_completed_share": "tỷ lệ đơn vị phụ trách không hoàn thành", "low_confidence_share": "tỷ lệ phiếu tín nhiệm thấp",
    },
    "en": {
        "targets_completed_share": "share of targets met or exceeded", "targets_exceeded_share": "share of targets exceeded",
        "key_targets_missed": "key targets missed", "basic_targets_missed": "the 5 basic targets",
        "collective_disciplined": "collective disciplined", "leadership_member_disciplined": "a member disciplined",
        "subordinate_units_disciplined_share": "share of subordinate units disciplined",
        "subordinate_unit_disciplined": "a subordinate unit disciplined", "corruption_in_scope": "corruption in scope",
        "disunity": "disunity", "members_degraded": "members degraded", "shortcomings_fixed": "last shortcomings fixed",
        "cadre_work_wrongdoing": "wrongdoing in cadre work", "points": "points", "tasks_late_share": "share of tasks late",
        "tasks_on_time_share": "share of tasks on time", "tasks_exceeded_share": "share of tasks exceeded",
        "tasks_not_completed_share": "share of tasks not completed", "degraded": "signs of degradation",
        "disciplined": "disciplined", "broke_rules": "broke the rules", "criterion_graded_poor": "a criterion graded poor",
        "units_led_not_completed_share": "share of units led not completed", "low_confidence_share": "share of low-confidence votes",
    },
}


def fact_name(name: str, lang: str = "vi") -> str:
    return FACT_NAMES.get(lang, FACT_NAMES["vi"]).get(name, name)


def task_points(rule_set: RuleSet, facts: dict[str, Any]) -> Decimal | None:
    """QĐ 366: the task-result points from the figures, by the rule set's (adjustable) `task_points` rule."""
    rule = rule_set.rule("task_points")
    share = facts.get(rule.params.get("per", "targets_completed_share")) if rule else None
    if rule is None or share is None:
        return None
    points = Decimal(str(rule.params.get("points", 70))) * Decimal(str(number(share).numerator)) / Decimal(str(number(share).denominator))
    return points.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ceiling(rule_set: RuleSet, facts: dict[str, Any], *, subject: str = "collective", shown: dict[str, str] | None = None,
            lang: str = "vi") -> Ceiling:
    """The highest level `facts` allow for a `subject` (collective, leader, member), with every reason: the
    cases that force "not completed", the conditions that rule a level out, the facts nobody has recorded, and
    the levels that have no numeric criterion at all. Conditions of a level include those of the levels below
    it (an "excellent" collective also meets "good"'s conditions)."""
    shown = shown or {}
    facts = dict(facts)
    recorded = facts.get("points") is not None
    points = _points(rule_set, facts)
    if points is not None:
        facts["points"] = points
    reasons: list[Reason] = []
    triggered = [rule for rule in rule_set.of_kind("not_completed", subject) if evaluate(rule.test, facts) is True]
    for rule in triggered:
        reasons.append(Reason(rule.id, "triggers", _sentence(lang, "triggers", rule, _explained(facts, shown, rule.test))))
    unknown: dict[str, None] = {}
    for rule in rule_set.of_kind("not_completed", subject):
        if rule not in triggered:
            unknown |= dict.fromkeys(_unknown(rule.test, facts))
    if points is not None:
        reasons.append(Reason("scale", "points", _points_sentence(lang, rule_set, points, recorded=recorded)))
    if triggered:
        return Ceiling(rule_set.key, Level.NOT_COMPLETED, tuple(reasons), points=points)

    allowed: Level | None = None
    for level in LEVELS[:-1]:
        failed = _failed_conditions(rule_set, subject, level, facts, points)
        if not failed:
            allowed = level
            break
        for rule in failed:
            if not any(reason.rule_id == rule.id for reason in reasons):
                reasons.append(Reason(rule.id, "rules_out", _sentence(lang, "rules_out", rule, _explained(facts, shown, rule.test),
                                                                      rule.level or level)))
    chosen = allowed or Level.COMPLETED
    for rule in _conditions(rule_set, subject, chosen):
        if rule.test is None:
            if rule.level == chosen:
                reasons.append(Reason(rule.id, "qualitative", _sentence(lang, "qualitative", rule, "", rule.level)))
        elif evaluate(rule.test, facts) is None:
            unknown |= dict.fromkeys(_unknown(rule.test, facts))
    if unknown:
        names = ", ".join(fact_name(name, lang) for name in unknown)
        text = (f"Not yet recorded, not checked: {names}" if lang == "en"
                else f"Chưa có thông tin, chưa xét được: {names}")
        reasons.append(Reason("facts", "unknown", text))
    gap = allowed is None
    if gap:
        rule = rule_set.rule("gap")
        text = rule.says(lang) + " " + rule.cited(lang) if rule else (
            "No level fits the facts; the competent level decides" if lang == "en" else "Không mức nào phù hợp; cấp có thẩm quyền quyết định")
        reasons.append(Reason("gap", "gap", text))
    return Ceiling(rule_set.key, chosen, tuple(reasons), gap=gap, points=points)


def _points(rule_set: RuleSet, facts: dict[str, Any]) -> Decimal | None:
    """Points where the rule set has a scale: as recorded, else the best case from the figures (the general
    part at its maximum, the tasks by the task_points rule)."""
    if rule_set.scale is None:
        return None
    if facts.get("points") is not None:
        return Decimal(str(facts["points"]))
    tasks = task_points(rule_set, facts)
    if tasks is None:
        return None
    general = facts.get("general_points")
    return (Decimal(str(general)) if general is not None else Decimal(rule_set.scale["general"])) + tasks


def points_band(rule_set: RuleSet, points: Decimal) -> Level:
    for band in rule_set.scale["bands"]:
        if points >= band["at_least"]:
            return Level(band["level"])
    return Level.NOT_COMPLETED


def _conditions(rule_set: RuleSet, subject: str, level: Level) -> list[Rule]:
    """The conditions of `level` and of every level below it (above "not completed")."""
    below = LEVELS[LEVELS.index(level):-1]
    return [rule for rule in rule_set.of_kind("level", subject) if rule.level in below]


def _failed_conditions(rule_set: RuleSet, subject: str, level: Level, facts: dict[str, Any], points: Decimal | None) -> list[Rule]:
    failed = [rule for rule in _conditions(rule_set, subject, level) if rule.test is not None and evaluate(rule.test, facts) is False]
    if points is not None and points_band(rule_set, points).rank < level.rank:
        failed.insert(0, Rule(id=f"points_{level}", kind="level", level=level, text={"vi": "", "en": ""},
                              source=rule_set.short + " Đ.11", ref="R1", certainty="Q",
                              test={"fact": "points", "at_least": next(b["at_least"] for b in rule_set.scale["bands"] if b["level"] == level)}))
    return failed


def _sentence(lang: str, verdict: str, rule: Rule, figures: str, level: Level | None = None) -> str:
    said = rule.says(lang) if rule.text.get("vi") else _points_condition(lang, rule)
    figures = f" — {figures}" if figures else ""
    if lang == "en":
        lead = {"triggers": "Forces 'not completed'", "rules_out": f"Not '{level_label(level, 'en')}'" if level else "Ruled out",
                "qualitative": f"No numeric criterion for '{level_label(level, 'en')}', people judge" if level else "Judged by people"}[verdict]
    else:
        lead = {"triggers": "Buộc xếp \"Không hoàn thành nhiệm vụ\"",
                "rules_out": f"Không thể \"{level_label(level)}\"" if level else "Không đạt điều kiện",
                "qualitative": f"Mức \"{level_label(level)}\" không có tiêu chí định lượng, do tập thể đánh giá" if level else "Do tập thể đánh giá"}[verdict]
    return f"{lead}: {said}{figures} {rule.cited(lang)}"


def _points_condition(lang: str, rule: Rule) -> str:
    limit = rule.test["at_least"]
    return f"needs at least {limit} points" if lang == "en" else f"cần từ {limit} điểm"


def _points_sentence(lang: str, rule_set: RuleSet, points: Decimal, *, recorded: bool) -> str:
    shown = format_number(points, 1, locale="en_US" if lang == "en" else "vi_VN")
    if recorded:
        return f"Points: {shown}/100" if lang == "en" else f"Điểm: {shown}/100"
    rule = rule_set.rule("task_points")
    cited = rule.cited(lang) if rule else ""
    if lang == "en":
        return f"Points at best {shown}/100: the general part counted at its full {rule_set.scale['general']}, the tasks from the figures {cited}"
    return f"Điểm tối đa có thể đạt {shown}/100: phần chung tính đủ {rule_set.scale['general']} điểm, phần nhiệm vụ tính từ số liệu {cited}"


