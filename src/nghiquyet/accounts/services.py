"""Account services: users, roles at org units, API tokens. Every change is audited."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nghiquyet.accounts.models import ApiToken, Membership, Role, TokenScope, hash_token
from nghiquyet.audit.services import record
from nghiquyet.lib.errors import Conflict, Invalid, NotFound
from nghiquyet.lib.validation import check_username, clean_text
from nghiquyet.orgunits.models import OrgUnit


def get_user(*, username: str) -> AbstractUser:
    try:
        return get_user_model().objects.get(username__iexact=check_username(username))
    except get_user_model().DoesNotExist:
        raise NotFound(f'Không có tài khoản "{username}".', en=f'No user "{username}".', field="username") from None


def _checked_password(user: AbstractUser, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Invalid("Mật khẩu chưa đạt: " + " ".join(error.messages), en="Password refused: " + " ".join(error.messages), field="password") from None


@transaction.atomic
def create_user(*, username: str, password: str, admin: bool = False) -> AbstractUser:
    """Create a user; `admin` makes a staff superuser (separate from the roles at org units)."""
    username = username.strip()
    User = get_user_model()
    if not username:
        raise Invalid("Thiếu tên đăng nhập.", en="The username is missing.", field="username")
    check_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f'Tên đăng nhập "{username}" đã có.', en=f'User "{username}" already exists.', field="username")
    user = User(username=username, is_staff=admin, is_superuser=admin)
    _checked_password(user, password)
    user.set_password(password)
    user.save()
    record("create", obj=user, summary=username, new={"username": username, "superuser": admin})
    return user


@transaction.atomic
def set_password(*, user: AbstractUser, password: str) -> None:
    """An administrator resets a user's password (the password itself is never audited)."""
    _checked_password(user, password)
    user.set_password(password)
    user.save(update_fields=["password"])
    record("password_reset", obj=user, summary=user.get_username())


@transaction.atomic
def grant_role(*, user: AbstractUser, org_unit: OrgUnit, role: str, granted_by: AbstractUser | None = None) -> Membership:
    if role not in Role.values:
        raise Invalid(f'Vai trò "{role}" không có; dùng {", ".join(Role.values)}.', en=f'Unknown role "{role}"; use {", ".join(Role.values)}.', field="role")
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(user=user, org_unit=org_unit, role=role, defaults={"granted_by": granted_by})
    except IntegrityError:  # the same role granted at the same moment by someone else
        created = False
    if not created:
        raise Conflict("Tài khoản đã có vai trò này tại đơn vị.", en="The user already has this role at this unit.", field="role")
    record("create", obj=membership, org_unit=org_unit, summary=str(membership), new={"user": user.get_username(), "org_unit": org_unit.code, "role": role})
    return membership


@transaction.atomic
def revoke_role(*, membership: Membership) -> None:
    record(
        "delete",
        obj=membership,
        org_unit=membership.org_unit,
        summary=str(membership),
        old={"user": membership.user.get_username(), "org_unit": membership.org_unit.code, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def create_token(*, user: AbstractUser, name: str = "", scope: str = TokenScope.READ, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new personal API token; the secret is returned once and only its hash is stored."""
    if scope not in TokenScope.values:
        raise Invalid(f'Phạm vi "{scope}" không có; dùng read hoặc read-write.', en=f'Unknown scope "{scope}"; use read or read-write.', field="scope")
    if expires_at is not None and expires_at <= timezone.now():
        raise Invalid("Ngày hết hạn phải ở tương lai.", en="The expiry must be in the future.", field="expires")
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, name=clean_text(name, "name", limit=100), key_hash=hash_token(secret), hint=secret[:10], scope=scope, expires_at=expires_at
    )
    record("create", obj=token, summary=f"{user.get_username()}: {token.hint}… {scope}", new={"name": token.name, "scope": scope, "expires_at": expires_at})
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken) -> None:
    if token.revoked_at is not None:
        raise Conflict("Khóa này đã bị thu hồi.", en="This token is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("revoke", obj=token, summary=f"{token.user.get_username()}: {token.hint}…")


def authenticate_token(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked or expired)."""
    if not secret.startswith("nq_"):
        return None
    token = ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(secret)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most once a minute per token
    return token
