from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "kompis.participants"
    label = "participants"
