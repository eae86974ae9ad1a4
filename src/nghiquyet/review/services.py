"""What changes a review cycle: setting it up, recording facts and findings, the meeting's ballot, decisions.
Keyword-only, called by the web views, the API and the CLI alike; each checks review.policies first.

The ballot (`cast_vote`) writes a participation row (unique per voter and question, enforced by the primary
database) and increments one counter, in one transaction, and nothing else: no audit event, no log line, no
row per ballot. Only members marked present vote, only while the question is open, and only through a
logged-in browser session (`via="session"`)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Value, When

from nghiquyet.accounts.permissions import Forbidden
from nghiquyet.audit.services import record
from nghiquyet.lib.errors import Conflict, Invalid, NotFound
from nghiquyet.lib.periods import PeriodError, parse_period
from nghiquyet.lib.validation import check_code, clean_fields, clean_text
from nghiquyet.orgunits import services as orgunit_services
from nghiquyet.review import rule_files
from nghiquyet.review.manifestations import CODES as MANIFESTATIONS
from nghiquyet.review.models import (
    BallotCount,
    BallotParticipation,
    BallotQuestion,
    CycleGrant,
    CycleRole,
    CycleState,
    Decision,
    Finding,
    PaperTally,
    QuestionState,
    ReviewCycle,
    ReviewMember,
)
from nghiquyet.review.policies import ReviewAction, may_set_up, require_review
from nghiquyet.review.rules import LEVELS, Level
from nghiquyet.targets.checks import check_period_in_term
from nghiquyet.targets.services import get_resolution

# Facts a person records about the collective or a member (the rest come from the figures): name → kind.
RECORDED_FACTS = {
    "collective": {"collective_disciplined": bool, "leadership_member_disciplined": bool, "subordinate_unit_disciplined": bool,
                   "subordinate_units_disciplined_share": "share", "corruption_in_scope": bool, "disunity": bool,
                   "shortcomings_fixed": bool, "cadre_work_wrongdoing": bool, "general_points": "points", "points": "points",
                   "tasks_late_share": "share", "quarter_points": "quarters"},
    "member": {"disciplined": bool, "broke_rules": bool, "criterion_graded_poor": bool, "points": "points", "quarter_points": "quarters",
               "tasks_late_share": "share",
               "units_led_not_completed_share": "share", "low_confidence_share": "share", "tasks_not_completed_share": "share",
               "tasks_exceeded_share": "share", "tasks_on_time_share": "share", "shortcomings_fixed": bool},
}


RESERVED_KEYS = {"tao"}  # /kiem-diem/tao/ is the page that creates a cycle


def get_cycle(*, key: str, user: Any, action: str = ReviewAction.SEE_FRAME) -> ReviewCycle:
    cycle = ReviewCycle.objects.select_related("org_unit", "resolution").filter(key=(key or "").strip()).first()
    if cycle is None:
        raise NotFound(f'Không tìm thấy đợt kiểm điểm "{key}".', en=f'No review cycle "{key}".', field="cycle")
    require_review(user, action, cycle)
    return cycle


def _basic_codes(resolution: Any, codes: list[str] | None) -> list[str]:
    """QĐ 366's basic targets, as codes of the cycle's resolution (each must be one of its targets)."""
    codes = [code.strip() for code in codes or [] if code and code.strip()]
    if codes and resolution is None:
        raise Invalid("Chỉ tiêu cơ bản cần nghị quyết có bảng chỉ tiêu.", en="Basic targets need the resolution.", field="basic_targets")
    if codes:
        known = set(resolution.targets.values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise Invalid(f"Nghị quyết {resolution.key} không có chỉ tiêu mã {', '.join(unknown)}.",
                          en=f"{resolution.key} has no target {', '.join(unknown)}.", field="basic_targets")
    return codes


@transaction.atomic
def create_cycle(*, user: Any, key: str, title: str, org_code: str, collective: str, year: int, rule_set: str | None = None,
                 resolution_key: str | None = None, period: str = "", basic_targets: list[str] | None = None,
                 meeting_on: Any = None, self_assessment_due: Any = None, illustrative: bool = False,
                 quota_raised: bool = False) -> ReviewCycle:
    """A cycle of a collective's review year. The rule set is the one of the year unless one is named (an
    override, recorded as such)."""
    key = check_code(key, "key")
    if not key:
        raise Invalid("Cần mã đợt kiểm điểm.", en="A cycle key is needed.", field="key")
    if key in RESERVED_KEYS:
        raise Invalid(f'Mã "{key}" dành cho trang của hệ thống; chọn mã khác.', en=f'"{key}" is taken by a page; choose another key.', field="key")
    if not (2000 <= int(year) <= 2100):
        raise Invalid(f"Năm kiểm điểm {year} không hợp lệ.", en=f"Review year {year} is not valid.", field="year")
    try:
        unit = orgunit_services.resolve(code=org_code, on=date(int(year), 12, 31))
    except NotFound:
        unit = None
    if unit is None or not may_set_up(user, unit):
        raise NotFound(f'Không tìm thấy đơn vị có mã "{org_code}".', en=f'No org unit with code "{org_code}".', field="org_unit")
    chosen = rule_files.get(rule_set) if rule_set else rule_files.for_year(int(year))
    resolution = get_resolution(key=resolution_key) if resolution_key else None
    texts = clean_fields(ReviewCycle, title=title, collective=collective, period=period or "")
    if texts["period"] and resolution is None:
        raise Invalid("Kỳ của bảng chỉ tiêu chỉ dùng khi có nghị quyết.", en="A scorecard period needs a resolution.", field="period")
    if resolution is not None:
        if not texts["period"]:
            raise Invalid("Cần kỳ của bảng chỉ tiêu (ví dụ 2021).", en="The scorecard's period is needed (e.g. 2021).", field="period")
        try:
            scorecard_period = parse_period(texts["period"])
        except PeriodError as error:
            raise Invalid(str(error), en=f'The period "{texts["period"][:20]}" is not valid; write 2021.', field="period") from None
        check_period_in_term(resolution, scorecard_period)
        texts["period"] = scorecard_period.code
    if not texts["title"] or not texts["collective"]:
        raise Invalid("Cần tên đợt và tên tập thể.", en="A title and the collective's name are needed.", field="title")
    if ReviewCycle.objects.filter(key=key).exists():
        raise Conflict(f'Đã có đợt kiểm điểm "{key}".', en=f'The review cycle "{key}" exists.', field="key")
    cycle = ReviewCycle.objects.create(
        key=key, org_unit=unit, year=int(year), rule_set=chosen.key, rule_set_overridden=not chosen.covers(int(year)),
        resolution=resolution, basic_targets=_basic_codes(resolution, basic_targets), meeting_on=meeting_on, quota_raised=quota_raised,
        self_assessment_due=self_assessment_due, illustrative=illustrative, created_by=user if getattr(user, "pk", None) else None,
        **texts,
    )
    record("create", obj=cycle, org_unit=unit, summary=f"Đợt kiểm điểm {cycle.key} ({cycle.rule_set})",
           new={"year": cycle.year, "rule_set": cycle.rule_set, "overridden": cycle.rule_set_overridden})
    return cycle


@transaction.atomic
def add_member(*, user: Any, cycle: ReviewCycle, name: str, position: str, is_head: bool = False, member_user: Any = None) -> ReviewMember:
    require_review(user, ReviewAction.SET_UP, cycle)
    texts = clean_fields(ReviewMember, name=name, position=position)
    if not texts["name"]:
        raise Invalid("Cần họ và tên.", en="A name is needed.", field="name")
    if is_head and cycle.members.filter(is_head=True).exists():
        raise Conflict("Đợt kiểm điểm đã có người đứng đầu.", en="The cycle has a head already.", field="is_head")
    if member_user is not None and cycle.members.filter(user=member_user).exists():
        raise Conflict("Người dùng này đã có trong danh sách.", en="This user is on the list already.", field="user")
    order = cycle.members.count() + 1
    member = ReviewMember.objects.create(cycle=cycle, position_order=order, is_head=is_head, user=member_user, **texts)
    if member_user is not None:
        CycleGrant.objects.get_or_create(cycle=cycle, user=member_user, role=CycleRole.MEMBER)
    record("create", obj=member, org_unit=cycle.org_unit, summary=f"{cycle.key}: thêm người được kiểm điểm #{member.pk}")
    return member


@transaction.atomic
def grant(*, user: Any, cycle: ReviewCycle, to: Any, role: str) -> CycleGrant:
    require_review(user, ReviewAction.SET_UP, cycle)
    if role not in CycleRole.values:
        raise Invalid(f'Vai trò "{role}" không có.', en=f'No role "{role}".', field="role")
    made, _ = CycleGrant.objects.get_or_create(cycle=cycle, user=to, role=role)
    record("grant", obj=cycle, org_unit=cycle.org_unit, summary=f"{cycle.key}: {to.get_username()} — {role}")
    return made


def _checked_facts(facts: dict[str, Any], subject: str) -> dict[str, Any]:
    kinds = RECORDED_FACTS[subject]
    checked: dict[str, Any] = {}
    for name, value in facts.items():
        kind = kinds.get(name)
        if kind is None:
            raise Invalid(f'Không có thông tin "{name}" cho {"tập thể" if subject == "collective" else "cá nhân"}.',
                          en=f'No fact "{name}" for a {subject}.', field=name)
        if value is None:
            checked[name] = None
        elif kind == "quarters":  # QĐ 366 Đ.15: up to four quarterly scores, the year made from them
            if not isinstance(value, list) or not 1 <= len(value) <= 4:
                raise Invalid(f'"{name}": từ 1 đến 4 điểm quý.', en=f'"{name}": one to four quarterly scores.', field=name)
            checked[name] = [_checked_facts({"points": point}, subject)["points"] for point in value]
        elif kind is bool:
            if not isinstance(value, bool):
                raise Invalid(f'"{name}": cần có/không.', en=f'"{name}": yes or no.', field=name)
            checked[name] = value
        else:
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                raise Invalid(f'"{name}": cần một số.', en=f'"{name}": a number.', field=name) from None
            top = 1 if kind == "share" else 100
            if not 0 <= number <= top:
                raise Invalid(f'"{name}": từ 0 đến {top}.', en=f'"{name}": between 0 and {top}.', field=name)
            checked[name] = str(value).replace(",", ".")
    return checked


@transaction.atomic
def record_facts(*, user: Any, cycle: ReviewCycle, facts: dict[str, Any], member: ReviewMember | None = None) -> None:
    """Facts the figures cannot give (discipline, disunity …), recorded by the appraisers; None clears one."""
    require_review(user, ReviewAction.RECORD_FINDINGS, cycle)
    checked = _checked_facts(facts, "member" if member else "collective")
    target = member or cycle
    target.facts = {k: v for k, v in {**target.facts, **checked}.items() if v is not None}
    target.save(update_fields=["facts"])
    record("review_facts", obj=target, org_unit=cycle.org_unit, summary=f"{cycle.key}: {', '.join(sorted(checked))}")


@transaction.atomic
def record_findings(*, user: Any, member: ReviewMember, found: dict[str, bool], notes: dict[str, str] | None = None) -> None:
    """The 27-manifestation checklist for a member: {code: found}. A code not in the list is refused."""
    cycle = member.cycle
    require_review(user, ReviewAction.RECORD_FINDINGS, cycle)
    unknown = [code for code in found if code not in MANIFESTATIONS]
    if unknown:
        raise Invalid(f"Không có biểu hiện {', '.join(unknown)} (A1–C9).", en=f"No manifestation {', '.join(unknown)} (A1–C9).",
                      field="manifestation")
    for code, is_found in found.items():
        note = clean_text((notes or {}).get(code, ""), f"note {code}", limit=2000, multiline=True)
        Finding.objects.update_or_create(member=member, manifestation=code,
                                         defaults={"found": bool(is_found), "note": note, "recorded_by": user})
    record("review_findings", obj=member, org_unit=cycle.org_unit, summary=f"{cycle.key}: #{member.pk}, {len(found)} biểu hiện")


def checklist(member: ReviewMember) -> dict[str, Any]:
    """{"checked": n of 27, "found": [codes]}: clear only when all 27 are checked and none found."""
    rows = dict(Finding.objects.filter(member=member).values_list("manifestation", "found"))
    return {"checked": len(rows), "found": sorted(code for code, found in rows.items() if found),
            "clear": len(rows) == len(MANIFESTATIONS) and not any(rows.values())}


# --- the meeting -----------------------------------------------------------------------------------------


@transaction.atomic
def set_present(*, user: Any, member: ReviewMember, present: bool) -> None:
    require_review(user, ReviewAction.RUN_MEETING, member.cycle)
    if BallotQuestion.objects.filter(cycle=member.cycle, state=QuestionState.OPEN).exists():
        raise Conflict("Đang bỏ phiếu: không đổi danh sách có mặt lúc này.", en="A vote is open: attendance cannot change now.")
    member.present = bool(present)
    member.save(update_fields=["present"])
    record("review_attendance", obj=member, org_unit=member.cycle.org_unit, new={"present": member.present})


def _voters(cycle: ReviewCycle) -> tuple[int, int]:
    """All members and those present, with or without an account (a member without one votes on paper)."""
    members = cycle.members.all()
    return members.count(), members.filter(present=True).count()


@transaction.atomic
def open_question(*, user: Any, cycle: ReviewCycle, member: ReviewMember | None = None, paper: bool = False) -> BallotQuestion:
    """A vote on `member`'s level (the collective's when None). The collective is voted on first, the head
    after it (HD 21 II.B.4 and the rule sets' `order` rule)."""
    require_review(user, ReviewAction.RUN_MEETING, cycle)
    if member is not None and member.cycle_id != cycle.pk:
        raise NotFound("Không có người này trong đợt.", en="No such member in the cycle.", field="member")
    if member is not None and member.is_head:
        collective = BallotQuestion.objects.filter(cycle=cycle, member=None, state=QuestionState.CLOSED).exists()
        if not collective:
            raise Conflict("Biểu quyết tập thể trước, người đứng đầu sau.", en="Vote on the collective before its head.", field="member")
    members, present = _voters(cycle)
    if not paper and present == 0:
        raise Conflict("Chưa có ai được đánh dấu có mặt.", en="Nobody is marked present.")
    question, created = BallotQuestion.objects.get_or_create(cycle=cycle, member=member, defaults={"paper": paper})
    if not created and question.state != QuestionState.DRAFT:
        raise Conflict("Câu hỏi này đã được bỏ phiếu.", en="This question was voted on already.")
    question.state, question.paper = QuestionState.OPEN, paper
    question.members_total, question.present_total = members, present
    question.save()
    BallotCount.objects.bulk_create([BallotCount(question=question, level=level) for level in LEVELS])
    if cycle.state != CycleState.MEETING:
        cycle.state = CycleState.MEETING
        cycle.save(update_fields=["state"])
    record("review_open", obj=question, org_unit=cycle.org_unit, summary=f"{cycle.key}: mở biểu quyết #{question.pk}")
    return question


def cast_vote(*, user: Any, question: BallotQuestion, level: str, via: str) -> None:
    """One secret ballot. Refused unless `via` is a logged-in browser session, the voter is a member marked
    present, the question is open and electronic, and the voter has not voted on it."""
    if via != "session":
        raise Forbidden("Chỉ bỏ phiếu trong phiên đăng nhập trên trình duyệt.", en="Votes are cast only in a signed-in browser session.")
    if level not in {lv.value for lv in LEVELS}:
        raise Invalid(f'Không có mức "{str(level)[:20]}".', en=f'No level "{str(level)[:20]}".', field="level")
    with transaction.atomic():
        # The question row is locked: votes on one question, and its closing, take turns (SQLite: one writer).
        locked = BallotQuestion.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=question.pk)
        if not ReviewMember.objects.filter(cycle_id=locked.cycle_id, user=user, present=True).exists() or not getattr(user, "is_active", False):
            raise Forbidden("Chỉ thành viên có mặt mới được bỏ phiếu.", en="Only members present may vote.")
        if locked.state != QuestionState.OPEN or locked.paper:
            raise Conflict("Biểu quyết này không mở.", en="This vote is not open.")
        if BallotParticipation.objects.filter(question=locked, voter=user).exists():
            raise Conflict("Bạn đã bỏ phiếu cho câu hỏi này.", en="You have voted on this question.")
        # No savepoint, and every level's counter rewritten by one statement: the rows this transaction writes
        # (the participation and all four counters) carry the same transaction id whatever the choice, so
        # PostgreSQL's row versions (xmin) cannot tell which counter a voter moved.
        BallotParticipation.objects.create(id=uuid.uuid4(), question=locked, voter=user)
        BallotCount.objects.filter(question=locked).update(count=F("count") + Case(When(level=level, then=Value(1)), default=Value(0)))


