from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities of practice")

    def ready(self):
        from communities.home import panel as home_panel
        from members import sections

        sections.register("home", home_panel, order=10)

        from communities.services.accounts import (
            memberships_deactivate,
            memberships_leadership_role_moved,
            memberships_reactivate,
        )
        from members import deactivation

        deactivation.register("deactivate", memberships_deactivate)
        deactivation.register("reactivate", memberships_reactivate)
        deactivation.register("leadership_role", memberships_leadership_role_moved)
