"""API authentication: a personal token (Authorization: Bearer nq_…), or the browser's session.

Token calls need no CSRF token (nothing a browser attaches by itself); session calls do (django_auth
checks it on writes). A token never carries more than its user's rights, and a read token only reads.
"""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from nghiquyet.accounts.services import authenticate_token
from nghiquyet.audit.context import _current, actor_for_request
from nghiquyet.audit.services import record

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = authenticate_token(token)
        if api_token is None:
            return None
        user = api_token.user
        user._nq_token_scope = api_token.scope  # read by accounts.permissions.may
        request.user = user
        request.api_token = api_token
        # The request's actor is now the token (the middleware's context ends with the request).
        _current.set(actor_for_request(request, via="api"))
        if request.method not in SAFE_METHODS:
            record("token_write", object_type="accounts.apitoken", object_id=api_token.pk, summary=f"{request.method} {request.path}")
        return user
