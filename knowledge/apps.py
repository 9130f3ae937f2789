from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "Knowledge"

    def ready(self):
        from communities import panels
        from knowledge.panels import community_feed_panel

        panels.register(community_feed_panel)

        from knowledge.profile import contributions_section
        from members import profile_sections

        profile_sections.register(contributions_section)
