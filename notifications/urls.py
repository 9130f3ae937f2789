from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.notifications_read, name="read"),
    # Under /digests/ since the first digest e-mails: links already sent.
    path("digests/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
