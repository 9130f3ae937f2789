from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from members import (
            checks,  # noqa: F401 - registers the system check
            sso_audit,  # noqa: F401 - connects its receivers
        )
