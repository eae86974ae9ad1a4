from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "nghiquyet.demo"
    label = "demo"
    verbose_name = "Dữ liệu minh họa"
