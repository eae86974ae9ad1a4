from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "nghiquyet.audit"
    label = "audit"
    verbose_name = "Nhật ký"

    def ready(self) -> None:
        from nghiquyet.audit import signals  # noqa: F401  (logins and failed logins)
