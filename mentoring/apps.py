from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"

    def ready(self):
        from members import profile_sections
        from mentoring.profile import mentor_offer_section

        profile_sections.register(mentor_offer_section)
