from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self):
        from members import (
            checks,  # noqa: F401 - registers the system check
            sso_audit,  # noqa: F401 - connects its receivers
        )
