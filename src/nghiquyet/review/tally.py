"""Reading a cycle: the facts the rules judge, the ceiling of the collective and of each member, the counts of
closed votes with their outcome, and the checks a decision must pass (quota, head ≤ collective, ceilings).

Counts of a question are shown only once it is closed; while it is open only how many have voted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nghiquyet.audit.services import record
from nghiquyet.figures.scorecard import scorecard_for
from nghiquyet.lib.errors import NotFound
from nghiquyet.lib.periods import parse_period
from nghiquyet.review import rule_files
from nghiquyet.review.checks import ballot_outcome, check_head_cap, check_quota, year_points
from nghiquyet.review.facts import from_scorecard
from nghiquyet.review.flags import inflation_flags
from nghiquyet.review.models import (
    BallotCount,
    BallotParticipation,
    BallotQuestion,
    Decision,
    QuestionState,
    ReviewCycle,
    ReviewMember,
)
from nghiquyet.review.proposals import Proposal, propose_from
from nghiquyet.review.rules import (
    LEVELS,
    Ceiling,
    Level,
    RuleSet,
    ceiling,
    level_label,
    number,
)
from nghiquyet.review.services import checklist


def cycle_rules(cycle: ReviewCycle) -> RuleSet:
    return rule_files.adjusted(rule_files.get(cycle.rule_set), cycle.adjustments)


def _facts(stored: dict[str, Any], rule_set: RuleSet | None = None) -> dict[str, Any]:
    """Recorded facts as the rules read them; QĐ 366's quarterly scores give the year's points where no
    year score is recorded (review.checks.year_points)."""
    facts = {name: value if isinstance(value, bool) else number(value) for name, value in stored.items() if name != "quarter_points"}
    quarters = stored.get("quarter_points")
    if quarters and "points" not in facts and rule_set is not None and rule_set.scale:
        facts["points"] = year_points(rule_set, [Decimal(str(q)) for q in quarters])
    return facts


def collective_facts(cycle: ReviewCycle) -> dict[str, Any]:
    """What people recorded, plus what the members' records say: how many were found degraded (unknown
    while a checklist is incomplete and nobody was found), whether one was disciplined."""
    facts = _facts(cycle.facts, cycle_rules(cycle))
    members = list(cycle.members.all())
    lists = [checklist(member) for member in members]
    degraded = sum(1 for found in lists if found["found"])
    if degraded or (members and all(found["clear"] for found in lists)):
        facts["members_degraded"] = degraded
    disciplined = [member.facts.get("disciplined") for member in members]
    if any(value is True for value in disciplined):
        facts.setdefault("leadership_member_disciplined", True)
    elif members and all(value is False for value in disciplined):
        facts.setdefault("leadership_member_disciplined", False)
    return facts


# A member's own task results, recorded for them, read by the rules as the figures are for a collective.
MEMBER_TASKS = {"tasks_exceeded_share": "targets_exceeded_share"}


def member_facts(member: ReviewMember, unit_facts: dict[str, Any] | None = None) -> dict[str, Any]:
    """A member's facts. The head answers for the unit's results too (QĐ 366: a leader whose unit completes
    under 70% of its tasks or misses the basic targets is not completed), so `unit_facts` (the figures' facts
    of the collective) come first and the head's own records over them."""
    own = _facts(member.facts, cycle_rules(member.cycle))
    facts = dict(unit_facts or {}) if member.is_head else {}
    facts |= own
    for recorded, read_as in MEMBER_TASKS.items():
        if recorded in own:
            facts[read_as] = own[recorded]
    if "tasks_not_completed_share" in own:
        facts["targets_completed_share"] = 1 - own["tasks_not_completed_share"]
    found = checklist(member)
    if found["found"] or found["clear"]:
        facts["degraded"] = bool(found["found"])
    return facts


def collective_ceiling(cycle: ReviewCycle, lang: str = "vi") -> Proposal | Ceiling:
    """From the linked scorecard when there is one (a Proposal), else from the recorded facts alone."""
    rule_set = cycle_rules(cycle)
    if cycle.resolution is not None and cycle.period:
        card = scorecard_for(resolution=cycle.resolution, org_unit=cycle.org_unit, period=parse_period(cycle.period), lang=lang)
        return propose_from(card, rule_set, known=collective_facts(cycle), basic_codes=tuple(cycle.basic_targets), lang=lang)
    return ceiling(rule_set, collective_facts(cycle), lang=lang)


