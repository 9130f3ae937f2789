from django.urls import path

from integrations import slack_views, views

app_name = "integrations"

urlpatterns = [
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/new/", views.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", views.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("webhooks/<int:pk>/secret/", views.webhook_secret_roll, name="secret_roll"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
    path("slack/command/", slack_views.command, name="slack_command"),
    path("slack/events/", slack_views.events, name="slack_events"),
    path("slack/connect/<str:token>/", slack_views.connect, name="slack_connect"),
]
