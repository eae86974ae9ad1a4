from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "nghiquyet.targets"
    label = "targets"
    verbose_name = "Nghị quyết và chỉ tiêu"
