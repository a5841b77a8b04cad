from django.apps import AppConfig


class EldercareConfig(AppConfig):
    name = "eldercare"
    verbose_name = "养老服务"
