"""The "Contributions" section on /members/<username>/: the member's latest
items and accepted answers, filtered for the viewer, at a flat query cost."""

import pytest
from django.urls import reverse

from knowledge import services
from knowledge.models import ItemKind
from tests.communities.factories import MembershipFactory
from tests.knowledge.conftest import login
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

# session, user, unread badge, member, expertise, interests (profile page);
# contributions: items, accepted answers; mentoring: offer (none here);
# the viewer's follow of them (knowledge's follow form)
PROFILE_QUERIES = 10


def profile_url(user):
    return reverse("members:profile", kwargs={"username": user.username})


def section(response):
    html = response.content.decode()
    return html.split('id="contributions-heading"')[1].split("</section>\n</section>")[
        0
    ]


def answer(*, question, author, by):
    reply = services.reply_create(item=question, author=author, body="Try a buddy.")
    services.answer_accept(item=question, reply=reply, acting_user=by)
    return reply


@pytest.fixture
def work(make_item, member, steward, community, private):
    """Sue Steward shared in an open and a private community and answered
    questions in both."""
    open_story = make_item(
        author=steward, community=community, title="Open handover story"
    )
    secret_story = make_item(
        author=steward, community=private, title="Secret pricing story"
    )
    open_q = make_item(
        author=member,
        community=community,
        kind=ItemKind.QUESTION,
        title="Open question on buddies",
    )
    secret_q = make_item(
        author=member,
        community=private,
        kind=ItemKind.QUESTION,
        title="Secret question on discounts",
    )
    answer(question=open_q, author=steward, by=member)
    answer(question=secret_q, author=steward, by=member)
    return {"open": open_story, "secret": secret_story}


def test_outsider_sees_only_open_contributions(client, other_member, steward, work):
    html = section(login(client, other_member).get(profile_url(steward)))
    assert "Open handover story" in html and "Open question on buddies" in html
    assert "Secret pricing story" not in html
    assert "Secret question on discounts" not in html


def test_member_of_the_private_community_sees_everything(client, member, steward, work):
    html = section(login(client, member).get(profile_url(steward)))
    for title in (
        "Open handover story",
        "Secret pricing story",
        "Open question on buddies",
        "Secret question on discounts",
    ):
        assert title in html
    assert work["secret"].get_absolute_url() in html


def test_hidden_items_and_hidden_answers_are_left_out(
    client, member, steward, community, make_item
):
    story = make_item(author=steward, community=community, title="Withdrawn story")
    services.item_hide(item=story, acting_user=steward)
    question = make_item(
        author=member, community=community, kind=ItemKind.QUESTION, title="Q hidden"
    )
    reply = answer(question=question, author=steward, by=member)
    services.reply_hide(reply=reply, acting_user=steward)
    html = section(login(client, member).get(profile_url(steward)))
    assert "Withdrawn story" not in html and "Q hidden" not in html


def test_empty_states_differ_for_me_and_for_others(client, member, other_member):
    client = login(client, member)
    mine = section(client.get(profile_url(member)))
    assert "Nothing shared yet" in mine
    theirs = section(client.get(profile_url(other_member)))
    assert "Nothing shared that you can see yet" in theirs
    assert "No accepted answers that you can see yet" in theirs


def test_titles_render_inert(client, member, community, make_item):
    make_item(author=member, community=community, title="<script>alert(1)</script>")
    html = section(login(client, member).get(profile_url(member)))
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_anonymous_visitors_are_sent_to_log_in(client, member):
    response = client.get(profile_url(member))
    assert response.status_code == 302


@pytest.mark.parametrize("size", [2, 30])
def test_profile_queries_do_not_grow(
    client, other_member, community, private, make_item, size, django_assert_num_queries
):
    author = UserFactory()
    MembershipFactory(user=author, community=community)
    MembershipFactory(user=author, community=private)
    asker = UserFactory()
    for n in range(size):
        make_item(author=author, community=community, title=f"Story {n}")
        make_item(author=author, community=private, title=f"Secret {n}")
        question = make_item(
            author=asker, community=community, kind=ItemKind.QUESTION, title=f"Q{n}"
        )
        answer(question=question, author=author, by=asker)
    client = login(client, other_member)
    with django_assert_num_queries(PROFILE_QUERIES):
        response = client.get(profile_url(author))
    html = section(response)
    assert html.count('class="item-title"') == min(size, 5) * 2
    assert "Secret" not in html
