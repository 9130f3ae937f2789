"""Slack: the /practica slash command, link unfurls and linked accounts.

Every request from Slack is verified by the view (signing.slack_request_verify)
before anything here runs. A Slack user acts as the member they linked
(SlackIdentity) and sees exactly what that member sees; an unlinked one gets
only a one-time "Connect your Practica account" link (signed, 15 minutes,
refused once the Slack user is linked). Unfurls name only items of open
communities, whoever shared the link. chat.unfurl is a call out to Slack, so
it is a job through the outbox (integrations.slack_unfurl).
"""

import json
import logging
import urllib.request
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from integrations.events import absolute
from integrations.models import SlackIdentity
from knowledge.checks import check_item_create
from knowledge.models import Item, ItemKind
from knowledge.selectors.search import search_items, search_page_items
from members.jobs import enqueue_on_commit

logger = logging.getLogger(__name__)

CONNECT_SALT = "integrations.slack.connect"
CONNECT_MAX_AGE = 15 * 60
SEARCH_RESULTS = 5
SEARCH_CAP = 200
UNFURL_LINKS = 5


# --- Linking a Slack user to a member -------------------------------------------


def identity_user(*, team_id: str, slack_user_id: str):
    identity = (
        SlackIdentity.objects.select_related("user")
        .filter(team_id=team_id, slack_user_id=slack_user_id, user__is_active=True)
        .first()
    )
    return identity.user if identity else None


def connect_url(*, team_id: str, slack_user_id: str) -> str:
    token = signing.dumps({"t": team_id, "u": slack_user_id}, salt=CONNECT_SALT)
    return absolute(reverse("integrations:slack_connect", kwargs={"token": token}))


def connect_token_read(token: str) -> tuple[str, str]:
    """(team id, Slack user id) from a connect link; ValidationError when it
    is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=CONNECT_SALT, max_age=CONNECT_MAX_AGE)
        team_id, slack_user_id = str(data["t"]), str(data["u"])
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This link has expired.")) from exc
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise ValidationError(_("This link is not valid.")) from exc
    if SlackIdentity.objects.filter(
        team_id=team_id, slack_user_id=slack_user_id
    ).exists():
        raise ValidationError(_("This Slack account is already connected."))
    return team_id, slack_user_id


@transaction.atomic
def identity_link(*, acting_user, team_id: str, slack_user_id: str) -> SlackIdentity:
    try:
        with transaction.atomic():
            return SlackIdentity.objects.create(
                team_id=team_id, slack_user_id=slack_user_id, user=acting_user
            )
    except IntegrityError as exc:  # two tabs, one link
        raise ValidationError(_("This Slack account is already connected.")) from exc


@transaction.atomic
def check_identity_link(*, acting_user, token: str) -> SlackIdentity:
    team_id, slack_user_id = connect_token_read(token)
    return identity_link(
        acting_user=acting_user, team_id=team_id, slack_user_id=slack_user_id
    )


# --- Messages ---------------------------------------------------------------------


def _escape(text: str) -> str:
    """Slack's mrkdwn needs only these three escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _ephemeral(text: str, blocks=None) -> dict:
    return {
        "response_type": "ephemeral",
        "text": text,
        "blocks": blocks or [_section(_escape(text))],
    }


def _item_line(item: Item) -> str:
    url = absolute(item.get_absolute_url())
    return (
        f"*<{url}|{_escape(item.title)}>*\n"
        f"{_escape(item.get_kind_display())} · {_escape(item.community.name)}"
    )


def _connect_answer(team_id: str, slack_user_id: str) -> dict:
    url = connect_url(team_id=team_id, slack_user_id=slack_user_id)
    text = _("Connect your Practica account first (the link works for 15 minutes).")
    return {
        "response_type": "ephemeral",
        "text": f"{text} {url}",
        "blocks": [
            _section(_escape(text)),
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": _("Connect")},
                        "url": url,
                        "action_id": "practica_connect",
                    }
                ],
            },
        ],
    }


def _search(user, words: str) -> dict:
    if not words:
        return _ephemeral(_("Search for what? `/practica search <words>`"))
    found = search_items(viewer=user, q=words, cap=SEARCH_CAP)
    items = search_page_items(ids=found.ids[:SEARCH_RESULTS], q="")
    if not items:
        return _ephemeral(_("Nothing found for “%(q)s”.") % {"q": words})
    heading = _("Top results for “%(q)s”") % {"q": words}
    blocks = [_section(f"*{_escape(heading)}*")]
    blocks += [_section(_item_line(item)) for item in items]
    search_url = absolute(reverse("knowledge:search")) + "?" + urlencode({"q": words})
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"<{search_url}|{_escape(_('All results in Practica'))}>",
                }
            ],
        }
    )
    return {"response_type": "ephemeral", "text": heading, "blocks": blocks}


