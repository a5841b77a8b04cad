from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = "单位与用户"

    def ready(self) -> None:
        from . import signals
        from .models import Role
        from .navigation import ALL_ROLES, NavItem, register

        signals.connect(self)
        from .uploads import check_parsers

        check_parsers()  # no start with an XML parser that expands entities (uploads)

        register(NavItem("首页", "home", ALL_ROLES, order=0))
        everyone_but_institution = tuple(r for r in ALL_ROLES if r != Role.INSTITUTION)
        register(NavItem("单位", "org:unit_list", everyone_but_institution, order=80))
        register(NavItem("局领导", "org:leader_list", (Role.OFFICE, Role.LEADER), order=85))
        register(NavItem("用户与角色", "org:user_list", (Role.OFFICE,), order=90))
