from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities of practice"

    def ready(self):
        from communities.home import panel as home_panel
        from members import sections

        sections.register("home", home_panel, order=10)
