from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nghiquyet.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
