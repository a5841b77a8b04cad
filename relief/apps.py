from django.apps import AppConfig


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = "社会救助"

    def ready(self) -> None:
        from .indicators import register_all

        register_all()
