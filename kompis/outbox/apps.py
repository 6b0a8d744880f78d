from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "kompis.outbox"
    label = "outbox"

    def ready(self) -> None:
        from kompis.outbox import sweeps  # noqa: F401  (registers the outbox's sweep)
