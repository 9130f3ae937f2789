"""Feed, tag pages, search, home panel and notifications: who sees what, and
query counts that do not grow with the data."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from communities.services import community_leave, community_update
from knowledge import services
from knowledge.home import panel as home_panel
from knowledge.models import Item, ItemKind
from members.sections import sections_for
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.conftest import login
from tests.knowledge.factories import ItemFactory, ReplyFactory
from tests.members.factories import UserFactory
from tests.pages import page_link, walk

pytestmark = pytest.mark.django_db


def feed_url(community, **query):
    url = reverse("knowledge:feed", kwargs={"slug": community.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def fill(community, n, *, kind=ItemKind.STORY, tags=("lean",), author=None):
    author = author or UserFactory()
    for i in range(n):
        item = services.item_create(
            author=author,
            community=community,
            kind=kind,
            title=f"Item {kind} {i}",
            body="Body",
            tags=tags,
        )
        Item.objects.filter(pk=item.pk).update(helpful_count=i % 5)


# --- Community feed ----------------------------------------------------------


def test_feed_is_registered_as_a_community_panel(rf, member, community, story):
    request = rf.get("/")
    request.user = member
    panels = {
        p["template"]: p
        for p in sections_for(
            "community", request, community=community, membership=None
        )
    }
    assert story in panels["knowledge/_community_feed.html"]["items"]


def test_feed_panel_is_none_for_outsiders_of_private(rf, other_member, private, secret):
    request = RequestFactory().get("/")
    request.user = other_member
    assert sections_for("community", request, community=private, membership=None) == []


def _feed_items(pages):
    return [[item.pk for item in page.context["panel"]["items"]] for page in pages]


def test_feed_keyset_pages_cover_everything_once(client, member, community):
    fill(community, 45)
    client = login(client, member)
    pages = walk(client, feed_url(community))
    seen = [pk for page in _feed_items(pages) for pk in page]
    assert [len(page) for page in _feed_items(pages)] == [20, 20, 5]
    assert len(seen) == len(set(seen)) == 45
    assert seen == sorted(seen, reverse=True)
    # "Newer" walks back through the same pages to the top, which has none.
    back = walk(client, page_link(pages[-1], "prev"), rel="prev")
    assert _feed_items(back) == _feed_items(pages)[-2::-1]
    assert back[-1].context["panel"]["page"].is_first


def test_feed_helpful_tab_orders_by_helpful_and_pages(client, member, community):
    fill(community, 30)
    client = login(client, member)
    pages = walk(client, feed_url(community, tab="helpful"))
    assert len(pages) == 2 and "tab=helpful" in page_link(pages[0])
    counts = [i.helpful_count for p in pages for i in p.context["panel"]["items"]]
    assert counts == sorted(counts, reverse=True) and len(counts) == 30


def test_feed_open_tab_lists_only_unanswered_questions(
    client, member, community, question, story
):
    html = login(client, member).get(feed_url(community, tab="open")).content.decode()
    assert question.title in html and story.title not in html


def test_feed_bad_cursor_falls_back_to_first_page(client, member, community, story):
    response = login(client, member).get(feed_url(community, before="nonsense_x"))
    assert response.status_code == 200 and story.title in response.content.decode()
    response = client.get(feed_url(community, before="999999999999999999999_1"))
    assert response.status_code == 200
    for after in ("nonsense", "99999999999999999_1", "-99999999999999999_1"):
        response = client.get(feed_url(community, after=after))
        assert response.status_code == 200 and story.title in response.content.decode()


def test_hidden_tab_only_for_stewards(client, member, steward, community, story):
    services.item_hide(item=story, acting_user=member)
    client = login(client, member)
    assert story.title not in client.get(feed_url(community)).content.decode()
    assert (
        story.title
        not in client.get(feed_url(community, tab="hidden")).content.decode()
    )
    client.force_login(steward)
    assert story.title in client.get(feed_url(community, tab="hidden")).content.decode()


def test_feed_outsider_of_private_gets_404(client, other_member, private):
    assert login(client, other_member).get(feed_url(private)).status_code == 404


def test_feed_empty_state(client, member, community):
    html = login(client, member).get(feed_url(community)).content.decode()
    assert "Nothing shared here yet" in html


@pytest.mark.parametrize("tab", ["new", "helpful", "open"])
def test_feed_query_count_is_flat(
    client, member, community, tab, django_assert_max_num_queries
):
    client = login(client, member)
    fill(community, 3, kind=ItemKind.QUESTION)
    with django_assert_max_num_queries(6):
        client.get(feed_url(community, tab=tab))
    fill(community, 40, kind=ItemKind.QUESTION)
    with django_assert_max_num_queries(6):
        response = client.get(feed_url(community, tab=tab))
    assert len(response.context["panel"]["items"]) == 20


# --- Tag pages ---------------------------------------------------------------


def test_tag_page_lists_visible_items_and_experts(
    client, other_member, story, secret, steward
):
    services.helpful_set(item=story, acting_user=steward, helpful=True)
    services.item_update(
        item=secret,
        acting_user=secret.author,
        kind="story",
        title=secret.title,
        body=secret.body,
        tags=["lean"],
    )
    html = (
        login(client, other_member)
        .get(reverse("knowledge:tag", kwargs={"tag": "lean"}))
        .content.decode()
    )
    assert story.title in html
    assert secret.title not in html
    assert "Mia Member" in html and "1 helpful mark" in html


def test_tag_experts_ignore_private_communities_for_outsiders(
    client, other_member, secret, steward
):
    services.helpful_set(item=secret, acting_user=steward, helpful=True)
    html = (
        login(client, other_member)
        .get(reverse("knowledge:tag", kwargs={"tag": "pricing"}))
        .content.decode()
    )
    assert "Mia Member" not in html and "Nobody yet" in html


def test_experts_rank_accepted_answers(question, steward, member, community):
    from knowledge.selectors import experts_for_tag, tag_expertise_scores

    reply = services.reply_create(item=question, author=steward, body="Buddies")
    services.answer_accept(item=question, reply=reply, acting_user=member)
    experts = experts_for_tag(tag="onboarding", viewer=member)
    assert experts[0] == steward and experts[0].accepted == 1
    scores = tag_expertise_scores(tags=["onboarding"], user_ids=[steward.pk])
    assert scores == {(steward.pk, "onboarding"): {"helpful": 0, "accepted": 1}}


# session, user, badge, the page of items, the communities the viewer may
# see (the experts' cache key), the experts' scores, the experts themselves,
# the viewer's follow of the tag (its follow form)
TAG_PAGE_QUERIES = 8
# The experts' scores come from the cache until an item with the tag changes.
TAG_PAGE_QUERIES_CACHED = 7


@pytest.mark.parametrize("batches", [0, 4])
def test_tag_page_query_count_is_flat(
    client, member, community, batches, django_assert_num_queries
):
    client = login(client, member)
    url = reverse("knowledge:tag", kwargs={"tag": "lean"})
    fill(community, 3)
    for _ in range(batches):
        fill(community, 8)
    with django_assert_num_queries(TAG_PAGE_QUERIES):
        client.get(url)
    with django_assert_num_queries(TAG_PAGE_QUERIES_CACHED):
        response = client.get(url)
    page = response.context["page"]
    assert len(page.object_list) == (3 if not batches else 20)
    assert page.has_next() == bool(batches)


# --- Search ------------------------------------------------------------------


def search(client, **params):
    return client.get(reverse("knowledge:search"), params)


def test_search_finds_visible_items(client, member, story):
    html = search(login(client, member), q="checklist").content.decode()
    assert story.title in html and "1 result" in html


def test_search_never_returns_private_content_to_outsiders(
    client, other_member, secret
):
    client = login(client, other_member)
    for q in ("zebracorn", "ACME", "renewal", "pricing", ""):
        response = search(client, q=q)
        assert list(response.context["page"].object_list) == []
        assert secret.title not in response.content.decode()
        assert "discount" not in response.content.decode()


def test_search_finds_private_content_for_members(client, member, secret):
    html = search(login(client, member), q="zebracorn").content.decode()
    assert secret.title in html


def test_search_filters(client, member, story, question, community, private, secret):
    client = login(client, member)
    assert question.title not in search(client, kind="story").content.decode()
    html = search(client, open="on").content.decode()
    assert question.title in html and story.title not in html
    html = search(client, tag="onboarding").content.decode()
    assert question.title in html and story.title not in html
    html = search(client, community=private.slug).content.decode()
    assert secret.title in html and story.title not in html
    html = search(client, author=member.username, q="handover").content.decode()
    assert story.title in html


def test_search_bad_filters_are_form_errors_keeping_input(client, member, story):
    response = search(
        login(client, member), q="kept words", author="nobody-here", kind="x"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "No member with that username." in html or "Select a valid choice" in html
    assert 'value="kept words"' in html


def test_search_outsider_cannot_filter_by_private_community(
    client, other_member, private, secret
):
    response = search(login(client, other_member), community=private.slug)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_search_paginates(client, member, community):
    fill(community, 25)
    client = login(client, member)
    page2 = search(client, q="Item", page=2)
    assert len(page2.context["page"].object_list) == 5
    assert "page=1" in page2.content.decode()


def test_search_anonymous_redirects(client):
    assert search(client, q="x").status_code == 302


# session, user, badge, the visible communities' key, the filter's
# communities, the ranked matches (one walk), the page's rows, the people and
# the communities matching the words
SEARCH_QUERIES = 9
# The filter's communities, the ranked matches and the communities matching
# come from the cache.
SEARCH_QUERIES_CACHED = 6


@pytest.mark.parametrize("batches", [0, 3])
def test_search_query_count_is_flat(
    client, member, community, batches, django_assert_num_queries
):
    client = login(client, member)
    fill(community, 3)
    for _ in range(batches):
        fill(community, 10)
    with django_assert_num_queries(SEARCH_QUERIES):
        search(client, q="Item")
    with django_assert_num_queries(SEARCH_QUERIES_CACHED):
        response = search(client, q="Item")
    assert len(response.context["page"].object_list) == (3 if not batches else 20)
    # The same words in another case: the same ranked matches; only the
    # communities matching them are counted again.
    with django_assert_num_queries(SEARCH_QUERIES_CACHED + 1):
        search(client, q="item")
    # Other words: ranked, and their communities counted.
    with django_assert_num_queries(SEARCH_QUERIES_CACHED + 2):
        search(client, q="body")


def _filter_names(response) -> list[str]:
    return [
        name for _slug, name in response.context["form"].fields["community"].choices
    ]


def test_search_filter_lists_only_visible_communities_and_follows_changes(
    client, member, other_member, steward, community, private
):
    """Cached per set of visible communities: leaving, a community turning
    private and a rename show at once; a private name never reaches an
    outsider."""
    outsider = login(Client(), other_member)
    assert "Key Accounts" not in _filter_names(search(outsider, q="x"))
    inside = login(client, member)
    assert "Key Accounts" in _filter_names(search(inside, q="x"))
    assert "Key Accounts" not in _filter_names(search(outsider, q="x"))
    community_update(
        community=community,
        acting_user=steward,
        name="Night Leads",
        slug=community.slug,
        purpose="Leads of the night shift",
        visibility=community.visibility,
    )
    assert "Night Leads" in _filter_names(search(outsider, q="x"))
    found = search(outsider, q="night").context["communities_found"]
    assert [c.name for c in found] == ["Night Leads"]
    community_leave(acting_user=member, community=private)
    assert "Key Accounts" not in _filter_names(search(inside, q="x"))
    community_update(
        community=community,
        acting_user=steward,
        name="Night Leads",
        slug=community.slug,
        purpose="Leads of the night shift",
        visibility="private",
    )
    assert "Night Leads" not in _filter_names(search(outsider, q="x"))
    assert search(outsider, q="night").context["communities_found"] == []


def test_search_by_a_community_no_longer_visible_is_a_form_error(
    client, other_member, private, monkeypatch
):
    """The filter's list may be minutes old after an admin edit: the
    community is checked again, and a stale choice is an error, not a 500."""
    from knowledge import selectors as knowledge_selectors

    monkeypatch.setattr(
        knowledge_selectors,
        "search_filter_communities",
        lambda **kwargs: [(private.slug, private.name)],
    )
    response = search(login(client, other_member), q="x", community=private.slug)
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "No community you can see has that name." in response.content.decode()


# --- Home panel --------------------------------------------------------------


def test_home_shows_questions_matching_expertise(client, community, question, story):
    expert = UserFactory(expertise=["onboarding"])
    MembershipFactory(user=expert, community=community)
    html = login(client, expert).get("/").content.decode()
    section = html.split("Questions you could answer")[1].split("Latest in your")[0]
    assert question.title in section and story.title not in section
    assert story.title in html  # latest in their communities


def test_home_leaves_out_answered_and_private_questions(
    client, community, question, steward, private, make_item, member
):
    expert = UserFactory(expertise=["onboarding"])
    MembershipFactory(user=expert, community=community)
    make_item(
        author=member,
        community=private,
        kind="question",
        title="Private Q",
        tags=["onboarding"],
    )
    reply = services.reply_create(item=question, author=steward, body="a")
    services.answer_accept(item=question, reply=reply, acting_user=member)
    html = login(client, expert).get("/").content.decode()
    assert question.title not in html.split("Latest in your")[0]
    assert "Private Q" not in html


def test_home_panel_query_count_is_flat(
    client, community, make_item, member, django_assert_num_queries
):
    """The knowledge panel of the home page; the whole page is pinned in
    tests/test_home.py."""
    expert = UserFactory(expertise=["lean", "onboarding"])
    MembershipFactory(user=expert, community=community)
    client = login(client, expert)
    fill(community, 2, kind=ItemKind.QUESTION)
    # After a change: the member's communities, their expertise, the tags'
    # latest open questions, the questions, the latest items, the rows.
    with django_assert_num_queries(6):
        panel = home_panel(_request(expert))
    with django_assert_num_queries(3):
        panel = home_panel(_request(expert))
    assert len(panel["questions"]) == 2
    fill(community, 30, kind=ItemKind.QUESTION)
    with django_assert_num_queries(6):
        panel = home_panel(_request(expert))
    # Nothing changed: the communities, the expertise, the rows.
    with django_assert_num_queries(3):
        panel = home_panel(_request(expert))
        questions, latest = list(panel["questions"]), list(panel["latest"])
    assert len(questions) == 5
    assert len(latest) == 8
    response = client.get("/")
    assert response.content.decode().count('class="kind kind-question"') == 5 + 8


def test_latest_in_my_communities_follows_every_change_at_once(
    member, steward, community, private, make_item
):
    """Which items "latest in my communities" holds is cached per member
    under their communities' versions (knowledge.selectors.home_items): a
    new item, an edit, a hide, a restore, a share, a rename, a join and a
    leave each show at the next view."""
    reader = UserFactory()
    MembershipFactory(user=reader, community=community)

    def titles(user=reader):
        return [item.title for item in home_panel(_request(user))["latest"]]

    first = make_item(author=member, community=community, title="First")
    make_item(author=member, community=private, title="Secret")
    assert titles() == ["First"]
    second = make_item(author=member, community=community, title="Second")
    assert titles() == ["Second", "First"]
    services.item_update(
        item=second,
        acting_user=member,
        kind=second.kind,
        title="Second, again",
        body="Body.",
    )
    assert titles() == ["Second, again", "First"]
    services.item_hide(item=second, acting_user=steward)
    assert titles() == ["First"]
    services.item_restore(item=second, acting_user=steward)
    assert titles() == ["Second, again", "First"]
    from members.services import profile_update

    profile_update(member=member, display_name="Mara Renamed")
    assert "Mara Renamed" in login(Client(), reader).get("/").content.decode()
    # Joining shows the private community's items at once, leaving hides them.
    MembershipFactory(user=reader, community=private)
    assert titles() == ["Second, again", "Secret", "First"]
    community_leave(acting_user=reader, community=private)
    assert titles() == ["Second, again", "First"]
    # A share into the reader's community shows there at once.
    elsewhere = UserFactory()
    other = MembershipFactory(user=elsewhere).community
    shared = make_item(author=elsewhere, community=other, title="From elsewhere")
    MembershipFactory(user=elsewhere, community=community)
    services.item_share(item=shared, community=community, acting_user=elsewhere)
    assert titles()[0] == "From elsewhere"
    assert first.title in titles()


def test_latest_in_my_communities_is_never_another_members(
    client, member, community, private, secret, story
):
    """The member of a private community fills their own entry; an outsider
    with the same open community never gets its items."""
    assert secret.title in [i.title for i in home_panel(_request(member))["latest"]]
    outsider = UserFactory()
    MembershipFactory(user=outsider, community=community)
    latest = home_panel(_request(outsider))["latest"]
    assert [i.title for i in latest] == [story.title]
    html = login(client, outsider).get("/").content.decode()
    assert secret.title not in html and story.title in html


def test_home_without_expertise_invites_to_add_it(client, other_member):
    html = login(client, other_member).get("/").content.decode()
    assert "Add your expertise" in html


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# --- Notifications -----------------------------------------------------------


def test_notifications_list_and_mark_read(
    client, member, story, other_member, community
):
    MembershipFactory(user=other_member, community=community)
    services.reply_create(item=story, author=other_member, body="hey")
    services.helpful_set(item=story, acting_user=other_member, helpful=True)
    client = login(client, member)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Otto Other replied to" in html and "found" in html
    first = Notification.objects.filter(recipient=member).first()
    response = client.post(reverse("notifications:read"), {"id": first.pk, "open": "1"})
    assert response["Location"] == story.get_absolute_url()
    first.refresh_from_db()
    assert first.read_at
    client.post(reverse("notifications:read"))
    assert not Notification.objects.filter(
        recipient=member, read_at__isnull=True
    ).exists()


def test_questions_tagged_with_two_skills_count_once(community, make_item):
    """Five different questions, each matching two of the expert's skills:
    all five show, once each, newest first; answered or own ones never."""
    expert = UserFactory(expertise=["lean", "onboarding"])
    MembershipFactory(user=expert, community=community)
    asker = UserFactory()
    MembershipFactory(user=asker, community=community)
    asked = [
        make_item(
            author=asker,
            community=community,
            kind=ItemKind.QUESTION,
            title=f"Question {n}",
            tags=["lean", "onboarding"],
        )
        for n in range(6)
    ]
    make_item(
        author=expert,
        community=community,
        kind=ItemKind.QUESTION,
        title="My own",
        tags=["lean"],
    )
    questions = home_panel(_request(expert))["questions"]
    titles = [item.title for item in questions]
    assert titles == [f"Question {n}" for n in (5, 4, 3, 2, 1)]
    assert len({item.pk for item in questions}) == 5
    assert asked[0].pk not in {item.pk for item in questions}


def test_questions_you_could_answer_follow_every_change_at_once(
    member, steward, community, private, make_item
):
    """Each tag's open questions are cached for every reader under the
    tag's version; what a member may see is decided on every view."""
    expert = UserFactory(expertise=["lean"])
    MembershipFactory(user=expert, community=community)

    def titles():
        return [item.title for item in home_panel(_request(expert))["questions"]]

    first = make_item(
        author=member,
        community=community,
        kind=ItemKind.QUESTION,
        title="First",
        tags=["lean"],
    )
    make_item(
        author=member,
        community=private,
        kind=ItemKind.QUESTION,
        title="Secret",
        tags=["lean"],
    )
    # The member of both fills the tag's cache; the expert still never sees
    # the private community's question.
    insider = UserFactory(expertise=["lean"])
    MembershipFactory(user=insider, community=private)
    assert "Secret" in [i.title for i in home_panel(_request(insider))["questions"]]
    assert titles() == ["First"]
    second = make_item(
        author=member,
        community=community,
        kind=ItemKind.QUESTION,
        title="Second",
        tags=["lean"],
    )
    assert titles() == ["Second", "First"]
    reply = services.reply_create(item=second, author=steward, body="Like this")
    services.answer_accept(item=second, reply=reply, acting_user=member)
    assert titles() == ["First"]
    services.item_hide(item=first, acting_user=steward)
    assert titles() == []
    # Joining shows the private community's question at once, leaving hides it.
    MembershipFactory(user=expert, community=private)
    assert titles() == ["Secret"]
    community_leave(acting_user=expert, community=private)
    assert titles() == []


