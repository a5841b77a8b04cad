"""社会救助: 低保, 特困, 临时救助, 探访 and caregivers."""

from django.apps import AppConfig


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = "社会救助"

    def ready(self) -> None:
        from org.models import Role
        from org.navigation import NavItem, register

        from .home import register_panels
        from .indicators import register_all

        register_all()
        register(
            NavItem(
                "社会救助",
                "relief:person_list",
                (Role.LEADER, Role.OFFICE, Role.SECTION, Role.TOWNSHIP),
                order=40,
            )
        )
        register_panels()
