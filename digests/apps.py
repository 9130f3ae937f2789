from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = _("Digests")

    def ready(self):
        from digests.panels import latest_digest_panel
        from members import sections

        # The digest pointer sits above the (long) knowledge feed (order 20).
        sections.register("community", latest_digest_panel, order=10)
