from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kompis.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        # Registries (history sentences, sweeps, work-list kinds, figures) are added by the modules that need
        # them, each imported here.
        pass
