from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "nghiquyet.reports"
    label = "reports"
    verbose_name = "Báo cáo"
