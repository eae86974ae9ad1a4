"""The annual review on the web: the cycles a person takes part in, a cycle's page (its frame for everyone it
names and for the administrators who set it up; its records — self-assessments, votes, tally, decisions,
complaints — for those it names, in a session verified with the second factor), and the forms that change it
(review.services, review.assessments). Votes are cast here only: in a logged-in browser session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nghiquyet.accounts.permissions import ADMIN, Forbidden, grants
from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.lib.validation import small_int
from nghiquyet.review import assessments, services
from nghiquyet.review.models import (
    AssessmentState,
    BallotParticipation,
    BallotQuestion,
    Complaint,
    CycleGrant,
    CycleRole,
    Decision,
    QuestionState,
    ReviewCycle,
    ReviewMember,
    SelfAssessment,
)
from nghiquyet.review.policies import ReviewAction, may_review, roles_of
from nghiquyet.review.rules import LEVELS, fact_name, level_label
from nghiquyet.review.tally import tally_of
from nghiquyet.web.views import _lang, allowed


def two_factor_ok(request: HttpRequest) -> bool:
    """Review records need a session verified with the second factor (NGHIQUYET_REVIEW_TWO_FACTOR, on by default)."""
    if not getattr(settings, "NGHIQUYET_REVIEW_TWO_FACTOR", True):
        return True
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def _require_records(request: HttpRequest, cycle_key: str, action: str) -> ReviewCycle:
    cycle = services.get_cycle(key=cycle_key, user=request.user, action=action)
    if not two_factor_ok(request):
        raise Forbidden("Cần đăng nhập với xác thực hai bước để làm việc với hồ sơ kiểm điểm.",
                        en="Review records need a sign-in with the second factor.")
    return cycle


@allowed()
def review_list(request: HttpRequest) -> HttpResponse:
    """The cycles the person is named in, and those of units they administer (to set up)."""
    paths = [g.path for g in grants(request.user) if g.rank >= ADMIN]
    managed = Q(pk__in=[])  # matches nothing
    for path in paths:
        managed |= Q(org_unit__path__startswith=path)
    named = Q(pk__in=CycleGrant.objects.filter(user=request.user).values("cycle"))
    cycles = ReviewCycle.objects.all() if request.user.is_superuser else ReviewCycle.objects.filter(named | managed)
    from nghiquyet.review import rule_files

    return render(request, "web/reviews.html", {"cycles": cycles.select_related("org_unit").order_by("-year", "key"),
                                                "may_create": request.user.is_superuser or bool(paths),
                                                "rule_sets": list(rule_files.shipped().values())})


def _member(cycle: ReviewCycle, value: str | None) -> ReviewMember | None:
    """A member of the cycle by id; None for the collective (empty)."""
    if not value:
        return None
    number = small_int(value)
    member = cycle.members.filter(pk=number).first() if number else None
    if member is None:
        raise NotFound("Không có người này trong đợt.", en="No such member in the cycle.", field="member")
    return member


def _question(cycle: ReviewCycle, question_id: int) -> BallotQuestion:
    question = BallotQuestion.objects.filter(cycle=cycle, pk=question_id).select_related("cycle", "member").first()
    if question is None:
        raise NotFound("Không có câu hỏi biểu quyết này.", en="No such question.", field="question")
    return question


def _fields(assessment: SelfAssessment | None, member: ReviewMember | None, lang: str) -> list[dict[str, str]]:
    """The sections of the subject's form with what was written (a draft is refilled, never emptied)."""
    form = assessment.form if assessment else assessments.forms_for(member)[0]
    texts = assessment.sections if assessment else {}
    return [{"key": section["key"], "label": section["en"] if lang == "en" else section["vi"], "text": texts.get(section["key"], "")}
            for section in assessments.FORMS["forms"][form]["sections"]]


