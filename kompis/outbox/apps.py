from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "kompis.outbox"
    label = "outbox"
