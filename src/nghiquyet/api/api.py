"""The REST API at /api/v1/: OpenAPI schema at /api/v1/openapi.json, interactive docs at /api/v1/docs.

Every operation needs a personal API token (Authorization: Bearer nq_…) or a logged-in session
(django_auth, which also checks CSRF on writes), except /health, the schema and the docs. A user's mistake is a 4xx with {"detail", "field"}; never a 500.
"""


from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth

from nghiquyet import __version__
from nghiquyet.accounts.api import router as accounts_router
from nghiquyet.accounts.permissions import Forbidden
from nghiquyet.api.auth import TokenAuth
from nghiquyet.audit.api import router as audit_router
from nghiquyet.figures.api import router as figures_router
from nghiquyet.followup.api import router as followup_router
from nghiquyet.lib.errors import Conflict, DomainError, NotFound
from nghiquyet.lib.periods import PeriodError
from nghiquyet.orgunits.api import router as orgunits_router
from nghiquyet.targets.api import router as targets_router

api = NinjaAPI(
    title="nghiquyet API",
    version=__version__,
    description="Nghị quyết, chỉ tiêu, kế hoạch, kết quả và bảng đánh giá. Resolutions, targets, plans, results, scorecards.",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
)


def _lang(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "vi").startswith("en") else "vi"


def _status(error: DomainError) -> int:
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    return 400


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    body = {"detail": error.text(_lang(request)), "field": error.field} | error.details
    return api.create_response(request, body, status=_status(error))


@api.exception_handler(PeriodError)
def period_error(request: HttpRequest, error: PeriodError) -> HttpResponse:
    return api.create_response(request, {"detail": str(error), "field": "period"}, status=400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    # The same body as a NotFound from accounts.permissions.require: a hidden object and a missing one
    # must look alike.
    return domain_error(request, NotFound("Không tìm thấy.", en="Not found."))


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A request the schema refuses (422): the documented {"detail", "field"}, the first problem in words,
    and every problem in "errors" (pydantic's list, for programs)."""
    problems = error.errors
    first = problems[0] if problems else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path", "payload", "filters")]
    field = ".".join(location) or None
    detail = describe_problem(first, field, _lang(request))
    errors = [{"loc": list(p.get("loc", ())), "msg": p.get("msg", ""), "type": p.get("type", "")} for p in problems]
    return api.create_response(request, {"detail": detail, "field": field, "errors": errors}, status=422)


def describe_problem(problem: dict, field: str | None, lang: str) -> str:
    kind, message = problem.get("type", ""), problem.get("msg", "")
    name = field or ("the request" if lang == "en" else "yêu cầu")
    if lang == "en":
        return f"{name}: {'required' if kind == 'missing' else message}."
    if kind == "missing":
        return f"Thiếu trường {name}."
    if kind == "json_invalid":
        return "Nội dung gửi lên không phải JSON hợp lệ."
    return f"Trường {name} không hợp lệ: {message}."


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    """django-ninja's own refusals; the one a user meets is a body that is not JSON."""
    detail = error.message
    if detail.startswith("Cannot parse request body"):
        detail = "The request body is not valid JSON." if _lang(request) == "en" else "Nội dung gửi lên không phải JSON hợp lệ."
    return api.create_response(request, {"detail": detail, "field": None}, status=error.status_code)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request: HttpRequest, error: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(error.messages), "field": None}, status=400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    detail = error.message if error.message and error.message != "Unauthorized" else "Cần đăng nhập."
    return api.create_response(request, {"detail": detail, "field": None}, status=401)


class Health(Schema):
    status: str
    database: str


@api.get("/health", auth=None, response={200: Health, 503: Health}, tags=["health"], summary="Is the service up and its database reachable?")
def health(request: HttpRequest):
    try:
        connection.ensure_connection()
        if not connection.is_usable():
            raise ConnectionError
    except Exception:  # any database failure is "unavailable", never a 500
        return Status(503, {"status": "unavailable", "database": connection.vendor})
    return {"status": "ok", "database": connection.vendor}


api.add_router("/", orgunits_router)
api.add_router("/", targets_router)
api.add_router("/", figures_router)
api.add_router("/", accounts_router)
api.add_router("/", audit_router)
api.add_router("/", followup_router)
