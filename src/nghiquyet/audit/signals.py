"""Logins, failed logins and logouts go into the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from nghiquyet.audit.context import Actor, actor_for_request, client_ip
from nghiquyet.audit.services import record


@receiver(user_logged_in)
def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    record("login", object_type="auth.user", object_id=user.pk, summary=user.get_username(),
           actor=Actor(label=user.get_username(), via="web", user=user, ip=client_ip(request)))


@receiver(user_logged_out)
def logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or user is None:
        return
    record("logout", object_type="auth.user", object_id=user.pk, summary=user.get_username(), actor=actor_for_request(request))


@receiver(user_login_failed)
def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    name = str(credentials.get("username", ""))[:150]
    record("login_failed", object_type="auth.user", summary=name,
           actor=Actor(label=name or "anonymous", via="web", ip=client_ip(request) if request is not None else None))
