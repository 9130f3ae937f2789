"""The item page's replies are rendered once for everyone and cached
(knowledge.reply_fragments): what a service changes shows at once, to the
right people, and what the viewer may see or do is decided per request."""

import re

import pytest
from django.urls import reverse

from communities.models import Membership
from communities.services.stewards import membership_promote
from knowledge import reply_fragments, reply_marks, services
from knowledge.models import Reply
from members.versioned_cache import bump
from tests.communities.factories import MembershipFactory
from tests.knowledge.conftest import login
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def member_of(community, **kwargs):
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, community=community)
    return user


def page(client, user, item, query=""):
    login(client, user)
    response = client.get(item.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def reply_url(name, reply):
    item = reply.item
    return reverse(
        f"knowledge:{name}",
        kwargs={"slug": item.community.slug, "pk": item.pk, "reply_pk": reply.pk},
    )


def reply_html(html, reply) -> str:
    """The reply's article, from its opening tag to its closing one."""
    match = re.search(
        rf'<article id="reply-{reply.pk}".*?</article>', html, flags=re.DOTALL
    )
    assert match, f"reply {reply.pk} not on the page"
    return match.group(0)


@pytest.fixture
def reader(community):
    return member_of(community, display_name="Rita Reader")


@pytest.fixture
def answerer(community):
    return member_of(community, display_name="Anton Answerer")


@pytest.fixture
def answer(question, answerer):
    return services.reply_create(
        item=question, author=answerer, body="Pair them with a buddy."
    )


# --- Query counts ----------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 12])
def test_item_page_queries_are_pinned_cold_and_cached(
    client, question, reader, community, size, django_assert_num_queries
):
    """Session, member, item, membership, the page's facts (one query),
    replies, unread notifications: the same whether the replies' parts are
    rendered (first view) or read from the cache, at any number of replies."""
    for n in range(size):
        author = member_of(community)
        reply = services.reply_create(item=question, author=author, body=f"Tip {n}")
        reply_marks.do_reply_helpful_set(
            reply=Reply.objects.get(pk=reply.pk), acting_user=reader, helpful=True
        )
    login(client, reader)
    url = question.get_absolute_url()
    with django_assert_num_queries(7):
        cold = client.get(url).content.decode()
    with django_assert_num_queries(7):
        warm = client.get(url).content.decode()
    assert cold.count('aria-pressed="true"') == size
    assert warm.count('aria-pressed="true"') == size
    assert warm.count('form="reply-actions"') == cold.count('form="reply-actions"')


def test_one_csrf_token_serves_every_reply_button(
    client, question, answer, reader, steward, community
):
    """The buttons carry no token of their own: they submit the page's one
    reply-actions form, which has the token and the answer order. With
    three replies, the section has two tokens: that form's and the reply
    form's."""
    for body in ("Second.", "Third."):
        services.reply_create(item=question, author=member_of(community), body=body)
    html = page(client, steward, question, "?answers=helpful")
    section = re.search(
        r'<section aria-labelledby="replies-title">.*?</section>', html, re.DOTALL
    ).group(0)
    assert section.count('name="csrfmiddlewaretoken"') == 2
    actions = re.search(r'<form id="reply-actions".*?</form>', section, re.DOTALL)
    assert 'name="csrfmiddlewaretoken"' in actions.group(0)
    assert 'name="answers" value="helpful"' in actions.group(0)
    article = reply_html(html, answer)
    assert f'formaction="{reply_url("reply_helpful", answer)}"' in article
    assert f'formaction="{reply_url("reply_hide", answer)}"' in article
    assert article.count('form="reply-actions"') == 4  # helpful, recommend,
    # accept (the steward may accept for the asker), hide


def test_a_button_posts_what_the_shared_form_sends(client, question, answer, reader):
    """What a browser sends for the helpful button: the shared form's fields
    and the button's name and value, to its formaction."""
    login(client, reader)
    response = client.post(
        reply_url("reply_helpful", answer), {"answers": "helpful", "helpful": "1"}
    )
    assert response.status_code == 302
    assert "answers=helpful" in response["Location"]
    assert Reply.objects.get(pk=answer.pk).helpful_count == 1


# --- What a service changes shows at once ---------------------------------------


def test_a_new_reply_shows_at_once(client, question, answer, reader, community):
    page(client, reader, question)
    later = services.reply_create(
        item=question, author=member_of(community), body="Shadow a night shift."
    )
    html = page(client, reader, question)
    assert "Shadow a night shift." in reply_html(html, later)


def test_an_edit_shows_at_once(client, question, answer, reader, answerer):
    assert "Pair them with a buddy." in page(client, reader, question)
    services.reply_update(reply=answer, acting_user=answerer, body="Use a buddy rota.")
    html = page(client, reader, question)
    assert "Use a buddy rota." in reply_html(html, answer)
    assert "Pair them with a buddy." not in html


def test_a_bump_alone_rerenders(client, question, answer, reader):
    """A write that changes nothing the key reads from (here the body alone)
    shows once a service bumps the item's version."""
    page(client, reader, question)
    Reply.objects.filter(pk=answer.pk).update(body_html="<p>Rewritten.</p>")
    assert "Rewritten." not in page(client, reader, question)
    bump(reply_fragments.item_version(question.pk))
    assert "Rewritten." in page(client, reader, question)


def test_a_helpful_mark_shows_at_once_and_to_the_marker_only_as_theirs(
    client, question, answer, reader, community
):
    third = member_of(community)
    page(client, reader, question)
    page(client, third, question)
    reply_marks.check_reply_helpful_set(
        acting_user=reader,
        community_slug=question.community.slug,
        item_id=question.pk,
        reply_id=answer.pk,
        helpful=True,
    )
    mine = reply_html(page(client, reader, question), answer)
    theirs = reply_html(page(client, third, question), answer)
    assert 'aria-pressed="true"' in mine and "· 1" in mine
    assert 'aria-pressed="false"' in theirs and "· 1" in theirs


def test_accept_and_recommend_show_at_once(
    client, question, answer, member, steward, reader
):
    page(client, reader, question)
    services.answer_accept(item=question, reply=answer, acting_user=member)
    reply_marks.do_answer_recommend(
        reply=Reply.objects.select_related("item").get(pk=answer.pk),
        acting_user=steward,
        recommended=True,
    )
    article = reply_html(page(client, reader, question), answer)
    assert "✓ Accepted answer" in article
    assert "Recommended by Sue Steward" in article


def test_a_rename_shows_at_once(client, question, answer, reader, answerer):
    """Names and avatars are in the cached parts: the key reads them from
    the rows, so a change made anywhere shows without a bump."""
    page(client, reader, question)
    answerer.display_name = "Anton Renamed"
    answerer.save(update_fields=["display_name"])
    assert "Anton Renamed" in reply_html(page(client, reader, question), answer)


# --- Hidden replies and who sees them --------------------------------------------


def test_a_hide_shows_at_once_and_a_stewards_view_never_reaches_a_member(
    client, question, answer, reader, steward
):
    page(client, reader, question)
    services.reply_hide(
        reply=Reply.objects.select_related("item").get(pk=answer.pk),
        acting_user=steward,
    )
    # The steward renders (and caches) the hidden reply with its body first.
    steward_view = reply_html(page(client, steward, question), answer)
    assert "Pair them with a buddy." in steward_view
    assert reply_url("reply_restore", answer) in steward_view
    member_view = reply_html(page(client, reader, question), answer)
    assert "Pair them with a buddy." not in member_view
    assert "This reply was hidden by a steward." in member_view
    assert reply_url("reply_restore", answer) not in member_view
    assert reply_url("reply_history", answer) not in member_view


def test_the_author_of_a_hidden_reply_still_reads_it(
    client, question, answer, steward, answerer, reader
):
    services.reply_hide(
        reply=Reply.objects.select_related("item").get(pk=answer.pk),
        acting_user=steward,
    )
    page(client, reader, question)
    assert "Pair them with a buddy." in reply_html(
        page(client, answerer, question), answer
    )


def test_a_promotion_shows_the_steward_tools_at_once(
    client, question, answer, reader, steward
):
    services.reply_hide(
        reply=Reply.objects.select_related("item").get(pk=answer.pk),
        acting_user=steward,
    )
    before = reply_html(page(client, reader, question), answer)
    assert "Pair them with a buddy." not in before
    assert reply_url("reply_restore", answer) not in before
    membership = Membership.objects.get(user=reader, community=question.community)
    membership_promote(acting_user=steward, membership=membership)
    after = reply_html(page(client, reader, question), answer)
    assert "Pair them with a buddy." in after
    assert reply_url("reply_restore", answer) in after


def test_each_viewer_gets_only_their_own_buttons(
    client, question, answer, reader, answerer, member
):
    """The answerer edits and hides their reply, cannot mark it; the asker
    accepts; a reader marks it and nothing else."""
    as_reader = reply_html(page(client, reader, question), answer)
    as_author = reply_html(page(client, answerer, question), answer)
    as_asker = reply_html(page(client, member, question), answer)
    assert reply_url("reply_helpful", answer) in as_reader
    assert reply_url("reply_edit", answer) not in as_reader
    assert reply_url("reply_accept", answer) not in as_reader
    assert reply_url("reply_hide", answer) not in as_reader
    assert reply_url("reply_helpful", answer) not in as_author
    assert reply_url("reply_edit", answer) in as_author
    assert reply_url("reply_hide", answer) in as_author
    assert reply_url("reply_accept", answer) in as_asker
    assert reply_url("answer_recommend", answer) not in as_asker


def test_parts_are_kept_per_language(client, question, answer, reader):
    """Labels and dates are rendered in the viewer's language: an English
    view's parts are not served to a member who reads German."""
    assert "Hilfreich" not in reply_html(page(client, reader, question), answer)
    reader.language = "de"
    reader.save(update_fields=["language"])
    assert "Hilfreich" in reply_html(page(client, reader, question), answer)
