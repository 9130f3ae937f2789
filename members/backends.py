"""Password sign-in that the organisation can turn off (LOCAL_PASSWORDS=false).

With local passwords off, nobody signs in with a password anywhere, the
admin's login included: both backends that check passwords answer None, so
only single sign-on (which logs the person in without a password) remains.
They still load the signed-in member for each request."""

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )


class AllauthPasswordBackend(AuthenticationBackend):
    def authenticate(self, request, **credentials):
        if not settings.LOCAL_PASSWORDS:
            return None
        return super().authenticate(request, **credentials)