def member_ceiling(cycle: ReviewCycle, member: ReviewMember, lang: str = "vi") -> Ceiling:
    unit_facts = None
    if member.is_head and cycle.resolution is not None and cycle.period:
        card = scorecard_for(resolution=cycle.resolution, org_unit=cycle.org_unit, period=parse_period(cycle.period), lang=lang)
        unit_facts = from_scorecard(card, basic_codes=tuple(cycle.basic_targets), lang=lang).facts
    return ceiling(cycle_rules(cycle), member_facts(member, unit_facts), subject="leader" if member.is_head else "member", lang=lang)


def _as_ceiling(found: Proposal | Ceiling) -> Ceiling:
    return found.ceiling if isinstance(found, Proposal) else found


def checks_for(cycle: ReviewCycle, member: ReviewMember | None, level: Level | str, lang: str = "vi") -> list[dict[str, Any]]:
    """The checks a decision of `level` for `member` (None: the collective) must pass."""
    rule_set, level = cycle_rules(cycle), Level(level)
    found = _as_ceiling(collective_ceiling(cycle, lang) if member is None else member_ceiling(cycle, member, lang))
    # In QĐ 366's gap no level fits: people decide, but never above "completed" (its tasks are unfinished).
    passed = level.rank <= found.level.rank or (found.gap and level.rank <= Level.COMPLETED.rank)
    if lang == "en":
        text = f"Highest level on the record: '{level_label(found.level, 'en')}'" + (" (no level fits: people decide)" if found.gap else "")
    else:
        text = f"Mức cao nhất theo hồ sơ: \"{level_label(found.level)}\"" + (" (không mức nào phù hợp: cấp có thẩm quyền quyết định)" if found.gap else "")
    checks = [{"rule": "ceiling", "passed": passed, "text": text}]
    if member is None:
        return checks
    if member.is_head:
        collective = Decision.objects.filter(cycle=cycle, member=None).values_list("level", flat=True).first()
        checks.append(check_head_cap(rule_set, head=level, collective=collective, lang=lang).as_dict())
    others = list(Decision.objects.filter(cycle=cycle).exclude(member=None).exclude(member=member).values_list("level", flat=True))
    undecided = cycle.members.exclude(pk=member.pk).count() - len(others)
    # Members not decided yet may still be rated "good": the quota is checked on that best case now, and on
    # the whole group in the tally once everyone is decided; decisions are not refused for their order.
    quota = check_quota(rule_set, [*others, level, *([Level.GOOD] * undecided)], raised=cycle.quota_raised, lang=lang).as_dict()
    if undecided:
        quota["text"] += (f" (counting the {undecided} not yet decided as 'good')" if lang == "en"
                          else f" (tính {undecided} người chưa xếp loại là \"tốt\")")
    checks.append(quota)
    return checks


@dataclass(frozen=True)
class QuestionTally:
    question: BallotQuestion | None
    member: ReviewMember | None
    voted: int
    counts: dict[str, int] | None  # None until closed
    outcome: Any
    decided: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.question.state if self.question else "not_asked",
            "voted": self.voted,
            "members": self.question.members_total if self.question else None,
            "present": self.question.present_total if self.question else None,
            "counts": self.counts,
            "counts_match": (sum(self.counts.values()) == self.voted) if self.counts is not None and not self.question.paper else None,
            "carried": self.outcome.level.value if self.outcome and self.outcome.level else None,
            "outcome": self.outcome.text if self.outcome else None,
            "decided": self.decided,
        }