def _records(request: HttpRequest, cycle: ReviewCycle, lang: str) -> dict[str, Any]:
    """What the page shows of the cycle's records (audited as a read by tally_of)."""
    tally = tally_of(cycle, lang=lang, reader=request.user)
    user = request.user
    me = cycle.members.filter(user=user).first() if user.is_authenticated else None
    voted = set(BallotParticipation.objects.filter(question__cycle=cycle, voter=user).values_list("question_id", flat=True))
    items = [(None, cycle.collective, tally.collective), *((t.member, t.member.name, t) for t in tally.members)]
    assessed = {a.member_id: a for a in SelfAssessment.objects.filter(cycle=cycle).prefetch_related("comments__author")}
    decisions = {d.member_id: d for d in Decision.objects.filter(cycle=cycle)}
    complaints = Complaint.objects.filter(decision__cycle=cycle).select_related("decision", "decision__member", "filed_by")
    rows = []
    for member, name, item in items:
        question = item.question
        rows.append({
            "member": member, "name": name, "tally": item.as_json(), "question": question,
            "assessment": assessed.get(member.pk if member else None),
            "decision": decisions.get(member.pk if member else None),
            "may_vote": bool(question and question.state == QuestionState.OPEN and not question.paper and me and me.present
                             and question.pk not in voted),
            "has_voted": bool(question and question.pk in voted),
            "may_write": assessments._may_write(user, cycle, member),
            "fields": _fields(assessed.get(member.pk if member else None), member, lang),
            "checklist": services.checklist(member) if member else None,
            "forms": assessments.forms_for(member),
        })
    from nghiquyet.review.manifestations import DATA as MANIFESTATIONS
    from nghiquyet.web.review_setup_views import FACT_FIELDS

    facts = cycle.facts
    answers = {name: ("yes" if facts.get(name) is True else "no" if facts.get(name) is False else "") for name in FACT_FIELDS}
    share = facts.get("subordinate_units_disciplined_share")
    return {"manifestations": MANIFESTATIONS["groups"],
            "fact_rows": [(name, fact_name(name, lang), answers[name]) for name in FACT_FIELDS],
            "subordinate_percent": f"{float(share) * 100:g}" if share is not None else "",
            "quarter_points": "; ".join(str(q) for q in facts.get("quarter_points", [])),
            "tally": tally, "ceiling_label": level_label(tally.ceiling.level, lang), "rows": rows, "me": me, "complaints": complaints, "forms": assessments.FORMS["forms"],
            "scale": tally.rule_set.scale, "submitted": AssessmentState.SUBMITTED}


@allowed()
def review_page(request: HttpRequest, cycle_key: str) -> HttpResponse:
    cycle = services.get_cycle(key=cycle_key, user=request.user)
    lang = _lang(request)
    roles = roles_of(request.user, cycle)
    context: dict[str, Any] = {
        "cycle": cycle, "members": list(cycle.members.all()), "roles": sorted(roles),
        "role_labels": [str(CycleRole(role).label) for role in sorted(roles)], "can_set_up": may_review(request.user, ReviewAction.SET_UP, cycle),
        "levels": [(level.value, level_label(level, lang)) for level in LEVELS],
        "participants": CycleGrant.objects.filter(cycle=cycle).select_related("user").order_by("role", "user__username"),
        "may": {action.name.lower(): may_review(request.user, action, cycle) for action in ReviewAction},
        "needs_two_factor": False, "cycle_roles": CycleRole.choices,
        "adjustable": _adjustable(cycle) if may_review(request.user, ReviewAction.SET_UP, cycle) else [],
    }
    if context["may"]["read_records"]:
        if two_factor_ok(request):
            context |= _records(request, cycle, lang)
        else:
            context["needs_two_factor"] = True
    return render(request, "web/review.html", context)


def _adjustable(cycle: ReviewCycle) -> list[dict[str, Any]]:
    """The rule parameters a cycle may change, with the file's value, this cycle's and how sure we are of the rule."""
    from nghiquyet.review import rule_files

    rows = []
    for rule in rule_files.get(cycle.rule_set).rules:
        for name, value in rule.params.items():
            if isinstance(value, str | int | float | bool | dict) and not name.endswith(("_note", "_certainty")) and name != "group":
                rows.append({"rule": rule.id, "parameter": name, "file": value, "certainty": rule.certainty,
                             "cycle": cycle.adjustments.get(rule.id, {}).get(name)})
    return rows


