from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("offer/", views.offer_save, name="offer"),
    path("mentors/", views.mentors, name="mentors"),
    path("broker/", views.broker_console, name="broker"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path(
        "requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"
    ),
    path("requests/<int:pk>/propose/", views.request_propose, name="propose"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/accept/", views.pair_accept, name="pair_accept"),
    path("pairs/<int:pk>/decline/", views.pair_decline, name="pair_decline"),
    path("pairs/<int:pk>/complete/", views.pair_complete, name="pair_complete"),
    path("pairs/<int:pk>/close/", views.pair_close, name="pair_close"),
    path("pairs/<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("pairs/<int:pk>/goals/<int:goal_pk>/", views.goal_toggle, name="goal_toggle"),
    path("pairs/<int:pk>/checkins/", views.checkin_add, name="checkin_add"),
    path("pairs/<int:pk>/feedback/", views.feedback_give, name="feedback"),
    path("pairs/<int:pk>/assumptions/", views.assumption_add, name="assumption_add"),
    path(
        "pairs/<int:pk>/assumptions/<int:assumption_pk>/",
        views.assumption_update,
        name="assumption_update",
    ),
    path("pairs/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path(
        "pairs/<int:pk>/commitments/<int:commitment_pk>/",
        views.commitment_review,
        name="commitment_review",
    ),
    path(
        "pairs/<int:pk>/followups-share/",
        views.followups_share,
        name="followups_share",
    ),
]