@pytest.mark.parametrize("tab", ["new", "helpful", "open"])
def test_the_compiled_first_page_is_the_keyset_page(member, community, tab):
    """The feed's first page comes from a query compiled once per process;
    it holds the rows, the values and the next cursor that keyset_page()
    finds with the ORM, for every tab, in every community."""
    from knowledge.selectors import feeds
    from members.pagination import Position, keyset_page

    fill(community, 25, kind=ItemKind.QUESTION)
    other = CommunityFactory()
    fill(other, 3)
    order = ("helpful_count", "id") if tab == "helpful" else ("created_at", "id")
    for place in (community, other):
        page = feeds.community_feed(
            community=place, tab=tab, position=Position(), size=20
        )
        orm = keyset_page(
            feeds._feed_items(place.pk, tab).select_related(
                "author", "shared_from__community"
            ),
            Position(),
            size=20,
            order=order,
        )
        assert [row.pk for row in page] == [row.pk for row in orm]
        assert page.next_cursor == orm.next_cursor
        assert page.is_first and page.previous_cursor is None
        for mine, theirs in zip(page, orm, strict=True):
            for name in feeds.FEED_ROW:
                assert _path(mine, name) == _path(theirs, name), name


@pytest.mark.parametrize("who", ["member", "staff", "outsider"])
def test_the_compiled_first_tag_page_is_the_keyset_page(
    member, community, private, who
):
    """A tag page's first page comes from a query compiled once per process
    per kind of viewer; it holds exactly the rows, values and next cursor
    that keyset_page() finds with the ORM: a member sees their private
    community's items, an outsider never, staff everything."""
    from knowledge.selectors import tags
    from knowledge.selectors.visibility import LIST_ROW_FIELDS
    from members.pagination import Position, keyset_page

    fill(community, 23, tags=("andon",))
    fill(private, 4, tags=("andon",))
    fill(community, 2, tags=("other",))
    viewer = {
        "member": member,
        "staff": UserFactory(is_staff=True),
        "outsider": UserFactory(),
    }[who]
    for tag in ("andon", "other", "none"):
        page = tags.tag_items(tag=tag, viewer=viewer, position=Position(), size=20)
        orm = keyset_page(
            tags._tag_links(tags=[tag], viewer=viewer),
            Position(),
            size=20,
            order=("item_created_at", "content_object_id"),
            rows_of=tags._items_of,
            row_key=tags._item_key,
        )
        assert [row.pk for row in page] == [row.pk for row in orm]
        assert page.next_cursor == orm.next_cursor
        for mine, theirs in zip(page, orm, strict=True):
            for name in LIST_ROW_FIELDS:
                assert _path(mine, name) == _path(theirs, name), name
    secret = {
        row.community_id
        for row in tags.tag_items(
            tag="andon", viewer=viewer, position=Position(), size=30
        )
    }
    assert (private.pk in secret) == (who != "outsider")


