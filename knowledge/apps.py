from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self):
        from knowledge.follow_sections import (
            community_follow_section,
            profile_follow_section,
        )
        from knowledge.home import panel as home_panel
        from knowledge.inbound import notification_reply_item
        from knowledge.panels import community_feed_panel, practice_balance_panel
        from knowledge.profile import contributions_section
        from members import sections
        from notifications.reply_addresses import register_reply_item

        sections.register("home", home_panel, order=20)
        # After the digest pointer (digests, order 10): the feed is long.
        sections.register("community", community_feed_panel, order=20)
        sections.register("profile", contributions_section, order=10)
        # Before the feed: a short panel.
        sections.register("community", practice_balance_panel, order=15)
        # The follow form comes first: it sits under the page's heading.
        sections.register("community", community_follow_section, order=1)
        sections.register("profile", profile_follow_section, order=1)
        # Notification e-mails about an item get a signed Reply-To.
        register_reply_item(notification_reply_item)
