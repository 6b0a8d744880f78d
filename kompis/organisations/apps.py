from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kompis.organisations"
    label = "organisations"
