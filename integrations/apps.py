from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations: webhooks and chat")

    def ready(self):
        from members import events

        # The apps below announce events through members.events; this one
        # turns each into webhook deliveries (integrations.tasks).
        events.subscribe("integrations.emit_event")
