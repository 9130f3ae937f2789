"""allauth's password pages, refused while LOCAL_PASSWORDS is off. Included
before allauth's own URLs under accounts/, with the same paths and names, so
they answer first; with passwords on they are allauth's views unchanged."""

from allauth.account import views as allauth_views
from django.urls import path, re_path

from members.views import local_passwords_only

urlpatterns = [
    path(
        "password/change/",
        local_passwords_only(allauth_views.password_change),
        name="account_change_password",
    ),
    path(
        "password/set/",
        local_passwords_only(allauth_views.password_set),
        name="account_set_password",
    ),
    path(
        "password/reset/",
        local_passwords_only(allauth_views.password_reset),
        name="account_reset_password",
    ),
    path(
        "password/reset/done/",
        local_passwords_only(allauth_views.password_reset_done),
        name="account_reset_password_done",
    ),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        local_passwords_only(allauth_views.password_reset_from_key),
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        local_passwords_only(allauth_views.password_reset_from_key_done),
        name="account_reset_password_from_key_done",
    ),
]
