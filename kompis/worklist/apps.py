from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "kompis.worklist"
    label = "worklist"
    verbose_name = "Work list"

    def ready(self) -> None:
        from kompis.worklist.history import register_history

        register_history()  # its sentences for the history pages
