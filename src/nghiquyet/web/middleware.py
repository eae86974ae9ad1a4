"""Request middleware: who is acting (for the audit trail), rate limits, and the content security policy."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from nghiquyet.accounts.permissions import request_scope
from nghiquyet.audit.context import acting_as, actor_for_request, client_ip
from nghiquyet.web import ratelimit

Handler = Callable[[HttpRequest], HttpResponse]


class LanguageMiddleware:
    """Vietnamese first: pages are Vietnamese unless the user chose English (the language cookie set by
    the switch in the header); a browser's own preference does not switch a Vietnamese office's screens.
    API clients may ask for English error messages with Accept-Language."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = None
        if chosen is None and request.path.startswith("/api/"):
            chosen = translation.get_language_from_request(request)
        language = chosen or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulMiddleware:
    """A NUL character anywhere in a request — path, query string, form fields, a JSON body — is a 400
    naming the field, before any view runs: PostgreSQL cannot even compare text with it, so a lookup by a
    key holding one would fail deep inside (lib.validation refuses the other control characters where
    text is stored)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        field: str | None | bool = False
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            field = next((name for name, values in request.GET.lists() if any("\x00" in v for v in values)), None)
        elif request.method in ("POST", "PUT", "PATCH", "DELETE"):
            field = _nul_in_body(request)
        if field is False:
            return self.get_response(request)
        message = "Yêu cầu chứa ký tự NUL (mã 0), không xử lý được."
        if field:
            message = f"Trường {field} chứa ký tự NUL (mã 0), không xử lý được."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "field": field or None}, status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _nul_in_body(request: HttpRequest) -> str | None | bool:
    """The field of a JSON or form body that holds a NUL (None when it cannot be named), or False."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        # Not read here: parsing it would consume the stream the view (or django-ninja) reads, and a file
        # upload may be larger than the in-memory body limit. Views that take multipart forms check
        # their fields with lib.validation.
        return False
    body = request.body
    if b"\x00" not in body and b"\\u0000" not in body.lower() and b"%00" not in body:
        return False
    if content_type.startswith("application/json"):
        try:
            return _nul_path(json.loads(body)) or False
        except ValueError:
            return None  # not JSON: the view's parser says so, but NUL goes no further
    if content_type.startswith("application/x-www-form-urlencoded"):
        return next((name for name, values in request.POST.lists() if any("\x00" in v for v in values)), False)
    return None if b"\x00" in body else False


def _nul_path(value: object, path: str = "") -> str | None:
    """The dotted path of the first string (key or value) holding a NUL."""
    if isinstance(value, str):
        return path or "body" if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return "body"
            found = _nul_path(item, here)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


class AccessScopeMiddleware:
    """Each request reads its user's roles once, and keeps its API token's scope, in its own context."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)


class AuditActorMiddleware:
    """Every change made while handling a request is audited under the request's user and address.

    API token requests set their actor again once the token is known (api.auth.TokenAuth)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        via = "api" if request.path.startswith("/api/") else "web"
        with acting_as(actor_for_request(request, via=via)):
            return self.get_response(request)


class RateLimitMiddleware:
    """Fixed one-minute windows counted atomically where every app server sees them (web.ratelimit:
    Redis, or a counter table). Login attempts are limited per address, API calls per user and address."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limits = settings.NGHIQUYET_RATE_LIMITS
        if request.method == "POST" and request.path == settings.NGHIQUYET_LOGIN_PATH:
            buckets, limit = [f"login:{client_ip(request)}"], limits.get("login")
        elif request.path.startswith("/api/"):
            # Counted per address whatever the request claims to be (an invented token must not open a
            # fresh bucket), and per logged-in user too (one user from many addresses).
            buckets, limit = [f"api:ip:{client_ip(request)}"], limits.get("api")
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                buckets.append(f"api:user:{user.pk}")
        else:
            return self.get_response(request)
        if limit and any(count > limit for count in ratelimit.hit(buckets)):
            retry = str(ratelimit.seconds_left())
            if request.path.startswith("/api/"):
                response: HttpResponse = JsonResponse({"detail": "Quá nhiều yêu cầu; thử lại sau ít phút.", "field": None}, status=429)
            else:
                response = HttpResponse("Quá nhiều lần đăng nhập; thử lại sau một phút.", status=429, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = retry
            return response
        return self.get_response(request)


# Our pages run only our own static files: no inline script, no other site. The API docs (Swagger UI)
# set inline styles, so that one page alone may use them.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'{styles}; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        inline_styles = request.path.startswith("/api/v1/docs")
        response.setdefault("Content-Security-Policy", CSP.format(styles=" 'unsafe-inline'" if inline_styles else ""))
        return response