@transaction.atomic
def close_question(*, user: Any, question: BallotQuestion) -> None:
    locked = BallotQuestion.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=question.pk)
    require_review(user, ReviewAction.RUN_MEETING, locked.cycle)
    if locked.state != QuestionState.OPEN:
        raise Conflict("Biểu quyết này không mở.", en="This vote is not open.")
    if locked.paper:
        _reconciled(locked)  # a paper vote closes only once its two entries agree
    locked.state = QuestionState.CLOSED
    locked.save(update_fields=["state"])
    record("review_close", obj=locked, org_unit=locked.cycle.org_unit, summary=f"{locked.cycle.key}: đóng biểu quyết #{locked.pk}")


@transaction.atomic
def enter_paper_tally(*, user: Any, question: BallotQuestion, counts: dict[str, int], ballots: int, invalid: int = 0) -> PaperTally:
    """One counter's totals of a paper vote; entering again replaces one's own entry (to mend a mistake once the
    differences are shown). Two entries by different counters are compared (`differences`)."""
    require_review(user, ReviewAction.ENTER_PAPER, question.cycle)
    if not question.paper or question.state != QuestionState.OPEN:
        raise Conflict("Câu hỏi này không nhận phiếu giấy lúc này.", en="This question takes no paper totals now.")
    cleaned: dict[str, int] = {}
    for level in LEVELS:
        value = counts.get(level.value, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise Invalid(f'Số phiếu "{level.value}" phải là số nguyên không âm.', en=f'Votes for "{level.value}": a whole number ≥ 0.', field=level.value)
        cleaned[level.value] = value
    extra = [name for name in counts if name not in cleaned]
    if extra:
        raise Invalid(f"Không có mức {', '.join(extra)}.", en=f"No level {', '.join(extra)}.", field="counts")
    if sum(cleaned.values()) + invalid != ballots:
        raise Invalid(f"Tổng các mức ({sum(cleaned.values())}) cộng phiếu không hợp lệ ({invalid}) khác số phiếu thu về ({ballots}).",
                      en=f"The levels ({sum(cleaned.values())}) plus invalid ({invalid}) differ from the ballots ({ballots}).", field="ballots")
    if ballots > question.present_total:
        raise Invalid(f"Số phiếu thu về ({ballots}) nhiều hơn số có mặt ({question.present_total}).",
                      en=f"More ballots ({ballots}) than members present ({question.present_total}).", field="ballots")
    tally, created = PaperTally.objects.update_or_create(question=question, entered_by=user,
                                                         defaults={"counts": cleaned, "ballots": ballots, "invalid": invalid})
    record("review_paper", obj=question, org_unit=question.cycle.org_unit, summary=f"{question.cycle.key}: nhập phiếu giấy #{question.pk}")
    return tally


def differences(question: BallotQuestion) -> list[str]:
    """Where the two paper entries differ (empty when they agree); a note when fewer than two exist."""
    entries = list(PaperTally.objects.filter(question=question).order_by("pk"))
    if len(entries) < 2:
        return [f"Cần hai lần nhập độc lập, mới có {len(entries)}."]
    first = entries[0]
    found = []
    for other in entries[1:]:  # every entry must agree with the first
        found += [f"{level}: {first.counts.get(level, 0)} ≠ {other.counts.get(level, 0)}"
                  for level in (lv.value for lv in LEVELS) if first.counts.get(level, 0) != other.counts.get(level, 0)]
        found += [f"{name}: {getattr(first, name)} ≠ {getattr(other, name)}" for name in ("ballots", "invalid")
                  if getattr(first, name) != getattr(other, name)]
    return list(dict.fromkeys(found))


def _reconciled(question: BallotQuestion) -> dict[str, int]:
    found = differences(question)
    if found:
        raise Conflict("Hai lần nhập phiếu giấy chưa khớp: " + "; ".join(found), en="The two paper entries differ: " + "; ".join(found))
    entry = PaperTally.objects.filter(question=question).order_by("pk").first()
    BallotCount.objects.filter(question=question).delete()
    BallotCount.objects.bulk_create([BallotCount(question=question, level=level, count=n) for level, n in entry.counts.items()])
    return entry.counts


# --- decisions ------------------------------------------------------------------------------------------


@transaction.atomic
def decide(*, user: Any, cycle: ReviewCycle, level: str, member: ReviewMember | None = None, override_reason: str = "",
           lang: str = "vi") -> Decision:
    """The final level of a member or the collective, with the checks as they stand (review.tally.checks_for).
    A failed check blocks it unless `override_reason` says why (recorded and audited)."""
    from nghiquyet.review.tally import checks_for

    require_review(user, ReviewAction.DECIDE, cycle)
    cycle = ReviewCycle.objects.select_for_update(of=("self",)).select_related("org_unit", "resolution").get(pk=cycle.pk)  # decisions take turns: the quota sees them all
    if level not in [lv.value for lv in LEVELS]:
        raise Invalid(f'Không có mức "{str(level)[:20]}".', en=f'No level "{str(level)[:20]}".', field="level")
    if member is not None and member.cycle_id != cycle.pk:
        raise NotFound("Không có người này trong đợt.", en="No such member in the cycle.", field="member")
    reason = clean_text(override_reason, "override_reason", limit=2000, multiline=True)
    checks = checks_for(cycle, member, Level(level), lang=lang)
    failed = [check for check in checks if not check["passed"]]
    if failed and not reason:
        raise Conflict("Vi phạm quy tắc: " + "; ".join(check["text"] for check in failed) + ". Ghi lý do nếu vẫn quyết định.",
                       en="Rules broken: " + "; ".join(check["text"] for check in failed) + ". Give a reason to decide anyway.",
                       field="override_reason")
    decision, created = Decision.objects.select_for_update().get_or_create(
        cycle=cycle, member=member, defaults={"level": level, "checks": checks, "override_reason": reason if failed else "", "decided_by": user})
    if not created:
        decision.level, decision.checks, decision.override_reason, decision.decided_by = level, checks, reason if failed else "", user
        decision.version += 1
        decision.save()
    record("review_decide" if not failed else "review_override", obj=decision, org_unit=cycle.org_unit,
           summary=f"{cycle.key}: xếp loại #{member.pk if member else 'tập thể'}" + (" (quyết định dù vi phạm quy tắc)" if failed else ""),
           new={"override": bool(failed)})  # the level stays in the decision: the audit points to it
    if not cycle.members.exclude(pk__in=Decision.objects.filter(cycle=cycle).exclude(member=None).values("member")).exists() \
            and Decision.objects.filter(cycle=cycle, member=None).exists():
        cycle.state = CycleState.DECIDED
        cycle.save(update_fields=["state"])
    return decision

