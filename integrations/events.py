"""What each event says, and whose content it carries.

`event_describe(event=, object_id=)` reads the row an event is about and
returns its payload with the communities whose content that payload holds.
A hook may carry an event only if every one of those communities is open, or
is the hook's own community (`hook_may_carry`). Nothing private is put in a
payload for anyone: mentoring events name no people and no reasons.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator

from communities.models import Community
from integrations.models import Event, Webhook
from knowledge.models import Adoption, Item, Reply
from mentoring.models import Pair

EXCERPT_CHARS = 280


@dataclass(frozen=True)
class Described:
    data: dict
    communities: list[Community]


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _community(community: Community | None) -> dict | None:
    if community is None:
        return None
    return {"slug": community.slug, "name": community.name}


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "display_name": user.display_name}


def _item(item: Item) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "url": absolute(item.get_absolute_url()),
        "community": _community(item.community),
        "tags": item.tag_names.split(),
    }


def _item_created(object_id: int) -> Described | None:
    item = (
        Item.objects.select_related("community", "author")
        .filter(pk=object_id, hidden_at__isnull=True)
        .first()
    )
    if item is None:
        return None
    data = {
        "item": {
            **_item(item),
            "excerpt": Truncator(strip_tags(item.body_html).strip()).chars(
                EXCERPT_CHARS
            ),
            "author": _person(item.author),
            "created_at": item.created_at.isoformat(),
        }
    }
    return Described(data, [item.community])


def _answer_accepted(object_id: int) -> Described | None:
    reply = (
        Reply.objects.select_related("item__community", "author")
        .filter(pk=object_id, hidden_at__isnull=True, item__hidden_at__isnull=True)
        .first()
    )
    if reply is None or reply.item.accepted_reply_id != reply.pk:
        return None  # hidden, or unaccepted since
    item = reply.item
    data = {
        "question": _item(item),
        "answer": {
            "id": reply.pk,
            "url": absolute(item.get_absolute_url()) + f"#reply-{reply.pk}",
            "author": _person(reply.author),
        },
    }
    return Described(data, [item.community])


def _adoption_recorded(object_id: int) -> Described | None:
    adoption = (
        Adoption.objects.select_related("item__community", "community", "recorded_by")
        .filter(pk=object_id, item__hidden_at__isnull=True)
        .first()
    )
    if adoption is None:
        return None
    data = {
        "adoption": {
            "id": adoption.pk,
            "item": _item(adoption.item),
            "community": _community(adoption.community),
            "recorded_by": _person(adoption.recorded_by),
            "created_at": adoption.created_at.isoformat(),
        }
    }
    return Described(data, [adoption.item.community, adoption.community])


def _pair(object_id: int) -> Described | None:
    pair = (
        Pair.objects.select_related("request__community").filter(pk=object_id).first()
    )
    if pair is None:
        return None
    community = pair.request.community
    data = {
        "pair": {
            "id": pair.pk,
            "status": pair.status,
            "format": pair.format,
            "url": absolute(pair.get_absolute_url()),
            "community": _community(community),
        }
    }
    return Described(data, [community] if community else [])


DESCRIBERS = {
    Event.ITEM_CREATED: _item_created,
    Event.ANSWER_ACCEPTED: _answer_accepted,
    Event.ADOPTION_RECORDED: _adoption_recorded,
    Event.PAIR_CREATED: _pair,
    Event.PAIR_CLOSED: _pair,
}


def event_describe(*, event: str, object_id: int) -> Described | None:
    """The event's payload, or None when there is nothing (left) to tell."""
    describe = DESCRIBERS.get(event)
    return describe(object_id) if describe else None


def hook_may_carry(hook: Webhook, communities) -> bool:
    """Whether `hook` may hear of content from `communities`.

    Organisation-wide: only when all of them are open. Bound to a community:
    only when it is one of them, and the others are open."""
    if hook.community_id is not None and hook.community_id not in {
        c.pk for c in communities
    }:
        return False
    return all(not c.is_private or c.pk == hook.community_id for c in communities)
