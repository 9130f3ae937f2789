from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data only: no models, one management command (seed_demo)."""

    name = "demo"
    verbose_name = "Demo organisation"
