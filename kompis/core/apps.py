from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kompis.core"
    label = "core"

    def ready(self) -> None:
        from kompis.core.i18n import install_english_fallback

        install_english_fallback()
