"""A cycle's own parameters for its rule set: a rule's share, rounding, thresholds or task-points mapping
changed for this cycle only (ReviewCycle.adjustments, read by review.tally.cycle_rules through
review.rule_files.adjusted), by an administrator of its unit, audited with the old and new value."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from nghiquyet.audit.services import record
from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.validation import clean_text
from nghiquyet.review import rule_files
from nghiquyet.review.models import ReviewCycle
from nghiquyet.review.policies import ReviewAction, require_review


@transaction.atomic
def adjust_rule(*, user: Any, cycle: ReviewCycle, rule_id: str, parameter: str, value: Any) -> ReviewCycle:
    """Change one parameter of one rule for this cycle only (a share, a rounding, a threshold, the task-points
    mapping): of the type it has in the rule set's file; `None` puts the file's value back. Audited with the
    old and new values (rule parameters, not review records)."""
    require_review(user, ReviewAction.SET_UP, cycle)
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
    rule_files.adjusted(rule_set, cycle.adjustments)  # refuses what the engine could not read
    cycle.save(update_fields=["adjustments"])
    record("review_adjust", obj=cycle, org_unit=cycle.org_unit, summary=f"{cycle.key}: {rule_id}.{parameter}",
           old={"value": old}, new={"value": value if value is not None else original})
    return cycle


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
        except ValueError:
            raise Invalid("Cần viết dạng JSON như trong tệp quy tắc.", en="Write it as JSON, as in the rule file.", field="value") from None
    return clean_text(text, "value", limit=200)
