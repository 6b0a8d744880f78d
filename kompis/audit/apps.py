from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kompis.audit"
    label = "audit"
