from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "kompis.programmes"
    label = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from kompis.programmes.history import register_history

        register_history()  # its sentences for the history pages
        from kompis.programmes import (
            session_sweeps,  # noqa: F401  (the completion rule at a cohort's end)
            sweeps,  # noqa: F401  (registers the pair sweeps)
        )
        from kompis.programmes.activities import register_activities
        from kompis.programmes.worklist_kinds import register_worklist

        register_activities()  # a card per enrolment on the person's own page
        register_worklist()  # the silent-pair task
