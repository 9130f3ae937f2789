from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data only: no models, one management command (seed_demo)."""

    name = "demo"
    verbose_name = _("Demo organisation")
