from django.urls import path

from communities import onboarding

app_name = "onboarding"

urlpatterns = [
    path("", onboarding.welcome, name="welcome"),
    path("done/", onboarding.welcome_done, name="done"),
]
