from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "kompis.municipalities"
    label = "municipalities"
