from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "kompis.programmes"
    label = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from kompis.programmes.history import register_history

        register_history()  # its sentences for the history pages
