"""Account pages: one's roles, API tokens and two-step login; the audit trail; unit administration."""

from __future__ import annotations

import base64
from datetime import datetime, time
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from nghiquyet.accounts import services
from nghiquyet.accounts.models import ApiToken, Membership, Role, TokenScope
from nghiquyet.accounts.permissions import (
    ADMIN,
    Action,
    Forbidden,
    forget_grants,
    may,
    require,
    units_q,
    visible_units_q,
)
from nghiquyet.audit import wording
from nghiquyet.audit.api import visible_events
from nghiquyet.audit.services import actors_of, as_json, events, field_labels, record
from nghiquyet.lib.errors import DomainError, NotFound
from nghiquyet.lib.export import csv_text
from nghiquyet.notifications.services import Message, notify
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.web.views import _lang, allowed


def _parse_day(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return timezone.make_aware(datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time.max))
    except ValueError:
        return None


@allowed()
def account(request: HttpRequest) -> HttpResponse:
    """Your roles, your API tokens (a new one shown once), your two-step login."""
    new_secret = None
    if request.method == "POST":
        try:
            _, new_secret = services.create_token(
                user=request.user,
                name=request.POST.get("name", ""),
                scope=request.POST.get("scope", TokenScope.READ),
                expires_at=_parse_day(request.POST.get("expires")),
            )
        except DomainError as error:
            messages.error(request, str(error))
    return render(
        request,
        "web/account.html",
        {
            "memberships": Membership.objects.filter(user=request.user).select_related("org_unit").order_by("org_unit__path"),
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "new_secret": new_secret,
            "scopes": TokenScope.choices,
            "totp": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        },
    )


@require_POST
@allowed()
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_token(token=get_object_or_404(ApiToken, pk=token_id, user=request.user))
        messages.success(request, _("Đã thu hồi khóa API."))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("web:account")


@allowed()
def two_step(request: HttpRequest) -> HttpResponse:
    """Turn on a TOTP second factor: scan the code (or type the key) in an authenticator app, confirm."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if request.method == "POST" and request.POST.get("action") == "off" and confirmed:
        if not confirmed.verify_token(request.POST.get("token", "").strip()):
            messages.error(request, _("Cần nhập mã 6 chữ số đang hiện trong ứng dụng để tắt xác thực hai bước."))
            return redirect("web:two_step")
        confirmed.delete()
        record("otp_off", object_type="auth.user", object_id=request.user.pk, summary=request.user.get_username())
        messages.success(request, _("Đã tắt xác thực hai bước."))
        return redirect("web:account")
    if confirmed is None and device is None:
        device = TOTPDevice.objects.create(user=request.user, name="nghiquyet", confirmed=False)
    if request.method == "POST" and device is not None:
        if device.verify_token(request.POST.get("token", "").strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)  # this session is verified now (the review's records need it)
            notify(users=[request.user], message=Message(  # in the app and by email: a stranger's enrolment shows
                key=f"otp_on:{device.pk}", subject=_("Xác thực hai bước vừa được bật cho tài khoản của bạn"),
                body=_("Nếu không phải bạn bật, hãy báo ngay cho quản trị đơn vị và đổi mật khẩu.")))
            record("otp_on", object_type="auth.user", object_id=request.user.pk, summary=request.user.get_username())
            messages.success(request, _("Đã bật xác thực hai bước: từ lần đăng nhập sau, cần nhập mã từ ứng dụng."))
            return redirect("web:account")
        messages.error(request, _("Mã không đúng; hãy nhập mã 6 chữ số đang hiện trong ứng dụng."))
    context = {"confirmed": confirmed}
    if device is not None:
        context |= {
            "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True),
            "key": _base32(device.bin_key),
        }
    return render(request, "web/two_step.html", context)


def _base32(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@allowed(Action.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit trail of the units the user administers, newest first, as sentences, 50 a page; filtered by
    select lists; exportable to CSV (times in Vietnam, with the offset)."""
    since = request.GET.get("since") or None
    actor = request.GET.get("user") or None
    action = request.GET.get("action") or None
    object_type = request.GET.get("object") or None
    try:
        since_day = datetime.strptime(since, "%Y-%m-%d").date() if since else None
    except ValueError:
        since_day = None
        messages.error(request, _("Ngày không hợp lệ; viết dạng 2026-01-31."))
    visible = visible_events(request.user)
    found = events(visible, since=since_day, actor=actor, action=action, object_type=object_type)
    if request.GET.get("format") == "csv":
        record("export", object_type="audit.auditevent", summary=f"nhật ký: since={since} user={actor} action={action} object={object_type}")
        header = ["at", "actor", "via", "ip", "action", "object_type", "object_id", "summary", "old", "new"]
        rows = (
            [timezone.localtime(e.at).isoformat(), e.actor, e.via, e.ip, e.action, e.object_type, e.object_id, e.summary,
             as_json(e.old), as_json(e.new)]
            for e in found.iterator()
        )
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="nhat-ky.csv"'
        return response
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    lang = _lang(request)
    labels = field_labels(e.object_type for e in page)
    rows = [(e, wording.describe(at=e.at, actor=e.actor, action=e.action, object_type=e.object_type, summary=e.summary,
                                 old=e.old, new=e.new, labels=labels.get(e.object_type, {}), lang=lang)) for e in page]
    actors = actors_of(visible)
    query = urlencode({k: v for k, v in (("since", since), ("user", actor), ("action", action), ("object", object_type)) if v})
    context = {"rows": rows, "page": page, "since": since or "", "actor": actor or "", "action": action or "", "object": object_type or "",
               "actors": actors, "query": query,
               "actions": [(key, wording.word(wording.ACTIONS, key, lang)) for key in wording.ACTIONS],
               "objects": [(key, wording.word(wording.OBJECTS, key, lang)) for key in wording.OBJECTS]}
    return render(request, "web/audit.html", context)


