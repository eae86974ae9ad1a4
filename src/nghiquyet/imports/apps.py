from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "nghiquyet.imports"
    label = "imports"
    verbose_name = "Nhập dữ liệu"
