"""The highest level a collective can be given on its figures (`nghiquyet review ceiling`, the cycle's page):
the resolution's scorecard read through figures.scorecard, turned into facts (review.facts), judged by the
rule set of the review year (review.rules.ceiling)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nghiquyet.figures.scorecard import Scorecard, build_scorecard
from nghiquyet.review import rule_files
from nghiquyet.review.facts import from_scorecard
from nghiquyet.review.rules import Ceiling, Reason, RuleSet, ceiling


@dataclass(frozen=True)
class Proposal:
    rule_set: RuleSet
    ceiling: Ceiling
    scorecard: Scorecard

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of `nghiquyet review ceiling --format json`: rule_set, ceiling, reasons (texts);
        and beside them, the reasons with their rule ids and verdicts, the QĐ 366 gap and points."""
        return {
            "rule_set": self.rule_set.key,
            "ceiling": self.ceiling.level.value,
            "reasons": self.ceiling.texts,
            "explained": [reason.as_dict() for reason in self.ceiling.reasons],
            "gap": self.ceiling.gap,
            "points": str(self.ceiling.points) if self.ceiling.points is not None else None,
            "scorecard": {"resolution": self.scorecard.resolution.key, "org_unit": self.scorecard.org_unit.code,
                          "period": self.scorecard.period.code, "summary": self.scorecard.summary.as_dict()},
        }


def propose_from(card: Scorecard, rule_set: RuleSet, *, known: dict[str, Any] | None = None,
                 basic_codes: tuple[str, ...] = (), lang: str = "vi") -> Proposal:
    """`known`: facts recorded for the cycle (disciplined, degraded members …) beside the figures'."""
    found = from_scorecard(card, basic_codes=basic_codes, lang=lang)
    judged = ceiling(rule_set, {**found.facts, **(known or {})}, subject="collective", shown=found.shown, lang=lang)
    if found.notes:
        lead = "Provisional: " if lang == "en" else "Tạm tính: "
        judged = Ceiling(judged.rule_set, judged.level, (*judged.reasons, *(Reason("figures", "unknown", lead + note) for note in found.notes)),
                         judged.gap, judged.points)
    return Proposal(rule_set, judged, card)


def propose(*, resolution_key: str, org_code: str, period: str, year: int | None = None, rule_set_key: str | None = None,
            lang: str = "vi") -> Proposal:
    """The ceiling for the collective of `org_code` on the resolution's scorecard of `period`, by the rule set
    of review `year` (the period's year when not given) or the one named."""
    card = build_scorecard(resolution_key=resolution_key, org_code=org_code, period=period, lang=lang)
    rule_set = rule_files.get(rule_set_key) if rule_set_key else rule_files.for_year(year or card.period.start.year)
    return propose_from(card, rule_set, lang=lang)
