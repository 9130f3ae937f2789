from django.urls import path

from communities import views

app_name = "communities"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("new/", views.community_create, name="create"),
    path("invitations/", views.invitations, name="invitations"),
    path("undo/membership/", views.membership_undo, name="undo"),
    path("<slug:slug>/", views.community_detail, name="detail"),
    path("<slug:slug>/members/", views.community_members, name="members"),
    path("<slug:slug>/settings/", views.community_settings, name="settings"),
    # Actions (POST only).
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/request/", views.request_join, name="request"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path(
        "<slug:slug>/invitation/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "<slug:slug>/invitation/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path(
        "<slug:slug>/members/<int:pk>/approve/",
        views.membership_approve,
        name="approve",
    ),
    path(
        "<slug:slug>/members/<int:pk>/decline/",
        views.membership_decline,
        name="decline",
    ),
    path(
        "<slug:slug>/members/<int:pk>/promote/",
        views.membership_promote,
        name="promote",
    ),
    path(
        "<slug:slug>/members/<int:pk>/demote/", views.membership_demote, name="demote"
    ),
    path(
        "<slug:slug>/members/<int:pk>/remove/", views.membership_remove, name="remove"
    ),
    path("<slug:slug>/archive/", views.archive, name="archive"),
    path("<slug:slug>/reopen/", views.reopen, name="reopen"),
]
