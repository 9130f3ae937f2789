from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge"

    def ready(self):
        from knowledge.home import panel as home_panel
        from knowledge.panels import community_feed_panel
        from knowledge.profile import contributions_section
        from members import sections

        sections.register("home", home_panel, order=20)
        # After the digest pointer (digests, order 10): the feed is long.
        sections.register("community", community_feed_panel, order=20)
        sections.register("profile", contributions_section, order=10)
