from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # members sits below this app, yet a role change tells the member:
        # give members' services this app's notify().
        from members import notifier
        from notifications.services import notify

        notifier.install(notify)
