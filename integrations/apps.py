from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations: webhooks and chat"

    def ready(self):
        from members import events

        # The apps below announce events through members.events; this one
        # turns each into webhook deliveries (integrations.tasks).
        events.subscribe("integrations.emit_event")
