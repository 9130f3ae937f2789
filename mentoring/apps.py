from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"

    def ready(self):
        from members import sections
        from mentoring.home import panel as home_panel
        from mentoring.profile import mentor_offer_section, thinking_followups_section

        sections.register("home", home_panel, order=30)
        sections.register("profile", mentor_offer_section, order=20)
        sections.register("profile", thinking_followups_section, order=25)

        from members import deactivation
        from mentoring.services.accounts import mentoring_withdraw_for

        deactivation.register("deactivate", mentoring_withdraw_for)

        from communities import listeners
        from mentoring.suggestions import membership_changed

        listeners.on_joined(membership_changed)
        listeners.on_left(membership_changed)
