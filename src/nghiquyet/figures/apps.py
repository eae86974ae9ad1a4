from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "nghiquyet.figures"
    label = "figures"
    verbose_name = "Số liệu: kế hoạch và kết quả"

    def ready(self) -> None:
        from nghiquyet.figures.policies import register_rules

        register_rules()
