from django.apps import AppConfig


class EldercareConfig(AppConfig):
    name = "eldercare"
    verbose_name = "养老服务"

    def ready(self) -> None:
        from .indicators import register_all

        register_all()
