"""Who may do what: memberships (a role at an org unit, covering its subtree) and personal API tokens.

Review records (a later issue) get their own grant per review cycle, never inherited along the tree; see
docs/decisions/0007-access-control.md. The staff superuser flag stays separate from these roles.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Ordered: each role includes the ones before it (an approver may also enter results).
    VIEWER = "viewer", _("Xem")
    REPORTER = "reporter", _("Nhập số liệu")
    APPROVER = "approver", _("Duyệt số liệu, giao kế hoạch")
    ADMIN = "admin", _("Quản trị đơn vị")


ROLE_RANK = {role: rank for rank, role in enumerate(Role)}


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    org_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "vai trò tại đơn vị"
        verbose_name_plural = "vai trò tại đơn vị"
        constraints = [models.UniqueConstraint(fields=["user", "org_unit", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.org_unit.code}"


class TokenScope(models.TextChoices):
    READ = "read", _("Chỉ đọc")
    READ_WRITE = "read-write", _("Đọc và ghi")


TOKEN_PREFIX = "nq_"


def hash_token(secret: str) -> str:
    # The token is 256 random bits: a plain SHA-256 is enough (no dictionary to guess from), and it lets
    # the lookup be an indexed equality.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("tên gợi nhớ", max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False, help_text="the first characters, to recognise a token")
    scope = models.CharField("phạm vi", max_length=16, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("hết hạn", null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"

    def __str__(self) -> str:
        return f"{self.hint}… ({self.name or self.user})"

    @staticmethod
    def new_secret() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
