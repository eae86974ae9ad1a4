"""The login form: username and password, plus the six-digit code for users who turned on two-step login."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, match_token

from nghiquyet.lib.validation import USERNAME_PATTERN


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": gettext_lazy("Tài khoản này đã bị khóa."),
    }
    otp_token = forms.CharField(required=False, max_length=16, label=gettext_lazy("Mã xác thực"))

    def clean(self) -> dict[str, Any]:
        if not USERNAME_PATTERN.fullmatch((self.data.get("username") or "").strip()):
            # not a name an account can have (lib.validation): refused like a wrong password, before any lookup
            raise self.get_invalid_login_error()
        cleaned = super().clean()
        user = self.get_user()
        self.otp_device = None
        if user is not None and any(devices_for_user(user, confirmed=True)):
            token = (cleaned.get("otp_token") or "").replace(" ", "")
            device = match_token(user, token) if token else None
            if device is None:
                # The password was right: this is exactly the attempt the audit trail and the lockout
                # must count, so it is reported as a failed login.
                user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=self.request)
                raise forms.ValidationError(gettext_lazy("Cần nhập đúng mã xác thực hai bước."), code="otp")
            self.otp_device = device
        return cleaned
