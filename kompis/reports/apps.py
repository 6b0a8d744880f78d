from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kompis.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kompis.reports import activity_figures, figures, history

        figures.register_builtin()
        activity_figures.register_activity_figures()
        history.register_history()
