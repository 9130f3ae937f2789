"""Helpful marks on replies, a steward's recommended answer, answers sorted
by helpful, and the asker told when a steward accepts an answer for them."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from knowledge import reply_marks, services, watching
from knowledge.models import FollowLevel, ItemKind, Reply, ReplyHelpfulMark
from knowledge.selectors import experts_for_tag, tag_expertise_scores
from members.models import LeadershipRole, NotificationEmails
from mentoring.strengths import strengths_refresh
from mentoring.suggestions import mentor_suggestions_for
from notifications.models import Notification
from tests.communities.factories import MembershipFactory
from tests.knowledge.conftest import login
from tests.knowledge.roles import ROLES, build_world
from tests.members.factories import UserFactory
from tests.mentoring.factories import MentoringRequestFactory, MentorOfferFactory

pytestmark = pytest.mark.django_db


def answer(question, author, body="Pair them with a buddy."):
    return services.reply_create(item=question, author=author, body=body)


def member_of(community, **kwargs):
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, community=community)
    return user


def reply_url(name, reply):
    item = reply.item
    return reverse(
        f"knowledge:{name}",
        kwargs={"slug": item.community.slug, "pk": item.pk, "reply_pk": reply.pk},
    )


def count(reply) -> int:
    reply.refresh_from_db(fields=["helpful_count"])
    return reply.helpful_count


# --- Services: helpful marks ----------------------------------------------------


def test_marking_a_reply_toggles_one_mark_and_keeps_the_counter(
    question, steward, member, community
):
    reply = answer(question, steward)
    other = member_of(community)
    assert reply_marks.do_reply_helpful_set(
        reply=reply, acting_user=member, helpful=True
    )
    assert not reply_marks.do_reply_helpful_set(
        reply=reply, acting_user=member, helpful=True
    )
    reply_marks.do_reply_helpful_set(reply=reply, acting_user=other, helpful=True)
    assert count(reply) == 2
    assert ReplyHelpfulMark.objects.filter(reply=reply).count() == 2
    assert reply_marks.do_reply_helpful_set(
        reply=reply, acting_user=member, helpful=False
    )
    assert not reply_marks.do_reply_helpful_set(
        reply=reply, acting_user=member, helpful=False
    )
    assert count(reply) == 1
    assert list(
        ReplyHelpfulMark.objects.filter(reply=reply).values_list("user", flat=True)
    ) == [other.pk]


def test_the_replys_author_is_told_once_per_mark(question, steward, member):
    reply = answer(question, steward)
    reply_marks.do_reply_helpful_set(reply=reply, acting_user=member, helpful=True)
    reply_marks.do_reply_helpful_set(reply=reply, acting_user=member, helpful=True)
    reply_marks.do_reply_helpful_set(reply=reply, acting_user=member, helpful=False)
    told = Notification.objects.get(recipient=steward, kind="knowledge.reply_helpful")
    assert told.message == (
        f"Mia Member found your answer to “{question.title}” helpful"
    )


def test_nothing_is_marked_or_recommended_in_an_archived_community(
    make_item, archived, member, steward
):
    asked = make_item(
        author=member, community=archived, kind=ItemKind.QUESTION, title="Old?"
    )
    MembershipFactory(user=steward, community=archived, steward=True)
    reply = answer(asked, steward)
    with pytest.raises(PermissionDenied):
        check_mark(member, reply)
    with pytest.raises(PermissionDenied):
        check_recommend(steward, reply)


def test_the_database_allows_one_mark_per_member_per_reply(question, steward, member):
    reply = answer(question, steward)
    ReplyHelpfulMark.objects.create(reply=reply, user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplyHelpfulMark.objects.create(reply=reply, user=member)


def test_the_database_refuses_a_recommender_without_a_time(question, steward):
    reply = answer(question, steward)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reply.objects.filter(pk=reply.pk).update(recommended_by=steward)


def test_the_database_refuses_a_negative_counter(question, steward):
    reply = answer(question, steward)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reply.objects.filter(pk=reply.pk).update(helpful_count=-1)


def check_mark(user, reply, helpful=True):
    return reply_marks.check_reply_helpful_set(
        acting_user=user,
        community_slug=reply.item.community.slug,
        item_id=reply.item_id,
        reply_id=reply.pk,
        helpful=helpful,
    )


def test_nobody_marks_their_own_reply(question, steward):
    reply = answer(question, steward)
    with pytest.raises(PermissionDenied):
        check_mark(steward, reply)
    assert count(reply) == 0


def test_a_hidden_reply_cannot_be_marked(question, steward, member):
    reply = answer(question, steward)
    services.reply_hide(reply=reply, acting_user=steward)
    with pytest.raises(PermissionDenied):
        check_mark(member, reply)


def test_an_outsider_cannot_mark_a_reply_in_a_private_community(
    secret, steward, other_member
):
    reply = answer(secret, steward, body="Ask finance first.")
    with pytest.raises(Http404):
        check_mark(other_member, reply)
    assert count(reply) == 0


def test_a_private_member_marks_a_reply_in_their_community(secret, steward, member):
    reply = answer(secret, steward, body="Ask finance first.")
    assert check_mark(member, reply) is True
    assert count(reply) == 1


def test_an_outsider_marks_a_reply_in_an_open_community(
    question, steward, other_member
):
    """Marking is reading's privilege, as for items: an open community's
    readers say what helped them."""
    reply = answer(question, steward)
    assert check_mark(other_member, reply) is True


# --- Services: recommended -----------------------------------------------------


def check_recommend(user, reply, recommended=True):
    return reply_marks.check_answer_recommend(
        acting_user=user,
        community_slug=reply.item.community.slug,
        item_id=reply.item_id,
        reply_id=reply.pk,
        recommended=recommended,
    )


def test_a_steward_recommends_an_answer_and_takes_it_back(question, steward, community):
    answerer = member_of(community, display_name="Ann Answerer")
    reply = answer(question, answerer)
    assert check_recommend(steward, reply) is True
    assert check_recommend(steward, reply) is False  # already
    reply.refresh_from_db()
    assert reply.recommended_by == steward and reply.recommended_at is not None
    told = Notification.objects.get(
        recipient=answerer, kind="knowledge.answer_recommended"
    )
    assert told.message == (
        f"Sue Steward recommended your answer to “{question.title}”"
    )
    assert check_recommend(steward, reply, recommended=False) is True
    reply.refresh_from_db()
    assert reply.recommended_by is None and reply.recommended_at is None


def test_members_and_the_asker_cannot_recommend(question, member, steward, community):
    reply = answer(question, steward)
    for user in (member, member_of(community)):
        with pytest.raises(PermissionDenied):
            check_recommend(user, reply)
    reply.refresh_from_db()
    assert reply.recommended_at is None


def test_staff_recommend_anywhere(question, steward, staff):
    reply = answer(question, steward)
    assert check_recommend(staff, reply) is True


def test_only_answers_to_questions_are_recommended(story, steward):
    reply = answer(story, steward)
    with pytest.raises(PermissionDenied):
        check_recommend(steward, reply)


# --- Accepting for the asker ---------------------------------------------------


def test_the_asker_hears_when_a_steward_accepts_an_answer_for_them(
    question, member, steward, community
):
    answerer = member_of(community, display_name="Ann Answerer")
    reply = answer(question, answerer)
    services.answer_accept(item=question, reply=reply, acting_user=steward)
    told = Notification.objects.get(
        recipient=member, kind="knowledge.answer_accepted_for_you"
    )
    assert told.message == (
        f"Sue Steward accepted Ann Answerer’s answer to your question "
        f"“{question.title}”"
    )
    assert told.actor == steward and told.url == question.get_absolute_url()
    assert Notification.objects.filter(
        recipient=answerer, kind="knowledge.answer_accepted"
    ).exists()
    # Accepting the same answer again tells nobody again.
    services.answer_accept(item=question, reply=reply, acting_user=steward)
    assert Notification.objects.filter(recipient=member).count() == 2  # + reply


@pytest.mark.parametrize(
    "emails,sent",
    [
        (NotificationEmails.IMMEDIATELY, True),
        (NotificationEmails.DIGEST, False),
        (NotificationEmails.OFF, False),
    ],
)
def test_the_askers_email_setting_is_honoured(
    question, member, steward, community, emails, sent,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    member.notification_emails = emails
    member.save(update_fields=["notification_emails"])
    reply = answer(question, member_of(community))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(item=question, reply=reply, acting_user=steward)
    to_asker = [m for m in mail.outbox if m.to == [member.email]]
    assert len(to_asker) == (1 if sent else 0)
    if sent:
        assert "accepted" in to_asker[0].body
    assert Notification.objects.filter(
        recipient=member, kind="knowledge.answer_accepted_for_you"
    ).exists()


def test_the_asker_accepting_is_not_told_about_it(question, member, community):
    answerer = member_of(community)
    reply = answer(question, answerer)
    services.answer_accept(item=question, reply=reply, acting_user=member)
    assert not Notification.objects.filter(
        kind="knowledge.answer_accepted_for_you"
    ).exists()


def test_the_asker_is_told_once_when_their_own_answer_is_accepted(
    question, member, steward
):
    reply = answer(question, member, body="Found it myself: a buddy.")
    services.answer_accept(item=question, reply=reply, acting_user=steward)
    assert list(
        Notification.objects.filter(recipient=member).values_list("kind", flat=True)
    ) == ["knowledge.answer_accepted"]


def test_an_asker_who_muted_the_community_is_not_told(
    question, member, steward, community
):
    watching.follow_set(
        user=member, kind="community", target=community, level=FollowLevel.MUTED
    )
    reply = answer(question, member_of(community))
    services.answer_accept(item=question, reply=reply, acting_user=steward)
    assert not Notification.objects.filter(recipient=member).exists()


def test_an_asker_who_left_a_private_community_is_not_told(
    make_item, member, steward, private
):
    asked = make_item(
        author=member, community=private, kind=ItemKind.QUESTION, title="Terms?"
    )
    reply = answer(asked, steward, body="Ask finance.")
    member.memberships.filter(community=private).update(status="left")
    services.answer_accept(item=asked, reply=reply, acting_user=steward)
    assert not Notification.objects.filter(
        recipient=member, kind="knowledge.answer_accepted_for_you"
    ).exists()


def test_accepting_through_the_page_tells_the_asker(
    client, question, member, steward, community
):
    reply = answer(question, member_of(community))
    response = login(client, steward).post(reply_url("reply_accept", reply))
    assert response.status_code == 302
    assert Notification.objects.filter(
        recipient=member, kind="knowledge.answer_accepted_for_you"
    ).exists()


# --- Permission tables ----------------------------------------------------------

# Marking helpful: whoever may read the item (302 back to the reply).
MARK = {
    "open": dict.fromkeys(ROLES, 302),
    "private": {
        "anonymous": 302,
        "outsider": 404,
        "member": 404,
        "private_member": 302,
        "steward": 302,
        "manager": 404,
        "staff": 302,
    },
}
# Recommending: the item's stewards and staff.
RECOMMEND = {
    "open": {
        "anonymous": 302,
        "outsider": 403,
        "member": 403,
        "private_member": 403,
        "steward": 302,
        "manager": 403,
        "staff": 302,
    },
    "private": {
        "anonymous": 302,
        "outsider": 404,
        "member": 404,
        "private_member": 403,
        "steward": 302,
        "manager": 404,
        "staff": 302,
    },
}
# Reading a question sorted by helpful: whoever may read it.
SORT = {
    "open": {**dict.fromkeys(ROLES, 200), "anonymous": 302},
    "private": {
        "anonymous": 302,
        "outsider": 404,
        "member": 404,
        "private_member": 200,
        "steward": 200,
        "manager": 404,
        "staff": 200,
    },
}


def world_answer(where):
    """The world, a question by its author in the open or private community
    and an answer by the author (nobody in the table wrote it)."""
    world = build_world()
    community = world.open if where == "open" else world.private
    question = services.item_create(
        author=world.author,
        community=community,
        kind=ItemKind.QUESTION,
        title="Which filler rod?",
        body="For thin stainless.",
        tags=["welding"],
    )
    return world, answer(question, world.author, body="ER308L, thin.")


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_mark_permission_table(client, role, where):
    world, reply = world_answer(where)
    client = world.login(client, role)
    response = client.post(reply_url("reply_helpful", reply), {"helpful": "1"})
    assert response.status_code == MARK[where][role]
    marked = MARK[where][role] == 302 and role != "anonymous"
    assert count(reply) == (1 if marked else 0)
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    elif marked:
        assert response["Location"].endswith(f"#reply-{reply.pk}")
        client.post(reply_url("reply_helpful", reply), {"helpful": "0"})
        assert count(reply) == 0


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_recommend_permission_table(client, role, where):
    world, reply = world_answer(where)
    client = world.login(client, role)
    response = client.post(reply_url("answer_recommend", reply), {"recommend": "1"})
    assert response.status_code == RECOMMEND[where][role]
    reply.refresh_from_db()
    done = RECOMMEND[where][role] == 302 and role != "anonymous"
    assert (
        (reply.recommended_by == world.people.get(role))
        if done
        else (reply.recommended_at is None)
    )
    if done:
        client.post(reply_url("answer_recommend", reply), {"recommend": "0"})
        reply.refresh_from_db()
        assert reply.recommended_at is None


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_sort_permission_table(client, role, where):
    world, reply = world_answer(where)
    response = world.login(client, role).get(
        reply.item.get_absolute_url(), {"answers": "helpful"}
    )
    assert response.status_code == SORT[where][role]
    if response.status_code == 200:
        assert response.context["answer_order"] == "helpful"
        assert "ER308L" in response.content.decode()


def test_marking_and_recommending_are_post_only(client, question, steward, member):
    reply = answer(question, steward)
    client = login(client, member)
    assert client.get(reply_url("reply_helpful", reply)).status_code == 405
    assert client.get(reply_url("answer_recommend", reply)).status_code == 405


def test_a_reply_of_another_item_is_404(client, question, story, steward, member):
    reply = answer(story, steward)
    url = reverse(
        "knowledge:reply_helpful",
        kwargs={
            "slug": question.community.slug,
            "pk": question.pk,
            "reply_pk": reply.pk,
        },
    )
    assert login(client, member).post(url, {"helpful": "1"}).status_code == 404


# --- The item page --------------------------------------------------------------


def test_each_reply_has_a_helpful_toggle_naming_it_with_its_count(
    client, question, steward, member
):
    reply = answer(question, steward)
    html = login(client, member).get(question.get_absolute_url()).content.decode()
    form = html.split(f'action="{reply_url("reply_helpful", reply)}"')[1]
    form = form.split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="helpful" value="1"' in form and 'aria-pressed="false"' in form
    assert "Helpful" in form and "the answer by Sue Steward" in form
    assert "· 0<span" in form
    login(client, member).post(reply_url("reply_helpful", reply), {"helpful": "1"})
    html = client.get(question.get_absolute_url()).content.decode()
    form = html.split(f'action="{reply_url("reply_helpful", reply)}"')[1]
    form = form.split("</form>")[0]
    assert 'name="helpful" value="0"' in form and 'aria-pressed="true"' in form
    assert "· 1<span" in form


def test_the_author_sees_the_count_not_the_toggle(client, question, steward):
    reply = answer(question, steward)
    html = login(client, steward).get(question.get_absolute_url()).content.decode()
    assert reply_url("reply_helpful", reply) not in html
    assert "0 helpful marks" in html


def test_the_recommended_badge_and_button(client, question, steward, member):
    reply = answer(question, steward)
    reply_marks.do_answer_recommend(reply=reply, acting_user=steward, recommended=True)
    html = login(client, member).get(question.get_absolute_url()).content.decode()
    assert "</span> Recommended by Sue Steward" in html
    assert reply_url("answer_recommend", reply) not in html  # members: no button
    html = login(client, steward).get(question.get_absolute_url()).content.decode()
    assert "Withdraw recommendation" in html


@pytest.fixture
def answers(question, steward, community, member):
    """Four answers: oldest unmarked, a recommended one, one with two marks
    and the accepted one (newest)."""
    people = [member_of(community) for _ in range(4)]
    plain = answer(question, people[0], body="Plain")
    recommended = answer(question, people[1], body="Recommended")
    popular = answer(question, people[2], body="Popular")
    accepted = answer(question, people[3], body="Accepted")
    reply_marks.do_answer_recommend(
        reply=recommended, acting_user=steward, recommended=True
    )
    for voter in (steward, people[0]):
        reply_marks.do_reply_helpful_set(reply=popular, acting_user=voter, helpful=True)
    services.answer_accept(item=question, reply=accepted, acting_user=member)
    return plain, recommended, popular, accepted


def order_of(client, question, **params):
    response = client.get(question.get_absolute_url(), params)
    assert response.status_code == 200
    bodies = dict(Reply.objects.values_list("pk", "body"))
    return [bodies[r.pk] for r in response.context["replies"]], response


def test_answers_sorted_by_most_helpful(client, question, answers, member):
    client = login(client, member)
    shown, response = order_of(client, question, answers="helpful")
    assert shown == ["Accepted", "Recommended", "Popular", "Plain"]
    html = response.content.decode()
    assert 'href="?answers=helpful#answers" aria-current="page"' in html
    shown, _response = order_of(client, question)
    assert shown == ["Plain", "Recommended", "Popular", "Accepted"]


@pytest.mark.parametrize(
    "value", ["", "newest", "HELPFUL", "1; drop table", "x" * 500, "élan"]
)
def test_a_bad_sort_shows_the_default_order(client, question, answers, member, value):
    shown, response = order_of(login(client, member), question, answers=value)
    assert shown == ["Plain", "Recommended", "Popular", "Accepted"]
    assert response.context["answer_order"] == "oldest"


def test_marking_returns_to_the_page_in_its_order(client, question, answers, member):
    plain = answers[0]
    response = login(client, member).post(
        reply_url("reply_helpful", plain), {"helpful": "1", "answers": "helpful"}
    )
    assert response["Location"].endswith(f"?answers=helpful#reply-{plain.pk}")
    response = client.post(
        reply_url("reply_helpful", plain), {"helpful": "0", "answers": "bogus"}
    )
    assert response["Location"] == (f"{plain.item.get_absolute_url()}#reply-{plain.pk}")


@pytest.mark.parametrize("size", [3, 30])
def test_question_page_query_count_is_pinned(
    client, question, community, steward, member, size, django_assert_num_queries
):
    """Replies, their marks, the viewer's marks and the recommenders are read
    in the replies' one query, whatever their number and order."""
    voters = [member_of(community) for _ in range(3)]
    for n in range(size):
        reply = answer(question, member_of(community), body=f"Answer {n}")
        for voter in voters[: n % 4]:
            reply_marks.do_reply_helpful_set(
                reply=reply, acting_user=voter, helpful=True
            )
        if n % 3 == 0:
            reply_marks.do_answer_recommend(
                reply=reply, acting_user=steward, recommended=True
            )
            reply_marks.do_reply_helpful_set(
                reply=reply, acting_user=member, helpful=True
            )
    client = login(client, member)
    url = question.get_absolute_url()
    for params in ({}, {"answers": "helpful"}):
        with django_assert_num_queries(QUESTION_PAGE_QUERIES):
            response = client.get(url, params)
        assert len(response.context["replies"]) == size


