"""The item page asks the reply rules once per case (the viewer's own reply
or not, hidden or not), not once per reply: knowledge.permissions.
reply_actions must answer exactly what the rules answer for each reply."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from communities.models import Membership
from knowledge import permissions as perms
from knowledge import reply_marks
from knowledge.models import ItemKind, Reply
from knowledge.selectors import item_replies
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def rules_say(user, reply, item, membership) -> perms.ReplyActions:
    """What the rules answer for one reply, asked one by one."""
    return perms.ReplyActions(
        read=perms.can_read_reply(user, reply, item, membership),
        mark_helpful=reply_marks.can_mark_reply_helpful(user, reply, item, membership),
        recommend=reply_marks.can_recommend_answer(user, reply, item, membership),
        accept=perms.can_accept(user, item, membership) and not reply.is_hidden,
        edit=perms.can_edit_reply(user, reply, item, membership),
        hide=perms.can_hide_reply(user, reply, item, membership),
        restore=perms.can_restore_reply(user, reply, item, membership),
    )


@pytest.fixture
def items(make_item, member, community, private, archived):
    made = {
        "open question": make_item(
            author=member, community=community, kind=ItemKind.QUESTION
        ),
        "open story": make_item(author=member, community=community),
        "private question": make_item(
            author=member, community=private, kind=ItemKind.QUESTION
        ),
        "archived question": make_item(
            author=member, community=archived, kind=ItemKind.QUESTION
        ),
        "hidden question": make_item(
            author=member, community=community, kind=ItemKind.QUESTION
        ),
    }
    made["hidden question"].hidden_at = timezone.now()
    made["hidden question"].save(update_fields=["hidden_at"])
    return made


def test_reply_actions_answer_what_the_rules_answer(items, roles, archived):
    """Every viewer (anonymous, outsider, member, the asker, steward,
    manager, staff) against replies of their own and of others, hidden and
    not, on questions and stories, open, private, archived and hidden."""
    people = {name: user for name, user in roles.items() if user is not None}
    for user in people.values():
        if not Membership.objects.filter(user=user, community=archived).exists():
            MembershipFactory(user=user, community=archived)
    viewers = {**people, "anonymous": AnonymousUser()}
    checked = set()
    for item in items.values():
        Reply.objects.bulk_create(
            Reply(
                item=item,
                author=author,
                body="Tip.",
                body_html="<p>Tip.</p>",
                hidden_at=timezone.now() if hidden else None,
            )
            for author in people.values()
            for hidden in (False, True)
        )
        replies = {reply.pk: reply for reply in Reply.objects.filter(item=item)}
        for name, user in viewers.items():
            membership = perms.membership_or_outsider(user, item.community)
            actions = perms.reply_actions(user, item, membership)
            for row in item_replies(item=item, viewer=user):
                reply = replies[row.pk]
                said = rules_say(user, reply, item, membership)
                assert actions(row) == said, (name, item.title, reply.author, row)
                checked.add(said)
    # The check covered every kind of answer, not only "nothing allowed".
    assert len(checked) >= 8
    assert any(said.restore for said in checked)
    assert any(said.recommend and said.accept for said in checked)
    assert any(said.mark_helpful for said in checked)
    assert any(not said.read for said in checked)
