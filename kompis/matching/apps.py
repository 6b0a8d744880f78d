from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "kompis.matching"
    label = "matching"
