from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A member's data rights: download everything they gave Practica, and
    erase their account while the community keeps what they taught it. Last
    in the dependency order: it reads every app's records of one person."""

    name = "privacy"
    verbose_name = _("Data rights")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from members import sections
        from privacy.sections import erase_section

        sections.register("profile", erase_section, order=900)
