from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Digests"

    def ready(self):
        from communities import panels
        from digests.panels import latest_digest_panel
        from knowledge.panels import community_feed_panel

        # The digest pointer sits above the (long) feed.
        panels.register(latest_digest_panel, before=community_feed_panel)