def _act(request: HttpRequest, cycle_key: str, action: str, do: Callable[[ReviewCycle], str]) -> HttpResponse:
    """Run a form's change; its message (or the user's mistake, named) shown on the cycle's page. Setting a
    cycle up touches its frame only; everything else is a record and needs the second factor."""
    if action == ReviewAction.SET_UP:
        cycle = services.get_cycle(key=cycle_key, user=request.user, action=action)
    else:
        cycle = _require_records(request, cycle_key, action)
    try:
        messages.success(request, do(cycle))
    except (NotFound, Forbidden):
        raise
    except DomainError as error:
        messages.error(request, error.text(_lang(request)))
    return redirect(reverse("web:review", args=[cycle.key]))


@require_POST
@allowed()
def review_assess(request: HttpRequest, cycle_key: str) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        member = _member(cycle, request.POST.get("member"))
        form = request.POST.get("form") or None
        keys = [s["key"] for s in assessments.FORMS["forms"].get(form or assessments.forms_for(member)[0], {"sections": []})["sections"]]
        assessments.save_assessment(
            user=request.user, cycle=cycle, member=member, form=form, sections={k: request.POST.get(k, "") for k in keys},
            general_points=request.POST.get("general_points"), task_points=request.POST.get("task_points"),
            proposed_level=request.POST.get("proposed_level", ""), submit=request.POST.get("submit") == "1",
            version=small_int(request.POST.get("version")))
        return _("Đã nộp bản kiểm điểm.") if request.POST.get("submit") == "1" else _("Đã lưu bản nháp.")
    return _act(request, cycle_key, ReviewAction.READ_RECORDS, do)


def _assessment(cycle: ReviewCycle, assessment_id: int) -> SelfAssessment:
    found = SelfAssessment.objects.filter(cycle=cycle, pk=assessment_id).select_related("cycle", "member").first()
    if found is None:
        raise NotFound("Không có bản kiểm điểm này.", en="No such self-assessment.", field="assessment")
    return found


@require_POST
@allowed()
def review_revise(request: HttpRequest, cycle_key: str, assessment_id: int) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        assessments.revise(user=request.user, assessment=_assessment(cycle, assessment_id))
        return _("Bản kiểm điểm đã trở lại bản nháp để sửa.")
    return _act(request, cycle_key, ReviewAction.READ_RECORDS, do)


@require_POST
@allowed()
def review_comment(request: HttpRequest, cycle_key: str, assessment_id: int) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        assessments.comment(user=request.user, assessment=_assessment(cycle, assessment_id), text=request.POST.get("text", ""))
        return _("Đã gửi góp ý.")
    return _act(request, cycle_key, ReviewAction.READ_RECORDS, do)


@require_POST
@allowed()
def review_attendance(request: HttpRequest, cycle_key: str) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        present = set(request.POST.getlist("present"))
        for member in cycle.members.all():
            if (str(member.pk) in present) != member.present:
                services.set_present(user=request.user, member=member, present=str(member.pk) in present)
        return _("Đã cập nhật danh sách có mặt.")
    return _act(request, cycle_key, ReviewAction.RUN_MEETING, do)


@require_POST
@allowed()
def review_open(request: HttpRequest, cycle_key: str) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        services.open_question(user=request.user, cycle=cycle, member=_member(cycle, request.POST.get("member")),
                               paper=request.POST.get("paper") == "1")
        return _("Đã mở biểu quyết.")
    return _act(request, cycle_key, ReviewAction.RUN_MEETING, do)


@require_POST
@allowed()
def review_vote(request: HttpRequest, cycle_key: str, question_id: int) -> HttpResponse:
    """A secret ballot, in this browser session only (never an API token)."""
    def do(cycle: ReviewCycle) -> str:
        services.cast_vote(user=request.user, question=_question(cycle, question_id), level=request.POST.get("level", ""), via="session")
        return _("Đã ghi nhận phiếu của bạn. Phiếu không gắn với tên người bỏ phiếu.")
    return _act(request, cycle_key, ReviewAction.READ_RECORDS, do)


@require_POST
@allowed()
def review_close(request: HttpRequest, cycle_key: str, question_id: int) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        services.close_question(user=request.user, question=_question(cycle, question_id))
        return _("Đã đóng biểu quyết; kết quả được công bố.")
    return _act(request, cycle_key, ReviewAction.RUN_MEETING, do)