@dataclass(frozen=True)
class CycleTally:
    cycle: ReviewCycle
    rule_set: RuleSet
    collective: QuestionTally
    members: list[QuestionTally]
    ceiling: Ceiling
    checks: list[dict[str, Any]]
    lang: str
    flags: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of `nghiquyet review tally CYCLE --format json`."""
        return {
            "cycle": self.cycle.key, "year": self.cycle.year, "rule_set": self.rule_set.key,
            "collective": {"name": self.cycle.collective, "ceiling": self.ceiling.level.value, "reasons": self.ceiling.texts,
                           **self.collective.as_json()},
            "members": [{"name": item.member.name, "position": item.member.position, "is_head": item.member.is_head, **item.as_json()}
                        for item in self.members],
            "checks": self.checks,
            "flags": self.flags,
        }

    def lines(self) -> list[str]:
        en = self.lang == "en"
        out = [f"{self.cycle.title} — {self.rule_set.short}",
               ("Ceiling of the collective" if en else "Mức trần của tập thể") + f": {level_label(self.ceiling.level, self.lang)}",
               *(f"  · {text}" for text in self.ceiling.texts)]
        for name, item in [(self.cycle.collective, self.collective), *((m.member.name, m) for m in self.members)]:
            data = item.as_json()
            if data["counts"]:
                counts = ", ".join(f"{level_label(level, self.lang)} {n}" for level, n in data["counts"].items())
            elif data["state"] == "not_asked":
                counts = "not voted on yet" if en else "chưa biểu quyết"
            else:
                counts = "hidden until closed" if en else "chưa công bố (chưa đóng biểu quyết)"
            out.append(f"- {name}: {data['voted']} {'voted' if en else 'đã bỏ phiếu'}; {counts}" + (f" → {data['outcome']}" if data["outcome"] else ""))
        out.extend(f"  [{'ok' if check['passed'] else '!!'}] {check['text']}" for check in self.checks)
        out.extend(f"  [{'flag' if en else 'lưu ý'}] {flag['text']}" for flag in self.flags)
        return out


def _question_tally(question: BallotQuestion | None, member: ReviewMember | None, rule_set: RuleSet, decided: dict, lang: str) -> QuestionTally:
    if question is None:
        return QuestionTally(None, member, 0, None, None, decided.get(member.pk if member else None))
    voted = BallotParticipation.objects.filter(question=question).count()
    counts = outcome = None
    if question.state == QuestionState.CLOSED:
        counts = {level.value: 0 for level in LEVELS} | dict(BallotCount.objects.filter(question=question).values_list("level", "count"))
        if question.paper:
            voted = sum(counts.values())
        outcome = ballot_outcome(rule_set, counts, members=question.members_total, present=question.present_total, lang=lang)
    return QuestionTally(question, member, voted, counts, outcome, decided.get(member.pk if member else None))


def tally_of(cycle: ReviewCycle, *, lang: str = "vi", reader: Any = None) -> CycleTally:
    """Everything a participant reads about the cycle's votes (audited as a read: the event names the cycle)."""
    rule_set = cycle_rules(cycle)
    questions = {q.member_id: q for q in BallotQuestion.objects.filter(cycle=cycle)}
    decided = dict(Decision.objects.filter(cycle=cycle).values_list("member_id", "level"))
    members = list(cycle.members.all())
    collective = _question_tally(questions.get(None), None, rule_set, decided, lang)
    tallies = [_question_tally(questions.get(member.pk), member, rule_set, decided, lang) for member in members]
    proposal = collective_ceiling(cycle, lang)
    found = _as_ceiling(proposal)
    checks = [check_quota(rule_set, [item.outcome.level for item in tallies if item.outcome and item.outcome.level],
                          raised=cycle.quota_raised, lang=lang).as_dict()]
    head = next((item for item in tallies if item.member.is_head and item.outcome and item.outcome.level), None)
    if head is not None:
        carried = collective.outcome.level if collective.outcome else None
        checks.append(check_head_cap(rule_set, head=head.outcome.level, collective=carried, lang=lang).as_dict())
    record("review_read", obj=cycle, org_unit=cycle.org_unit, summary=f"{cycle.key}: xem kết quả biểu quyết")
    return CycleTally(cycle, rule_set, collective, tallies, found, checks, lang, _flags(cycle, proposal, tallies, lang, reader))


def _flags(cycle: ReviewCycle, proposal: Proposal | Ceiling, tallies: list[QuestionTally], lang: str, reader: Any) -> list[dict[str, Any]]:
    """Inflated ratings (review.flags): on the decisions, else on what the votes carried."""
    levels = None
    if not Decision.objects.filter(cycle=cycle).exclude(member=None).exists():
        levels = {(("user", item.member.user_id) if item.member.user_id else ("name", item.member.name)): item.outcome.level.value
                  for item in tallies if item.outcome and item.outcome.level}
    share, shown = None, ""
    if isinstance(proposal, Proposal):
        found = from_scorecard(proposal.scorecard, lang=lang)
        share, shown = found.facts.get("targets_completed_share"), found.shown.get("targets_completed_share", "")
    return inflation_flags(cycle, levels=levels, completed_share=share, shown_share=shown, lang=lang, reader=reader)


def cycle_tally(*, cycle_key: str, lang: str = "vi") -> CycleTally:
    """For the command line (an operator at the server): the cycle by key."""
    cycle = ReviewCycle.objects.select_related("org_unit", "resolution").filter(key=(cycle_key or "").strip()).first()
    if cycle is None:
        raise NotFound(f'Không tìm thấy đợt kiểm điểm "{cycle_key}".', en=f'No review cycle "{cycle_key}".', field="cycle")
    return tally_of(cycle, lang=lang)