@allowed(Action.MANAGE)
def members(request: HttpRequest) -> HttpResponse:
    """Unit administration: who holds which role at the units you administer; give and take roles;
    create accounts; reset a password."""
    User = get_user_model()
    admin_units = OrgUnit.objects.filter(units_q(request.user, ADMIN, field="")).order_by("path")
    if request.method == "POST":
        try:
            _members_action(request, User)
        except DomainError as error:
            messages.error(request, str(error))
        return redirect("web:members")
    memberships = Membership.objects.filter(units_q(request.user, ADMIN)).select_related("user", "org_unit").order_by("org_unit__path", "user__username")
    return render(request, "web/members.html", {"memberships": memberships, "units": admin_units[:2000], "roles": Role.choices})


def _members_action(request: HttpRequest, User) -> None:
    action = request.POST.get("action")
    if action == "grant":
        unit = _posted(request, OrgUnit.objects.filter(visible_units_q(request.user)), "org_unit")
        require(request.user, Action.MANAGE, unit)
        username = request.POST.get("username", "").strip()
        user = services.get_user(username=username)
        services.grant_role(user=user, org_unit=unit, role=request.POST.get("role", ""), granted_by=request.user)
        messages.success(request, _("Đã giao vai trò cho %(user)s tại %(unit)s.") % {"user": user.get_username(), "unit": unit.name})
    elif action == "revoke":
        membership = _posted(request, Membership.objects.filter(units_q(request.user, ADMIN)).select_related("org_unit", "user"), "membership")
        require(request.user, Action.MANAGE, membership.org_unit)
        services.revoke_role(membership=membership)
        messages.success(request, _("Đã thu hồi vai trò."))
    elif action == "create":
        unit = _posted(request, OrgUnit.objects.filter(visible_units_q(request.user)), "org_unit")
        require(request.user, Action.MANAGE, unit)
        user = services.create_user(username=request.POST.get("username", ""), password=request.POST.get("password", ""))
        services.grant_role(user=user, org_unit=unit, role=request.POST.get("role", Role.VIEWER), granted_by=request.user)
        messages.success(request, _("Đã tạo tài khoản %(user)s.") % {"user": user.get_username()})
    elif action == "password":
        user = services.get_user(username=request.POST.get("username", ""))
        _require_admin_over(request, user)
        services.set_password(user=user, password=request.POST.get("password", ""))
        messages.success(request, _("Đã đặt lại mật khẩu cho %(user)s.") % {"user": user.get_username()})
    forget_grants(request.user)


def _posted(request: HttpRequest, rows, field: str):
    """The row a form field names by id, among `rows` (those the user may see): anything else, a
    missing id, a hidden one or text that is no id at all, is the same "not found"."""
    raw = request.POST.get(field, "")
    found = rows.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
    if found is None:
        raise NotFound("Không tìm thấy.", en="Not found.", field=field)
    return found


def _require_admin_over(request: HttpRequest, user) -> None:
    """A unit admin may reset the password of users whose every role lies within units they administer."""
    if request.user.is_superuser:
        return
    if user.is_superuser:
        raise Forbidden("Mật khẩu của quản trị hệ thống chỉ quản trị hệ thống đặt lại được.")
    units = [m.org_unit for m in Membership.objects.filter(user=user).select_related("org_unit")]
    if not units or not all(may(request.user, Action.MANAGE, unit) for unit in units):
        raise Forbidden("Chỉ quản trị của mọi đơn vị mà tài khoản này thuộc về mới đặt lại được mật khẩu.")
