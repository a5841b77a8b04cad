"""审计日志: the app that records and shows the audit trail."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from org.models import Role
        from org.navigation import NavItem, register

        from . import signals

        signals.connect_axes()
        register(NavItem("审计日志", "audit:event_list", (Role.OFFICE,), order=95))
