"""A cycle's own parameters for its rule set: a rule's share, rounding, thresholds or task-points mapping
changed for this cycle only (ReviewCycle.adjustments, read by review.tally.cycle_rules through
review.rule_files.adjusted), by an administrator of its unit, audited with the old and new value."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction

from nghiquyet.audit.services import record
from nghiquyet.lib.errors import Conflict, Invalid
from nghiquyet.lib.validation import clean_text
from nghiquyet.review import rule_files
from nghiquyet.review.checks import ballot_outcome, check_quota, year_points
from nghiquyet.review.models import BallotQuestion, QuestionState, ReviewCycle
from nghiquyet.review.policies import ReviewAction, require_review
from nghiquyet.review.rules import ceiling, task_points


@transaction.atomic
def adjust_rule(*, user: Any, cycle: ReviewCycle, rule_id: str, parameter: str, value: Any) -> ReviewCycle:
    """Change one parameter of one rule for this cycle only (a share, a rounding, a threshold, the task-points
    mapping): of the type it has in the rule set's file; `None` puts the file's value back. Audited with the
    old and new values (rule parameters, not review records)."""
    require_review(user, ReviewAction.SET_UP, cycle)
    cycle = ReviewCycle.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=cycle.pk)
    if BallotQuestion.objects.filter(cycle=cycle).exclude(state=QuestionState.DRAFT).exists():
        raise Conflict("Đã biểu quyết: không điều chỉnh quy tắc của đợt này nữa.", en="Votes were taken: the cycle's rules are fixed now.",
                       field="parameter")
    rule_set = rule_files.get(cycle.rule_set)
    rule = rule_set.rule(rule_id)
    if rule is None or parameter not in rule.params:
        raise Invalid(f'Bộ quy tắc {rule_set.short} không có tham số "{parameter}" của quy tắc "{rule_id}".',
                      en=f'{rule_set.short} has no parameter "{parameter}" in rule "{rule_id}".', field="parameter")
    original = rule.params[parameter]
    if value is not None and type(value) is not type(original) and not (isinstance(original, int | float) and isinstance(value, int | float)):
        raise Invalid(f'Tham số "{parameter}" cần giá trị kiểu {type(original).__name__}, như trong tệp: {original!r}.',
                      en=f'"{parameter}" needs a {type(original).__name__}, as in the file: {original!r}.', field="value")
    if parameter == "rounding" and value not in (None, "floor", "ceil", "round"):
        raise Invalid("Cách làm tròn: floor, ceil hoặc round.", en="Rounding: floor, ceil or round.", field="value")
    adjustments = {key: dict(changes) for key, changes in cycle.adjustments.items()}
    old = adjustments.get(rule_id, {}).get(parameter, original)
    if value is None:
        adjustments.get(rule_id, {}).pop(parameter, None)
    else:
        adjustments.setdefault(rule_id, {})[parameter] = value
    cycle.adjustments = {key: changes for key, changes in adjustments.items() if changes}
    _try(rule_files.adjusted(rule_set, cycle.adjustments), rule_id, parameter)
    cycle.save(update_fields=["adjustments"])
    record("review_adjust", obj=cycle, org_unit=cycle.org_unit, summary=f"{cycle.key}: {rule_id}.{parameter}",
           old={"value": old}, new={"value": value if value is not None else original})
    return cycle


def _try(rule_set: Any, rule_id: str, parameter: str) -> None:
    """Run the engine's checks once on the adjusted rules, so a value they cannot read ("20%", a threshold of
    the wrong shape) is refused here, not on the next page."""
    try:
        for level in ("excellent", "good", "completed", "not_completed"):
            check_quota(rule_set, [level] * 3 + ["good"] * 7)
            check_quota(rule_set, ["good"] * 5, raised=True)
        ballot_outcome(rule_set, {"excellent": 5, "good": 3, "completed": 1, "not_completed": 1}, members=10, present=9)
        year_points(rule_set, [Decimal(80), Decimal(90)])
        task_points(rule_set, {"targets_completed_share": Fraction(1, 2)})
        ceiling(rule_set, {"targets_completed_share": Fraction(1, 2), "targets_exceeded_share": Fraction(1, 4)})
    except (ArithmeticError, AttributeError, KeyError, LookupError, RecursionError, TypeError, ValueError):
        raise Invalid(f'Giá trị mới của "{rule_id}.{parameter}" không dùng được (xem dạng của giá trị trong tệp quy tắc).',
                      en=f'The new value of "{rule_id}.{parameter}" cannot be used (see the form of the value in the rule file).',
                      field="value") from None


def parameter_value(text: str, original: Any) -> Any:
    """A parameter typed in a form, read as the file's value is: text as text ("0.25", "floor"), numbers and
    yes/no as such, thresholds as JSON; empty puts the file's value back (None)."""
    text = (text or "").strip()
    if not text:
        return None
    if isinstance(original, bool):
        if text.lower() not in {"true", "false", "có", "không"}:
            raise Invalid("Cần true/false (có/không).", en="true or false.", field="value")
        return text.lower() in {"true", "có"}
    if isinstance(original, int | float):
        try:
            return float(text.replace(",", ".")) if "." in text or "," in text else int(text)
        except ValueError:
            raise Invalid(f'"{text[:20]}" không phải là số.', en=f'"{text[:20]}" is not a number.', field="value") from None
    if isinstance(original, dict | list):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise Invalid("Cần viết dạng JSON như trong tệp quy tắc.", en="Write it as JSON, as in the rule file.", field="value") from None
    return clean_text(text, "value", limit=200)
