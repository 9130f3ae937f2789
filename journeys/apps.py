from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneysConfig(AppConfig):
    name = "journeys"
    verbose_name = _("Journeys")

    def ready(self):
        from communities import listeners
        from journeys.panels import (
            community_plan_panel,
            home_panel,
            profile_trajectory_section,
        )
        from journeys.services.plans import plan_close_for, plan_open_for
        from members import sections

        # Joining opens the 90-day plan in the same transaction; leaving closes it.
        listeners.on_joined(plan_open_for)
        listeners.on_left(plan_close_for)
        sections.register("home", home_panel, order=15)
        sections.register("community", community_plan_panel, order=5)
        sections.register("profile", profile_trajectory_section, order=5)
