from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "nghiquyet.schedule"
    label = "schedule"
    verbose_name = "Việc định kỳ"
