"""How members tells a member something in-app.

Notifications live in the `notifications` app, which sits above members
(members <- notifications), so members cannot import its notify(). That app
installs it here from NotificationsConfig.ready(); members' services call
`notifier.notify(...)` with notify()'s keyword arguments.
"""

from django.core.exceptions import ImproperlyConfigured

_notify = None


def install(notify_function) -> None:
    global _notify
    _notify = notify_function


def notify(**kwargs):
    if _notify is None:
        raise ImproperlyConfigured(
            "No notify() installed: is the notifications app in INSTALLED_APPS?"
        )
    return _notify(**kwargs)
