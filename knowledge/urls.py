from django.urls import path

from knowledge import (
    attachment_views,
    draft_views,
    follow_views,
    history_views,
    inbound_views,
    mention_views,
    practice_views,
    reply_mark_views,
    search_views,
    views,
)

app_name = "knowledge"

ITEM = "communities/<slug:slug>/<int:pk>"
REPLY = f"{ITEM}/replies/<int:reply_pk>"

urlpatterns = [
    path("inbound/mailgun/", inbound_views.mailgun_inbound, name="inbound_mailgun"),
    path("communities/<slug:slug>/new/", views.item_create, name="item_create"),
    path("communities/<slug:slug>/items/", views.community_feed, name="feed"),
    path(f"{ITEM}-<slug:title_slug>/", views.item_detail, name="item"),
    path(f"{ITEM}/edit/", views.item_edit, name="item_edit"),
    path(f"{ITEM}/hide/", views.item_hide, name="item_hide"),
    path(f"{ITEM}/restore/", views.item_restore, name="item_restore"),
    path(f"{ITEM}/helpful/", views.helpful_toggle, name="helpful"),
    path(f"{ITEM}/share/", views.item_share, name="item_share"),
    path(f"{ITEM}/adopt/", views.item_adopt, name="item_adopt"),
    path(
        f"{ITEM}/close-experiment/",
        practice_views.experiment_close,
        name="experiment_close",
    ),
    path(
        "adoptions/check-ins/<int:pk>/",
        practice_views.adoption_checkin,
        name="adoption_checkin",
    ),
    path(f"{ITEM}/replies/", views.reply_create, name="reply_create"),
    path(f"{REPLY}/edit/", views.reply_edit, name="reply_edit"),
    path(f"{REPLY}/hide/", views.reply_hide, name="reply_hide"),
    path(f"{REPLY}/restore/", views.reply_restore, name="reply_restore"),
    path(f"{REPLY}/accept/", views.reply_accept, name="reply_accept"),
    path(f"{REPLY}/helpful/", reply_mark_views.reply_helpful, name="reply_helpful"),
    path(
        f"{REPLY}/recommend/",
        reply_mark_views.answer_recommend,
        name="answer_recommend",
    ),
    path(f"{ITEM}/history/", history_views.history, name="item_history"),
    path(
        f"{ITEM}/history/<int:number>/restore/",
        history_views.revision_restore,
        name="item_revision_restore",
    ),
    path(f"{REPLY}/history/", history_views.history, name="reply_history"),
    path(
        f"{REPLY}/history/<int:number>/restore/",
        history_views.revision_restore,
        name="reply_revision_restore",
    ),
    path(
        "communities/<slug:slug>/drafts/new/",
        draft_views.draft_create,
        name="draft_create",
    ),
    path("drafts/", draft_views.drafts_list, name="drafts"),
    path("drafts/<int:pk>/", draft_views.draft_edit, name="draft"),
    path("drafts/<int:pk>/delete/", draft_views.draft_delete, name="draft_delete"),
    path("files/<uuid:pk>/<str:name>", attachment_views.file, name="file"),
    path(
        "files/<uuid:pk>/thumbnail/<str:name>",
        attachment_views.file,
        {"thumbnail": True},
        name="file_thumbnail",
    ),
    path("tags/<str:tag>/", views.tag_detail, name="tag"),
    path("search/", views.search, name="search"),
    path("following/", follow_views.following, name="following"),
    path("follow/", follow_views.follow_set, name="follow"),
    path(
        "communities/<slug:slug>/mentions/",
        mention_views.mention_suggest,
        name="mention_suggest",
    ),
    path("search/suggest/", search_views.typeahead, name="typeahead"),
    path("similar/", search_views.similar, name="similar"),
]
