from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API"

    def ready(self):
        # Teaches drf-spectacular how personal access tokens authenticate.
        from api import schema  # noqa: F401
