from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kompis.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        # Registries (history sentences, sweeps, work-list kinds, figures) are added by the modules that need
        # them, each imported here.
        from kompis.surveys.history import register_history

        register_history()  # its sentences for the history pages
        from kompis.surveys import answering, sweeps  # noqa: F401  (register their sweeps)
        from kompis.surveys.wave_history import register_wave_history
        from kompis.surveys.worklist_kinds import register_worklist

        register_wave_history()
        register_worklist()