def _ask(user, rest: str) -> dict:
    slug, _space, question = rest.partition(" ")
    title, _bar, body = question.partition("|")
    title, body = title.strip(), body.strip()
    if not slug or not title:
        return _ephemeral(
            _("Write `/practica ask <community> <question title> | <details>`.")
        )
    try:
        item = check_item_create(
            acting_user=user,
            community_slug=slug.strip().lower(),
            kind=ItemKind.QUESTION,
            title=title,
            body=body or title,
        )
    except (Http404, PermissionDenied):
        # One answer for both, so a private community's existence stays unsaid.
        return _ephemeral(
            _(
                "You cannot ask in “%(slug)s”: there is no such community, or "
                "you are not an active member of it."
            )
            % {"slug": slug}
        )
    except ValidationError as exc:
        return _ephemeral(" ".join(exc.messages))
    text = _("Asked in %(community)s.") % {"community": item.community.name}
    return _ephemeral(text, [_section(_escape(text)), _section(_item_line(item))])


def command_answer(*, team_id: str, slack_user_id: str, text: str) -> dict:
    """The answer to `/practica <text>` from this Slack user."""
    user = identity_user(team_id=team_id, slack_user_id=slack_user_id)
    if user is None:
        return _connect_answer(team_id, slack_user_id)
    verb, _space, rest = text.strip().partition(" ")
    verb = verb.lower()
    if verb == "search":
        return _search(user, rest.strip())
    if verb == "ask":
        return _ask(user, rest.strip())
    return _ephemeral(
        _(
            "Try `/practica search <words>`, or "
            "`/practica ask <community> <question title> | <details>`."
        )
    )


# --- Unfurls ----------------------------------------------------------------------


def item_for_url(url: str) -> Item | None:
    """The item a Practica link points at, if it is in an open community and
    not hidden; None for any other link."""
    site = urlsplit(settings.SITE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name != "knowledge:item":
        return None
    item = (
        Item.objects.select_related("community")
        .filter(
            pk=match.kwargs["pk"],
            community__slug=match.kwargs["slug"],
            hidden_at__isnull=True,
        )
        .first()
    )
    if item is None or item.community.is_private:
        return None
    return item


def unfurl_of(item: Item) -> dict:
    excerpt = Truncator(" ".join(strip_tags(item.body_html).split())).chars(300)
    return {"blocks": [_section(_item_line(item)), _section(_escape(excerpt))]}


@transaction.atomic
def link_shared(event: dict) -> bool:
    """Slack saw Practica links in a message: unfurl them later, through the
    outbox. Returns whether a job was written."""
    channel, message_ts = event.get("channel"), event.get("message_ts")
    links = event.get("links")
    if not isinstance(channel, str) or not isinstance(message_ts, str):
        return False
    if not isinstance(links, list):
        return False
    urls = [
        link["url"]
        for link in links[:UNFURL_LINKS]
        if isinstance(link, dict) and isinstance(link.get("url"), str)
    ]
    if not urls:
        return False
    enqueue_on_commit(
        "integrations.slack_unfurl", channel=channel, message_ts=message_ts, urls=urls
    )
    return True


def slack_unfurl(*, channel: str, message_ts: str, urls: list[str]) -> int:
    """Call chat.unfurl for the links that may be shown; returns how many.
    A network or HTTP failure raises, so the outbox runs the job again."""
    unfurls = {}
    for url in urls:
        item = item_for_url(url)
        if item is not None:
            unfurls[url] = unfurl_of(item)
    if not unfurls or not settings.SLACK_BOT_TOKEN:
        return 0
    body = json.dumps({"channel": channel, "ts": message_ts, "unfurls": unfurls})
    request = urllib.request.Request(  # noqa: S310 - the configured Slack API
        settings.SLACK_API_URL.rstrip("/") + "/chat.unfurl",
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {settings.SLACK_BOT_TOKEN}",
        },
    )
    with urllib.request.urlopen(  # noqa: S310 - the configured Slack API
        request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    ) as answer:
        reply = json.loads(answer.read(64 * 1024) or b"{}")
    if not reply.get("ok"):
        # Slack refused (a revoked token, an old message): trying again
        # would not help.
        logger.warning("chat.unfurl refused: %s", reply.get("error"))
        return 0
    return len(unfurls)
