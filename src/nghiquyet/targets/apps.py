from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "nghiquyet.targets"
    label = "targets"
    verbose_name = "Nghị quyết và chỉ tiêu"

    def ready(self) -> None:
        from nghiquyet.targets.policies import register_rules

        register_rules()
