from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kompis.demo"
    label = "demo"
    verbose_name = "Demo data"

    def ready(self) -> None:
        from kompis.demo import history

        history.register_history()
