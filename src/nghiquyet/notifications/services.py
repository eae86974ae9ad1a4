"""The one way to tell people something: late data sets today, overdue tasks tomorrow.

`notify` stores one notification per person and key — the unique (user, key) row is what makes "never twice
for the same deadline" hold across retries, cron runs and app servers — and emails the new ones after the
transaction commits, where mail is configured (NGHIQUYET_EMAIL_HOST or NGHIQUYET_EMAIL_BACKEND) and the person
has an address. A failed email leaves the in-app notification in place and is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from nghiquyet.notifications.models import Notification

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    key: str  # the same key to the same person is sent once
    subject: str
    body: str = ""
    url: str = ""  # a path of the site ("/nghi-quyet/ct-2021/nhap-so-lieu/?…")


def notify(*, users: Iterable[Any], message: Message) -> list[Notification]:
    """Tell each user, unless they were told this key already; returns the notifications made now."""
    made = []
    for user in {user.pk: user for user in users}.values():
        try:
            with transaction.atomic():
                made.append(Notification.objects.create(user=user, key=message.key[:200], subject=message.subject[:300],
                                                        body=message.body, url=message.url[:500]))
        except IntegrityError:
            continue  # told already (here or by another server a moment ago)
    if made and settings.NGHIQUYET_SEND_EMAIL:
        ids = [notification.pk for notification in made]
        transaction.on_commit(lambda: email(ids))
    return made


def email(ids: list[int]) -> int:
    """Email the notifications not emailed yet; returns how many went."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("user"):
        address = notification.user.email
        if not address:
            continue
        link = f"\n\n{settings.NGHIQUYET_SITE_URL.rstrip('/')}{notification.url}" if notification.url and settings.NGHIQUYET_SITE_URL else ""
        try:
            send_mail(notification.subject, notification.body + link, None, [address])
        except Exception:  # the mail server's trouble: the in-app notification stands
            log.exception("could not email notification %s", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def inbox(*, user: Any, limit: int = 50) -> list[Notification]:
    """Newest first."""
    return list(Notification.objects.filter(user=user).order_by("-created_at", "-pk")[:limit])


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them without `ids`); another person's ids change nothing."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