# Session, member, item, membership, the page's facts (one query: the
# viewer's mark and follow, related ids, whether files, adoptions or shares
# exist), replies, unread notifications.
QUESTION_PAGE_QUERIES = 7


# --- Who knows most and mentor suggestions --------------------------------------


def test_reply_marks_count_toward_who_knows_most(
    client, question, community, steward, member
):
    """A reply's marks count like an item's for the reply's author on the
    item's tags (onboarding)."""
    writer = member_of(community, display_name="Wanda Writer")
    story = services.item_create(
        author=writer,
        community=community,
        kind=ItemKind.STORY,
        title="Onboarding buddies",
        body="It worked.",
        tags=["onboarding"],
    )
    services.helpful_set(item=story, acting_user=member, helpful=True)
    replier = member_of(community, display_name="Ron Replier")
    reply = answer(question, replier)
    assert [e.pk for e in experts_for_tag(tag="onboarding", viewer=member)] == [
        writer.pk
    ]
    for voter in (member, steward):
        reply_marks.do_reply_helpful_set(reply=reply, acting_user=voter, helpful=True)
    experts = experts_for_tag(tag="onboarding", viewer=member)
    assert [(e.pk, e.helpful) for e in experts] == [(replier.pk, 2), (writer.pk, 1)]
    scores = tag_expertise_scores(tags=["onboarding"], user_ids=[replier.pk])
    assert scores == {(replier.pk, "onboarding"): {"helpful": 2, "accepted": 0}}
    html = login(client, member).get(reverse("knowledge:tag", args=["onboarding"]))
    section = html.content.decode().split("Who knows most")[1]
    assert section.index("Ron Replier") < section.index("Wanda Writer")
    # A hidden reply's marks stop counting.
    services.reply_hide(reply=reply, acting_user=steward)
    experts = experts_for_tag(tag="onboarding", viewer=member)
    assert [e.pk for e in experts] == [writer.pk]
    assert tag_expertise_scores(tags=["onboarding"], user_ids=[replier.pk]) == {}


