from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kompis.core"
    label = "core"

    def ready(self) -> None:
        from kompis.core import checks  # noqa: F401  (registers the production checks)
        from kompis.core.i18n import install_english_fallback

        install_english_fallback()
