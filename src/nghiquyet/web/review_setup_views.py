"""Setting a review cycle up on the web (administrators of its unit: the cycle, its members, who takes part)
and the appraisers' records (facts about the collective, each member's 27-manifestation checklist); the
forms post to review.services, as the rest of web.review_views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nghiquyet.accounts.permissions import ADMIN, Forbidden, grants
from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.lib.validation import form_date, small_int
from nghiquyet.review import services
from nghiquyet.review.models import ReviewCycle
from nghiquyet.review.policies import ReviewAction
from nghiquyet.web.review_views import _act, _member
from nghiquyet.web.views import _lang, allowed


def _user_named(username: str | None):
    from django.contrib.auth import get_user_model

    if not username:
        return None
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise DomainError(f'Không có người dùng "{username[:40]}".', en=f'No user "{username[:40]}".', field="username")
    return user


@require_POST
@allowed()
def review_create(request: HttpRequest) -> HttpResponse:
    """A new cycle, by an administrator of its unit; the rule set is the year's unless one is chosen."""
    if not (request.user.is_superuser or any(g.rank >= ADMIN for g in grants(request.user))):
        raise Forbidden("Chỉ quản trị đơn vị mới tạo đợt kiểm điểm.", en="Only unit administrators create review cycles.")
    try:
        year = small_int(request.POST.get("year"), digits=4)
        if year is None:
            raise DomainError("Cần năm kiểm điểm.", en="A review year is needed.", field="year")
        cycle = services.create_cycle(
            user=request.user, key=request.POST.get("key", ""), title=request.POST.get("title", ""), org_code=request.POST.get("org", ""),
            collective=request.POST.get("collective", ""), year=year, rule_set=request.POST.get("rule_set") or None,
            resolution_key=request.POST.get("resolution") or None, period=request.POST.get("period", ""),
            meeting_on=form_date(request.POST.get("meeting_on"), "meeting_on"), quota_raised=request.POST.get("quota_raised") == "1",
            basic_targets=[code for code in (request.POST.get("basic_targets") or "").replace(";", ",").split(",")],
            self_assessment_due=form_date(request.POST.get("self_assessment_due"), "self_assessment_due"))
    except DomainError as error:  # an unknown unit included: said as for a unit that does not exist
        messages.error(request, error.text(_lang(request)))
        return redirect(reverse("web:reviews"))
    messages.success(request, _("Đã tạo đợt kiểm điểm."))
    return redirect(reverse("web:review", args=[cycle.key]))


@require_POST
@allowed()
def review_add_member(request: HttpRequest, cycle_key: str) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        services.add_member(user=request.user, cycle=cycle, name=request.POST.get("name", ""), position=request.POST.get("position", ""),
                            is_head=request.POST.get("is_head") == "1", member_user=_user_named(request.POST.get("username")))
        return _("Đã thêm người được kiểm điểm.")
    return _act(request, cycle_key, ReviewAction.SET_UP, do)


@require_POST
@allowed()
def review_grant(request: HttpRequest, cycle_key: str) -> HttpResponse:
    def do(cycle: ReviewCycle) -> str:
        to = _user_named(request.POST.get("username"))
        if to is None:
            raise DomainError("Cần tên đăng nhập của người được phân công.", en="The username of the person is needed.", field="username")
        services.grant(user=request.user, cycle=cycle, to=to, role=request.POST.get("role", ""))
        return _("Đã phân công.")
    return _act(request, cycle_key, ReviewAction.SET_UP, do)


FACT_FIELDS = ("collective_disciplined", "leadership_member_disciplined", "subordinate_unit_disciplined", "corruption_in_scope",
               "disunity", "shortcomings_fixed", "cadre_work_wrongdoing")


@require_POST
@allowed()
def review_facts(request: HttpRequest, cycle_key: str) -> HttpResponse:
    """What the figures cannot say about the collective (yes, no, or not known), and the share of subordinate
    units disciplined."""
    def do(cycle: ReviewCycle) -> str:
        answers = {"yes": True, "no": False, "": None}
        facts: dict[str, Any] = {}
        for name in FACT_FIELDS:
            value = request.POST.get(name, "")
            if value not in answers:
                raise DomainError(f'"{name}": có, không hoặc để trống.', en=f'"{name}": yes, no or blank.', field=name)
            facts[name] = answers[value]
        share = (request.POST.get("subordinate_units_disciplined_percent") or "").strip().replace(",", ".")
        if share:
            try:
                facts["subordinate_units_disciplined_share"] = str(float(share) / 100)
            except ValueError:
                raise DomainError("Tỷ lệ tổ chức trực thuộc bị kỷ luật phải là một số (%).", en="The share must be a number (%).",
                                  field="subordinate_units_disciplined_percent") from None
        quarters = [part.strip() for part in (request.POST.get("quarter_points") or "").split(";") if part.strip()]
        if quarters or "quarter_points" in request.POST:
            facts["quarter_points"] = quarters or None
        services.record_facts(user=request.user, cycle=cycle, facts=facts)
        return _("Đã ghi thông tin về tập thể.")
    return _act(request, cycle_key, ReviewAction.RECORD_FINDINGS, do)


@require_POST
@allowed()
def review_findings(request: HttpRequest, cycle_key: str) -> HttpResponse:
    """A member's checklist of the 27 manifestations: every item is recorded, found where ticked."""
    from nghiquyet.review.manifestations import CODES

    def do(cycle: ReviewCycle) -> str:
        member = _member(cycle, request.POST.get("member"))
        if member is None:
            raise NotFound("Không có người này trong đợt.", en="No such member in the cycle.", field="member")
        found = set(request.POST.getlist("found"))
        services.record_findings(user=request.user, member=member, found={code: code in found for code in CODES} | {
            code: True for code in found if code not in CODES})
        return _("Đã ghi kết quả rà soát 27 biểu hiện.")
    return _act(request, cycle_key, ReviewAction.RECORD_FINDINGS, do)


@require_POST
@allowed()
def review_adjust(request: HttpRequest, cycle_key: str) -> HttpResponse:
    """One rule parameter changed for this cycle (or put back to the file's value when left empty)."""
    from nghiquyet.review import rule_files
    from nghiquyet.review.adjustments import adjust_rule, parameter_value

    def do(cycle: ReviewCycle) -> str:
        rule_id, parameter = request.POST.get("rule", ""), request.POST.get("parameter", "")
        rule = rule_files.get(cycle.rule_set).rule(rule_id)
        original = rule.params.get(parameter) if rule else None
        adjust_rule(user=request.user, cycle=cycle, rule_id=rule_id, parameter=parameter,
                    value=parameter_value(request.POST.get("value", ""), original))
        return _("Đã điều chỉnh tham số của quy tắc cho đợt này.")
    return _act(request, cycle_key, ReviewAction.SET_UP, do)
