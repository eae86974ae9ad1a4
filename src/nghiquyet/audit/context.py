"""Who is acting, from where: set once per request (middleware), command (CLI) or import, read by record().

A context variable, so concurrent requests in one process never see each other's actor.
"""

from __future__ import annotations

import getpass
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    label: str
    via: str
    user: Any = None
    ip: str | None = None


def cli_actor() -> Actor:
    try:
        name = getpass.getuser()
    except Exception:  # no user name in some containers
        name = "unknown"
    return Actor(label=f"cli:{name}", via="cli")


_current: ContextVar[Actor | None] = ContextVar("nghiquyet_actor", default=None)


def current_actor() -> Actor:
    """The actor set for this request or command; a command-line actor when none is (scripts, shells)."""
    return _current.get() or cli_actor()


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def replace_actor(actor: Actor) -> None:
    """Within a request or command already acting as someone: act as `actor` for the rest of it (an API
    token is known only once the request is authenticated); the surrounding `acting_as` restores it."""
    _current.set(actor)


def actor_for_request(request: Any, *, via: str = "web") -> Actor:
    user = getattr(request, "user", None)
    token = getattr(request, "api_token", None)
    if token is not None:
        label, via = f"token:{token.pk} ({token.user.get_username()})", "token"
    elif user is not None and user.is_authenticated:
        label = user.get_username()
    else:
        label = "anonymous"
    return Actor(label=label, via=via, user=user if user is not None and user.is_authenticated else None, ip=client_ip(request))


def client_ip(request: Any) -> str | None:
    """The client's address: the connection's own (REMOTE_ADDR), or, behind reverse proxies, the address
    the proxies recorded (NGHIQUYET_TRUSTED_PROXY_HEADER, e.g. HTTP_X_FORWARDED_FOR), counted
    NGHIQUYET_TRUSTED_PROXIES entries from the right: each proxy appends the address it saw, so the
    entries further left were written by the client and prove nothing (docs/security.md)."""
    from django.conf import settings

    header = getattr(settings, "NGHIQUYET_TRUSTED_PROXY_HEADER", "")
    proxies = getattr(settings, "NGHIQUYET_TRUSTED_PROXIES", 1)
    if header and proxies > 0 and request.META.get(header):
        entries = [entry.strip() for entry in request.META[header].split(",") if entry.strip()]
        if entries:
            chosen = entries[-proxies] if len(entries) >= proxies else entries[0]
            try:
                return str(ipaddress.ip_address(chosen))
            except ValueError:
                pass  # not an address: fall back to the connection's
    return request.META.get("REMOTE_ADDR")
