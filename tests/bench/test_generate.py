"""bench.generate at a tiny scale, so the generator cannot rot: it runs on
the current schema, keeps every counter true and its members can log in."""

import io

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, Exists, F, OuterRef, Q
from django.test import override_settings

from bench.generate import BENCH_PASSWORD, STAFF_EMAIL, generate, insert_sql
from communities.models import Community, MemberCount, Membership
from knowledge.models import Adoption, HelpfulMark, Item, ItemTag, Reply
from members.models import User
from mentoring.models import MentoringRequest, MentorOffer

MEMBERS, COMMUNITIES, ITEMS = 50, 5, 500


@pytest.fixture
def generated(db):
    out = io.StringIO()
    timings = generate(MEMBERS, COMMUNITIES, ITEMS, migrate=False, stream=out)
    return timings, out.getvalue()


def test_generates_the_requested_scale(generated):
    timings, progress = generated
    assert User.objects.filter(email__startswith="bench").count() == MEMBERS + 1
    assert Community.objects.count() == COMMUNITIES
    assert Item.objects.filter(shared_from__isnull=True).count() == ITEMS
    assert Reply.objects.count() > ITEMS  # about 3.3 per item
    assert HelpfulMark.objects.exists()
    assert ItemTag.objects.count() >= ITEMS
    assert Item.objects.filter(shared_from__isnull=False).exists()
    assert Adoption.objects.exists() or ITEMS < 1000
    assert MentorOffer.objects.exists() and MentoringRequest.objects.exists()
    # Every community has members and at least one steward.
    per_community = Community.objects.annotate(
        active=Count("memberships", filter=Q(memberships__status="active")),
        stewards=Count("memberships", filter=Q(memberships__role="steward")),
    )
    assert all(c.active > 0 and c.stewards > 0 for c in per_community)
    assert "100%" in progress and set(timings) >= {"items", "replies"}


def test_the_organisation_is_skewed(generated):
    sizes = sorted(
        Community.objects.annotate(n=Count("items")).values_list("n", flat=True),
        reverse=True,
    )
    assert sizes[0] > 3 * sizes[-1]


def test_counters_and_search_vectors_are_true(generated):
    visible_replies = Count(
        "replies", filter=Q(replies__hidden_at__isnull=True), distinct=True
    )
    items = Item.objects.annotate(
        replies_n=visible_replies, marks_n=Count("helpful_marks", distinct=True)
    )
    for item in items.only("reply_count", "helpful_count"):
        assert item.reply_count == item.replies_n, item.pk
        assert item.helpful_count == item.marks_n, item.pk
    assert not Item.objects.filter(search_vector__isnull=True).exists()
    # Every title says "... project", and the vector is the app's (stemmed).
    projects = Item.objects.filter(
        search_vector=SearchQuery("projects", config="english")
    )
    assert projects.count() == Item.objects.count()
    # tag_names lists exactly the item's tags, sorted.
    for item in Item.objects.prefetch_related("tags")[:200]:
        assert item.tag_names.split() == sorted(t.name for t in item.tags.all())
        assert all(
            t.item_created_at == item.created_at
            for t in ItemTag.objects.filter(content_object=item)
        )
    # Accepted answers are visible replies to questions.
    for item in Item.objects.filter(accepted_reply__isnull=False).select_related(
        "accepted_reply"
    ):
        assert item.kind == "question"
        assert item.accepted_reply.item_id == item.pk
        assert item.accepted_reply.hidden_at is None
    first = Item.objects.filter(reply_count__gt=0, first_reply_at__isnull=True)
    assert not first.exists()
    # The active-member counters equal a count from scratch, and every
    # adoption carries its item's community.
    counted = {
        (row.community_id, row.leadership_role): row.active
        for row in MemberCount.objects.filter(active__gt=0)
    }
    scratch = Membership.objects.filter(status="active").values_list(
        "community_id", "user__leadership_role"
    )
    assert counted == {(c, r): n for c, r, n in scratch.annotate(n=Count("pk"))}
    assert sum(counted.values()) == Membership.objects.filter(status="active").count()
    assert not Adoption.objects.exclude(origin_community=F("item__community")).exists()


def test_authors_are_active_members_of_the_community(generated):
    active = Membership.objects.filter(status="active", community=OuterRef("community"))
    originals = Item.objects.filter(shared_from__isnull=True)
    assert not originals.exclude(
        Exists(active.filter(user=OuterRef("author")))
    ).exists()
    shares = Item.objects.filter(shared_from__isnull=False)
    assert not shares.exclude(
        Exists(active.filter(user=OuterRef("shared_by")))
    ).exists()
    item_members = Membership.objects.filter(
        status="active", community=OuterRef("item__community")
    )
    assert not Reply.objects.exclude(
        Exists(item_members.filter(user=OuterRef("author")))
    ).exists()
    assert not HelpfulMark.objects.exclude(
        Exists(item_members.filter(user=OuterRef("user")))
    ).exists()
    assert not HelpfulMark.objects.filter(user=F("item__author")).exists()


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")  # as in production
def test_a_generated_member_logs_in_through_the_login_page(generated, client):
    assert User.objects.values("password").distinct().count() == 1  # one hash
    response = client.post(
        "/accounts/login/",
        {"login": "bench7@example.com", "password": BENCH_PASSWORD},
    )
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.wsgi_request.user.email == "bench7@example.com"
    staff = User.objects.get(email=STAFF_EMAIL)
    assert staff.is_staff and staff.check_password(BENCH_PASSWORD)


def test_a_wrong_password_does_not_log_in(generated, client):
    response = client.post(
        "/accounts/login/", {"login": "bench7@example.com", "password": "nope-nope"}
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_refuses_a_database_that_already_has_bench_data(generated):
    with pytest.raises(SystemExit, match="already present"):
        generate(MEMBERS, COMMUNITIES, ITEMS, migrate=False, stream=io.StringIO())


def test_unset_not_null_columns_get_the_field_default():
    sql, params = insert_sql(
        Item,
        {
            "community": "1",
            "kind": "'story'",
            "title": "'t'",
            "body": "'b'",
            "author": "1",
        },
        "FROM generate_series(1, 1) g",
    )
    # share_note, body_html, tag_names: blank strings; counters: their defaults.
    assert '"share_note"' in sql and '"helpful_count"' in sql and 0 in params
    with pytest.raises(RuntimeError, match="Reply.body is NOT NULL"):
        insert_sql(Reply, {"item": "1", "author": "1"}, "")
