"""The rule sets shipped with the package (review/rule_sets/*.json), read into review.rules.RuleSet.

Which one applies is a matter of the review year (`for_year`); a cycle may name another one and adjust a
rule's parameters (`adjusted`), both recorded on the cycle and audited. Reading is pure apart from the
package files, and cached: the files do not change while a process runs."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.review.rules import SUBJECTS, Level, Rule, RuleSet

RULE_KEYS = {"id", "kind", "text", "source", "ref", "certainty", "level", "applies_to", "test"}
KINDS = {"quota", "head_cap", "order", "level", "not_completed", "ballot", "task_points", "gap", "quarters"}
CERTAINTIES = {"Q", "S", "unverified"}


def _rule(data: dict[str, Any], where: str) -> Rule:
    missing = [key for key in ("id", "kind", "text", "source", "ref", "certainty") if key not in data]
    if missing:
        raise ValueError(f"{where}: a rule lacks {', '.join(missing)}")
    if data["kind"] not in KINDS or data["certainty"] not in CERTAINTIES:
        raise ValueError(f"{where}, rule {data['id']}: kind {data['kind']!r} or certainty {data['certainty']!r} unknown")
    subjects = tuple(data.get("applies_to") or SUBJECTS)
    if not set(subjects) <= set(SUBJECTS):
        raise ValueError(f"{where}, rule {data['id']}: applies_to {subjects!r}")
    return Rule(
        id=data["id"], kind=data["kind"], text=data["text"], source=data["source"], ref=data["ref"],
        certainty=data["certainty"], level=Level(data["level"]) if data.get("level") else None, applies_to=subjects,
        test=data.get("test"), params={key: value for key, value in data.items() if key not in RULE_KEYS},
    )


def parse(data: dict[str, Any], where: str = "rule set") -> RuleSet:
    """A rule set from its JSON; ValueError names what is wrong."""
    rules = tuple(_rule(rule, where) for rule in data["rules"])
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{where}: a rule id appears twice")
    years = data["review_years"]
    return RuleSet(
        key=data["key"], short=data["short"], regulation=data["regulation"], guidance=tuple(data.get("guidance", [])),
        year_from=int(years["from"]), year_to=int(years["to"]) if years.get("to") is not None else None,
        rules=rules, scale=data.get("scale"), note=data.get("note", ""),
    )


@cache
def shipped() -> dict[str, RuleSet]:
    """Every rule set of the package, by key, oldest first."""
    found = {}
    for entry in sorted(resources.files("nghiquyet.review").joinpath("rule_sets").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            rule_set = parse(json.loads(entry.read_text(encoding="utf-8")), entry.name)
            found[rule_set.key] = rule_set
    return dict(sorted(found.items(), key=lambda item: item[1].year_from))


def get(key: str) -> RuleSet:
    try:
        return shipped()[key]
    except KeyError:
        known = ", ".join(shipped())
        raise NotFound(f'Không có bộ quy tắc "{key}" (có: {known}).', en=f'No rule set "{key}" (known: {known}).',
                       field="rule_set") from None


def for_year(year: int) -> RuleSet:
    """The rule set whose review years hold `year`."""
    for rule_set in shipped().values():
        if rule_set.covers(year):
            return rule_set
    first = min(rule_set.year_from for rule_set in shipped().values())
    raise NotFound(f"Chưa có bộ quy tắc cho năm kiểm điểm {year} (sớm nhất: {first}).",
                   en=f"No rule set for review year {year} (the earliest covers {first}).", field="year")


def adjusted(rule_set: RuleSet, adjustments: dict[str, dict[str, Any]] | None) -> RuleSet:
    """The rule set with some rules' parameters changed for one cycle: {rule id: {parameter: value}}. Only
    parameters a rule already has may change (a share, a rounding, a threshold), not its test or its source;
    an unknown rule or parameter is a DomainError naming it."""
    if not adjustments:
        return rule_set
    rules = {rule.id: rule for rule in rule_set.rules}
    for rule_id, changes in adjustments.items():
        rule = rules.get(rule_id)
        if rule is None:
            raise DomainError(f'Bộ quy tắc {rule_set.short} không có quy tắc "{rule_id}".',
                              en=f'{rule_set.short} has no rule "{rule_id}".', field="adjustments")
        unknown = [name for name in changes if name not in rule.params]
        if unknown:
            raise DomainError(f'Quy tắc "{rule_id}" không có tham số {", ".join(unknown)}.',
                              en=f'Rule "{rule_id}" has no parameter {", ".join(unknown)}.', field="adjustments")
        rules[rule_id] = Rule(**{**rule.__dict__, "params": {**rule.params, **changes}})
    return RuleSet(**{**rule_set.__dict__, "rules": tuple(rules.values())})