@require_POST
@allowed()
def review_paper(request: HttpRequest, cycle_key: str, question_id: int) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        counts = {level.value: small_int(request.POST.get(level.value)) or 0 for level in LEVELS}
        services.enter_paper_tally(user=request.user, question=_question(cycle, question_id), counts=counts,
                                   ballots=small_int(request.POST.get("ballots")) or 0, invalid=small_int(request.POST.get("invalid")) or 0)
        return _("Đã nhập kết quả kiểm phiếu giấy.")
    return _act(request, cycle_key, ReviewAction.ENTER_PAPER, do)


@require_POST
@allowed()
def review_decide(request: HttpRequest, cycle_key: str) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        services.decide(user=request.user, cycle=cycle, member=_member(cycle, request.POST.get("member")),
                        level=request.POST.get("level", ""), override_reason=request.POST.get("override_reason", ""), lang=_lang(request))
        return _("Đã ghi quyết định xếp loại.")
    return _act(request, cycle_key, ReviewAction.DECIDE, do)


@require_POST
@allowed()
def review_complain(request: HttpRequest, cycle_key: str) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        decision = Decision.objects.filter(cycle=cycle, pk=small_int(request.POST.get("decision")) or 0).select_related("cycle", "member").first()
        if decision is None:
            raise NotFound("Không có quyết định này.", en="No such decision.", field="decision")
        assessments.file_complaint(user=request.user, decision=decision, text=request.POST.get("text", ""))
        return _("Đã gửi khiếu nại lên cấp có thẩm quyền.")
    return _act(request, cycle_key, ReviewAction.READ_RECORDS, do)


@require_POST
@allowed()
def review_resolve(request: HttpRequest, cycle_key: str, complaint_id: int) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        complaint = Complaint.objects.filter(decision__cycle=cycle, pk=complaint_id).select_related("decision__cycle", "decision__member").first()
        if complaint is None:
            raise NotFound("Không có khiếu nại này.", en="No such complaint.", field="complaint")
        assessments.resolve_complaint(user=request.user, complaint=complaint, upheld=request.POST.get("upheld") == "1",
                                      outcome=request.POST.get("outcome", ""), new_level=request.POST.get("new_level", ""))
        return _("Đã ghi kết quả giải quyết khiếu nại.")
    return _act(request, cycle_key, ReviewAction.DECIDE, do)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"  # review records stay out of shared caches
    return response


@allowed()
def review_results(request: HttpRequest, cycle_key: str, fmt: str) -> HttpResponse:
    """The results table (biên bản kiểm phiếu và tổng hợp kết quả xếp loại) as DOCX or XLSX, for those the
    cycle names (the download is audited as a read, like the page)."""
    from nghiquyet.review.documents import results_docx, results_xlsx

    cycle = _require_records(request, cycle_key, ReviewAction.READ_RECORDS)
    if fmt not in ("xlsx", "docx"):
        raise NotFound("Không có định dạng này.", en="No such format.", field="format")
    tally = tally_of(cycle, lang=_lang(request), reader=request.user)
    if fmt == "xlsx":
        return _download(results_xlsx(tally), XLSX, f"ket-qua-xep-loai-{cycle.key}.xlsx")
    return _download(results_docx(tally, day=cycle.meeting_on or timezone.localdate()), DOCX, f"ket-qua-xep-loai-{cycle.key}.docx")


@allowed()
def review_report(request: HttpRequest, cycle_key: str) -> HttpResponse:
    """The collective's review report (Mẫu 01) in the Party's layout, with the figures' sentence and the ceiling."""
    from nghiquyet.review.documents import review_report_docx
    from nghiquyet.review.tally import collective_ceiling

    cycle = _require_records(request, cycle_key, ReviewAction.READ_RECORDS)
    tally = tally_of(cycle, lang=_lang(request), reader=request.user)
    found = collective_ceiling(cycle)
    sentence = found.scorecard.sentence if hasattr(found, "scorecard") else ""
    content = review_report_docx(tally, day=cycle.meeting_on or timezone.localdate(), sentence=sentence,
                                 assessment=SelfAssessment.objects.filter(cycle=cycle, member=None).first())
    return _download(content, DOCX, f"bao-cao-kiem-diem-{cycle.key}.docx")

