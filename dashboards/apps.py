from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"

    def ready(self):
        from dashboards.home import panel as spread_next_panel
        from members import sections

        sections.register("home", spread_next_panel, order=40)
