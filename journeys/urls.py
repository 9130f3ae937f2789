from django.urls import path

from journeys import views

app_name = "journeys"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("aspiration/", views.aspiration_edit, name="aspiration"),
    path("steps/<int:pk>/done/", views.step_done, name="step_done"),
    path("<slug:slug>/", views.plan, name="plan"),
    path("<slug:slug>/tour/<int:item_id>/read/", views.tour_read, name="tour_read"),
    path("<slug:slug>/newcomers/", views.newcomers, name="newcomers"),
    path("<slug:slug>/tour/", views.tour_edit, name="tour"),
    path(
        "<slug:slug>/tour/<int:stop_id>/remove/", views.tour_remove, name="tour_remove"
    ),
]
