from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kompis.audit"
    label = "audit"

    def ready(self) -> None:
        from kompis.audit import receivers  # noqa: F401  (connects the Django admin's log to the audit log)
