from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Digests"

    def ready(self):
        from digests.panels import latest_digest_panel
        from members import sections

        # The digest pointer sits above the (long) knowledge feed (order 20).
        sections.register("community", latest_digest_panel, order=10)
