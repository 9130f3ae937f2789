from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("communities/", views.CommunityList.as_view(), name="communities"),
    path("communities/<slug:slug>/", views.CommunityDetail.as_view(), name="community"),
    path(
        "communities/<slug:slug>/join/",
        views.CommunityJoin.as_view(),
        name="community-join",
    ),
    path(
        "communities/<slug:slug>/leave/",
        views.CommunityLeave.as_view(),
        name="community-leave",
    ),
    path("items/", views.ItemList.as_view(), name="items"),
    path("items/<int:pk>/", views.ItemDetail.as_view(), name="item"),
    path("items/<int:pk>/replies/", views.ReplyList.as_view(), name="replies"),
    path("tags/", views.TagList.as_view(), name="tags"),
    path("search/", views.Search.as_view(), name="search"),
    path("members/", views.MemberList.as_view(), name="members"),
    path("members/<slug:username>/", views.MemberDetail.as_view(), name="member"),
    path(
        "mentoring/requests/",
        views.MentoringRequestList.as_view(),
        name="mentoring-requests",
    ),
    path(
        "mentoring/requests/<int:pk>/",
        views.MentoringRequestDetail.as_view(),
        name="mentoring-request",
    ),
    path(
        "mentoring/requests/<int:pk>/withdraw/",
        views.MentoringRequestWithdraw.as_view(),
        name="mentoring-request-withdraw",
    ),
    path("notifications/", views.NotificationList.as_view(), name="notifications"),
    path(
        "notifications/read/",
        views.NotificationsRead.as_view(),
        name="notifications-read",
    ),
]
