"""API authentication: a personal token (Authorization: Bearer nq_…), or the browser's session.

Token calls need no CSRF token (nothing a browser attaches by itself); session calls do (django_auth
checks it on writes). A token never carries more than its user's rights, and a read token only reads.
"""

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from nghiquyet.accounts.models import TokenScope
from nghiquyet.accounts.permissions import Forbidden, set_token_scope
from nghiquyet.accounts.services import authenticate_token
from nghiquyet.audit.context import actor_for_request, replace_actor
from nghiquyet.audit.services import record

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = authenticate_token(token)
        if api_token is None:
            # A bearer token was sent and is unknown, revoked or expired: that is the answer (401), not a
            # reason to try the session, which would fail on CSRF and hide the real cause.
            raise AuthenticationError(message="Khóa API không hợp lệ, đã thu hồi hoặc đã hết hạn.")
        if api_token.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            raise Forbidden("Khóa API này chỉ được đọc.", en="This API token may only read.")
        user = api_token.user
        set_token_scope(api_token.scope)  # the request's own access context, read by accounts.permissions.may
        request.user = user
        request.api_token = api_token
        # The request's actor is now the token (the middleware's context ends with the request).
        replace_actor(actor_for_request(request, via="api"))
        if request.method not in SAFE_METHODS:
            record("token_write", object_type="accounts.apitoken", object_id=api_token.pk, summary=f"{request.method} {request.path}")
        return user