def _path(obj, name):
    for part in name.split("__"):
        obj = getattr(obj, part, None) if obj is not None else None
    return obj


def test_feed_rows_of_every_shape_read_nothing_more(
    client, member, community, django_assert_max_num_queries
):
    """The feed reads only the columns its rows show (feeds.FEED_ROW): a
    cold render of a shared item, an answered question, an open one and a
    tagged story loads no deferred field."""
    author = UserFactory(display_name="Ada Author")
    origin = CommunityFactory(name="Origin Guild")
    source = ItemFactory(community=origin, author=author, title="Borrowed idea")
    ItemFactory(
        community=community,
        author=author,
        title="Borrowed idea",
        shared_from=source,
        shared_by=author,
    )
    answered = ItemFactory(community=community, kind=ItemKind.QUESTION, author=author)
    answered.accepted_reply = ReplyFactory(item=answered)
    answered.save(update_fields=["accepted_reply"])
    ItemFactory(community=community, kind=ItemKind.QUESTION, title="Still open?")
    ItemFactory(community=community, tags=["andon"], title="Tagged story")
    client = login(client, member)
    with django_assert_max_num_queries(6):
        html = client.get(feed_url(community)).content.decode()
    assert "shared from Origin Guild" in html
    assert "by Ada Author" in html
    assert "✓ answered" in html
    assert "Still open?" in html
    assert "/tags/andon/" in html
