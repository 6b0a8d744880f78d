from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kompis.core"
    label = "core"
