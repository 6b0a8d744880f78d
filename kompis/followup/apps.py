from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "kompis.followup"
    label = "followup"

    def ready(self) -> None:
        from kompis.followup import sweeps  # noqa: F401  (registers the follow-up sweep)
