"""Services keep counters, tags, notifications and the newcomer checklist."""

import pytest
from django.core.exceptions import ValidationError

from communities.models import Membership
from knowledge import services
from knowledge.models import Adoption, Item, ItemKind
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_item_create_normalises_tags_and_renders_markdown(member, community):
    item = services.item_create(
        author=member,
        community=community,
        kind=ItemKind.PRACTICE,
        title="  Five-minute huddle  ",
        body="**Every** shift starts with it.",
        tags=["Shift Handover", "lean", "LEAN", "a/b", " "],
    )
    assert item.title == "Five-minute huddle"
    assert item.tag_names == "a-b lean shift-handover"
    assert sorted(item.tags.names()) == ["a-b", "lean", "shift-handover"]
    assert "<strong>Every</strong>" in item.body_html


def test_first_item_ticks_the_introduce_step(member, community):
    services.item_create(
        author=member, community=community, kind="story", title="Hi", body="Hello."
    )
    membership = Membership.objects.get(user=member, community=community)
    assert membership.introduced_at is not None


def test_reply_updates_counters_and_notifies_the_author(story, other_member, community):
    MembershipFactory(user=other_member, community=community)
    services.reply_create(item=story, author=other_member, body="Nice one")
    services.reply_create(item=story, author=other_member, body="And another")
    story.refresh_from_db()
    assert story.reply_count == 2
    assert story.first_reply_at is not None
    assert story.last_activity_at >= story.first_reply_at
    notes = Notification.objects.filter(recipient=story.author, kind="knowledge.reply")
    assert notes.count() == 2
    assert story.get_absolute_url() == notes.first().url


def test_own_reply_does_not_notify(story):
    services.reply_create(item=story, author=story.author, body="Update")
    assert not Notification.objects.filter(recipient=story.author).exists()


def test_no_notification_about_a_private_item_once_the_author_left(
    secret, member, private, steward
):
    Membership.objects.filter(user=member, community=private).update(
        status=Membership.Status.LEFT
    )
    services.reply_create(item=secret, author=steward, body="Reply")
    services.helpful_set(item=secret, acting_user=steward, helpful=True)
    assert not Notification.objects.filter(recipient=member).exists()


def test_hiding_a_reply_decrements_and_unaccepts(question, other_member, steward):
    reply = services.reply_create(item=question, author=steward, body="Try buddies")
    services.answer_accept(item=question, reply=reply, acting_user=question.author)
    services.reply_hide(reply=reply, acting_user=steward)
    question.refresh_from_db()
    assert question.reply_count == 0
    assert question.accepted_reply is None
    services.reply_restore(reply=reply, acting_user=steward)
    question.refresh_from_db()
    assert question.reply_count == 1


def test_accepting_notifies_the_answerer(question, steward):
    reply = services.reply_create(item=question, author=steward, body="Buddies")
    services.answer_accept(item=question, reply=reply, acting_user=question.author)
    assert Notification.objects.filter(
        recipient=steward, kind="knowledge.answer_accepted"
    ).exists()


def test_cannot_accept_a_reply_to_another_question(question, make_item, steward):
    other = make_item(
        author=steward, community=question.community, kind="question", title="Q2"
    )
    reply = services.reply_create(item=other, author=question.author, body="x")
    with pytest.raises(ValidationError):
        services.answer_accept(item=question, reply=reply, acting_user=question.author)


def test_helpful_is_idempotent_per_state(story, other_member):
    assert services.helpful_set(item=story, acting_user=other_member, helpful=True)
    assert not services.helpful_set(item=story, acting_user=other_member, helpful=True)
    story.refresh_from_db()
    assert story.helpful_count == 1
    assert services.helpful_set(item=story, acting_user=other_member, helpful=False)
    assert not services.helpful_set(item=story, acting_user=other_member, helpful=False)
    story.refresh_from_db()
    assert story.helpful_count == 0
    assert (
        Notification.objects.filter(
            recipient=story.author, kind="knowledge.helpful"
        ).count()
        == 1
    )


def test_share_of_open_item_copies_body_and_credits_origin(story, member):
    target = CommunityFactory(name="Support Leads", slug="support-leads")
    MembershipFactory(user=member, community=target)
    copy = services.item_share(
        item=story, community=target, acting_user=member, note="Useful"
    )
    assert copy.shared_from == story
    assert copy.author == story.author
    assert copy.body == story.body
    assert copy.tag_names == story.tag_names
    with pytest.raises(ValidationError):
        services.item_share(item=story, community=target, acting_user=member)


def test_share_of_private_item_carries_only_title_and_note(secret, member):
    target = CommunityFactory(slug="everyone")
    MembershipFactory(user=member, community=target)
    with pytest.raises(ValidationError):
        services.item_share(item=secret, community=target, acting_user=member, note="")
    copy = services.item_share(
        item=secret, community=target, acting_user=member, note="Ask me about renewals."
    )
    assert "zebracorn" not in copy.body + copy.body_html
    assert copy.tag_names == ""
    assert copy.author == member


def test_share_only_into_active_memberships(story, other_member):
    target = CommunityFactory()
    MembershipFactory(user=other_member, community=target, pending=True)
    with pytest.raises(ValidationError):
        services.item_share(item=story, community=target, acting_user=other_member)
    assert not Item.objects.filter(community=target).exists()


def test_adoption_is_unique_and_notifies_the_author(story, other_member):
    team = CommunityFactory(name="Plant Valencia")
    MembershipFactory(user=other_member, community=team)
    services.adoption_record(
        item=story, community=team, acting_user=other_member, note="Since May"
    )
    with pytest.raises(ValidationError):
        services.adoption_record(item=story, community=team, acting_user=other_member)
    assert Adoption.objects.filter(item=story).count() == 1
    note = Notification.objects.get(recipient=story.author, kind="knowledge.adopted")
    assert "Plant Valencia" in note.message


def test_adoption_carries_the_community_its_item_comes_from(story, other_member):
    """The stick rate reads a community's adoptions by this copy."""
    team = CommunityFactory()
    MembershipFactory(user=other_member, community=team)
    adoption = services.adoption_record(
        item=story, community=team, acting_user=other_member
    )
    adoption.refresh_from_db()
    assert adoption.origin_community_id == story.community_id != team.pk


def test_adoption_needs_an_active_membership_in_the_adopting_community(
    story, other_member
):
    team = CommunityFactory()
    with pytest.raises(ValidationError):
        services.adoption_record(item=story, community=team, acting_user=other_member)


def test_item_update_keeps_tags_and_marks_edited(story, steward):
    services.item_update(
        item=story,
        acting_user=steward,
        kind="practice",
        title="New title",
        body="New body",
        tags=["safety"],
    )
    story.refresh_from_db()
    assert story.edited_at is not None
    assert story.tag_names == "safety"
    assert list(story.tags.names()) == ["safety"]
    assert story.author != steward


def test_reading_a_most_helpful_story_ticks_read_step(story, community):
    newcomer = UserFactory()
    membership = MembershipFactory(user=newcomer, community=community)
    services.helpful_set(item=story, acting_user=UserFactory(), helpful=True)
    story.refresh_from_db()
    services.item_opened(acting_user=newcomer, item=story, membership=membership)
    membership.refresh_from_db()
    assert membership.read_helpful_at is not None


def test_reading_an_unhelpful_story_does_not_tick_read_step(story, community):
    newcomer = UserFactory()
    membership = MembershipFactory(user=newcomer, community=community)
    services.item_opened(acting_user=newcomer, item=story, membership=membership)
    membership.refresh_from_db()
    assert membership.read_helpful_at is None
