from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "打擂攻坚"

    def ready(self) -> None:
        from org.models import Role
        from org.navigation import ALL_ROLES, NavItem, register

        register(NavItem("工作方案", "campaigns:campaign_list", ALL_ROLES, order=20))
        register(
            NavItem(
                "月报",
                "campaigns:my_reports",
                ALL_ROLES,
                order=10,
                also=("/plans/periods/", "/plans/reports/", "/plans/evidence/"),
            )
        )
        register(
            NavItem("通报", "campaigns:bulletin_list", ALL_ROLES, order=30, also=("/bulletins/",))
        )
        register(
            NavItem(
                "擂台榜",
                "campaigns:boards",
                (Role.LEADER, Role.OFFICE, Role.SECTION),
                order=5,
                also=("/board/", "/screens/"),
            )
        )

        from . import dashboards, home

        home.register_panels()
        dashboards.register_panels()
