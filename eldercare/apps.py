"""养老服务: institutions, community facilities, 四赛 and 六晒."""

from django.apps import AppConfig


class EldercareConfig(AppConfig):
    name = "eldercare"
    verbose_name = "养老服务"

    def ready(self) -> None:
        from org.navigation import ALL_ROLES, NavItem, register

        from .home import register_panels
        from .indicators import register_all

        register_all()
        register(NavItem("养老服务", "eldercare:index", ALL_ROLES, order=45))
        register_panels()
