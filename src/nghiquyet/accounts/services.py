"""Account services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from nghiquyet.lib.errors import Conflict, Invalid


@transaction.atomic
def create_user(*, username: str, password: str, admin: bool = False) -> AbstractUser:
    """Create a user; `admin` makes a staff superuser (separate from the unit roles of the access issue)."""
    username = username.strip()
    User = get_user_model()
    if not username:
        raise Invalid("Thiếu tên đăng nhập.", en="The username is missing.", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f'Tên đăng nhập "{username}" đã có.', en=f'User "{username}" already exists.', field="username")
    user = User(username=username, is_staff=admin, is_superuser=admin)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Invalid("Mật khẩu chưa đạt: " + " ".join(error.messages), field="password") from None
    user.set_password(password)
    user.save()
    return user
