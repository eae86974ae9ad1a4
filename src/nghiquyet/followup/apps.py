from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "nghiquyet.followup"
    label = "followup"
    verbose_name = "Kết luận và nhiệm vụ"

    def ready(self) -> None:
        from nghiquyet.followup.policies import register_rules

        register_rules()