def test_reply_marks_in_a_private_community_count_only_for_its_readers(
    secret, member, steward, other_member
):
    reply = answer(secret, steward, body="Ask finance.")
    reply_marks.do_reply_helpful_set(reply=reply, acting_user=member, helpful=True)
    assert [e.pk for e in experts_for_tag(tag="pricing", viewer=member)] == [steward.pk]
    assert experts_for_tag(tag="pricing", viewer=other_member) == []


def _suggestions(request, *, viewer):
    """Suggestions as a broker sees them after the strengths job has run."""
    strengths_refresh()
    return mentor_suggestions_for(request, viewer=viewer)


def test_reply_marks_bring_a_mentor_into_suggestions_and_raise_the_score(
    question, community, member, staff
):
    request = MentoringRequestFactory(
        mentee=UserFactory(leadership_role=LeadershipRole.NONE), topics=["onboarding"]
    )
    replier = MentorOfferFactory(user=member_of(community), topics=["lean"])
    offered = MentorOfferFactory(user=member_of(community), topics=["onboarding"])
    assert [s.mentor.pk for s in _suggestions(request, viewer=staff)] == [
        offered.user_id
    ]
    reply = answer(question, replier.user)
    for voter in (member, *(member_of(community) for _ in range(2))):
        reply_marks.do_reply_helpful_set(reply=reply, acting_user=voter, helpful=True)
    found = {s.mentor.pk: s for s in _suggestions(request, viewer=staff)}
    assert "knows onboarding: 3 helpful marks" in found[replier.user_id].reasons
    before = found[replier.user_id].score
    more = answer(question, replier.user, body="And a checklist.")
    for voter in (member_of(community) for _ in range(5)):
        reply_marks.do_reply_helpful_set(reply=more, acting_user=voter, helpful=True)
    found = {s.mentor.pk: s for s in _suggestions(request, viewer=staff)}
    assert found[replier.user_id].score > before
    assert "knows onboarding: 8 helpful marks" in found[replier.user_id].reasons


def test_hidden_replies_do_not_count_for_mentor_suggestions(
    question, community, member, steward, staff
):
    request = MentoringRequestFactory(topics=["onboarding"])
    replier = MentorOfferFactory(user=member_of(community), topics=["lean"])
    reply = answer(question, replier.user)
    reply_marks.do_reply_helpful_set(reply=reply, acting_user=member, helpful=True)
    assert _suggestions(request, viewer=staff)
    services.reply_hide(reply=reply, acting_user=steward)
    assert _suggestions(request, viewer=staff) == []


def test_replies_on_hidden_items_do_not_count_for_mentor_suggestions(
    question, community, member, steward, staff
):
    request = MentoringRequestFactory(topics=["onboarding"])
    replier = MentorOfferFactory(user=member_of(community), topics=["lean"])
    reply = answer(question, replier.user)
    reply_marks.do_reply_helpful_set(reply=reply, acting_user=steward, helpful=True)
    assert _suggestions(request, viewer=staff)
    services.item_hide(item=question, acting_user=steward)
    assert _suggestions(request, viewer=staff) == []
    assert experts_for_tag(tag="onboarding", viewer=staff) == []
