"""Slack: the signature gate, the slash command (search, ask, connect) and
link unfurls, driven by request bodies as Slack sends them (fixtures/) and a
fake Slack Web API on loopback for chat.unfurl."""

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from integrations import slack
from integrations.models import SlackIdentity
from integrations.signing import slack_signature
from knowledge import services as knowledge
from knowledge.models import Item, ItemKind
from members.models import OutboxJob
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.integrations.receivers import Server

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SITE = "https://practica.example.com"
TEAM, SLACK_USER = "T0001", "U2147483697"


@pytest.fixture(autouse=True)
def _slack_settings(settings):
    settings.SLACK_SIGNING_SECRET = SECRET
    settings.SITE_URL = SITE
    settings.SLACK_BOT_TOKEN = "xoxb-test-token"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _headers(body: bytes, *, at=None, secret=SECRET) -> dict:
    ts = str(int(at if at is not None else timezone.now().timestamp()))
    return {
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": ts,
        "HTTP_X_SLACK_SIGNATURE": slack_signature(
            secret=secret, timestamp=ts, body=body
        ),
    }


def post_command(client, body: bytes, **headers):
    headers = headers or _headers(body)
    return client.post(
        reverse("integrations:slack_command"),
        body,
        content_type="application/x-www-form-urlencoded",
        **headers,
    )


def post_event(client, body: bytes, **headers):
    headers = headers or _headers(body)
    return client.post(
        reverse("integrations:slack_events"),
        body,
        content_type="application/json",
        **headers,
    )


def command_body(text: str, *, user=SLACK_USER) -> bytes:
    """The recorded search command with another text (and user)."""
    fields = parse_qs(fixture("command_search.txt").decode())
    fields["text"] = [text]
    fields["user_id"] = [user]
    return urlencode(fields, doseq=True).encode()


@pytest.fixture
def linked(people):
    """The Slack user of the fixtures is the private member."""
    return SlackIdentity.objects.create(
        team_id=TEAM, slack_user_id=SLACK_USER, user=people["private member"]
    )


# --- The signature gate -----------------------------------------------------------


@pytest.mark.parametrize("endpoint", [post_command, post_event])
def test_a_bad_stale_or_missing_signature_is_refused_with_401(
    client, endpoint, linked, settings
):
    body = (
        fixture("command_search.txt")
        if endpoint is post_command
        else fixture("url_verification.json")
    )
    now = timezone.now().timestamp()
    refused = [
        _headers(body, secret="not-the-secret"),
        _headers(body, at=now - 5 * 60 - 60),  # stale
        _headers(body, at=now + 5 * 60 + 60),  # from the future
        {"HTTP_X_SLACK_REQUEST_TIMESTAMP": "soon", "HTTP_X_SLACK_SIGNATURE": "v0=1"},
        {"HTTP_X_SLACK_SIGNATURE": _headers(body)["HTTP_X_SLACK_SIGNATURE"]},
        {"HTTP_X_SLACK_NOTHING": "1"},
    ]
    for headers in refused:
        response = endpoint(client, body, **headers)
        assert response.status_code == 401, headers
        assert response.json() == {"error": "invalid_signature"}
    # Signed, then changed on the way.
    changed = body[:20] + b"X" + body[21:]
    tampered = endpoint(client, changed, **_headers(body))
    assert tampered.status_code == 401
    # A signature only 4 minutes old is still good.
    assert endpoint(client, body, **_headers(body, at=now - 4 * 60)).status_code == 200
    # No secret configured: nothing is accepted.
    settings.SLACK_SIGNING_SECRET = ""
    assert endpoint(client, body, **_headers(body, secret="")).status_code == 401
    assert not Item.objects.exists()


def test_malformed_signed_requests_get_400_never_500(client):
    for body in (b"{not json", b"[1, 2]", b"\xff\xfe", b'{"type": "url_verification"}'):
        assert post_event(client, body).status_code == 400
    assert post_command(client, b"text=search+x").status_code == 400  # no user
    assert client.get(reverse("integrations:slack_command")).status_code == 405
    assert client.get(reverse("integrations:slack_events")).status_code == 405


def test_url_verification_echoes_the_challenge(client):
    response = post_event(client, fixture("url_verification.json"))
    assert response.status_code == 200
    assert response.json() == {
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    }


def test_other_events_are_acknowledged_and_ignored(client):
    body = json.dumps(
        {"type": "event_callback", "event": {"type": "app_mention", "text": "hi"}}
    ).encode()
    assert post_event(client, body).status_code == 200
    assert not OutboxJob.objects.exists()


# --- Connecting a Slack user ------------------------------------------------------


def _connect_link(answer: dict) -> str:
    (button,) = answer["blocks"][1]["elements"]
    assert button["url"].startswith(SITE + "/integrations/slack/connect/")
    return button["url"].removeprefix(SITE)


def test_an_unlinked_user_only_gets_the_connect_link(client, people, open_community):
    knowledge.item_create(
        author=people["member"],
        community=open_community,
        kind=ItemKind.STORY,
        title="Shift handover checklist",
        body="Shift handover",
    )
    for body in (fixture("command_search.txt"), fixture("command_ask.txt")):
        answer = post_command(client, body).json()
        assert answer["response_type"] == "ephemeral"
        assert "Connect your Practica account" in answer["text"]
        assert "checklist" not in json.dumps(answer)
        _connect_link(answer)
    assert Item.objects.count() == 1  # nothing asked


def test_the_connect_link_links_the_signed_in_member_once(client, people):
    path = _connect_link(post_command(client, fixture("command_search.txt")).json())
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]

    client.force_login(people["member"])
    page = client.get(path)
    assert page.status_code == 200 and SLACK_USER in page.content.decode()
    assert not SlackIdentity.objects.exists()  # GET changes nothing
    response = client.post(path)
    assert response.status_code == 302
    identity = SlackIdentity.objects.get()
    assert (identity.team_id, identity.slack_user_id, identity.user) == (
        TEAM,
        SLACK_USER,
        people["member"],
    )
    # The same link again, by anyone: refused.
    client.force_login(people["outsider"])
    for method in (client.get, client.post):
        again = method(path)
        assert again.status_code == 400
        assert "already connected" in again.content.decode()
    assert SlackIdentity.objects.get().user == people["member"]


def test_an_expired_or_forged_connect_link_is_refused(client, people, monkeypatch):
    path = _connect_link(post_command(client, fixture("command_search.txt")).json())
    client.force_login(people["member"])
    forged = path[:-4] + "abc/"
    assert client.post(forged).status_code == 400
    # 16 minutes later (Django's signer reads the wall clock).
    later = time.time() + 16 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(path)
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not SlackIdentity.objects.exists()


# --- /practica search -------------------------------------------------------------


def test_search_answers_with_what_the_linked_member_may_see(
    client, people, open_community, private_community, linked
):
    def make(community, title, author):
        return knowledge.item_create(
            author=author,
            community=community,
            kind=ItemKind.PRACTICE,
            title=title,
            body="How we do the shift handover.",
        )

    make(open_community, "Open shift handover", people["member"])
    make(private_community, "Private shift handover", people["private member"])
    hidden = make(open_community, "Hidden shift handover", people["member"])
    knowledge.item_hide(item=hidden, acting_user=people["steward"])

    answer = post_command(client, fixture("command_search.txt")).json()
    text = json.dumps(answer)
    assert answer["response_type"] == "ephemeral"
    assert "Open shift handover" in text and "Private shift handover" in text
    assert "Hidden" not in text
    assert answer["blocks"][0]["type"] == "section"
    assert SITE + "/communities/shift-leads/" in text

    # The same words by a Slack user linked to someone outside the private one.
    SlackIdentity.objects.create(
        team_id=TEAM, slack_user_id="U0OTHER", user=people["member"]
    )
    other = post_command(client, command_body("search shift handover", user="U0OTHER"))
    text = json.dumps(other.json())
    assert "Open shift handover" in text
    assert "Private" not in text and "Key Accounts" not in text


def test_search_without_words_or_results_says_so(client, linked):
    assert (
        "Search for what" in post_command(client, command_body("search")).json()["text"]
    )
    nothing = post_command(client, command_body("search zebras")).json()
    assert "Nothing found" in nothing["text"]
    usage = post_command(client, command_body("dance")).json()
    assert "/practica search" in usage["text"]


def test_slack_text_is_escaped(client, people, open_community, linked):
    knowledge.item_create(
        author=people["member"],
        community=open_community,
        kind=ItemKind.STORY,
        title="Handover <!channel> & <https://evil.example|click>",
        body="shift handover",
    )
    text = json.dumps(post_command(client, fixture("command_search.txt")).json())
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp;" in text


# --- /practica ask ----------------------------------------------------------------


def test_ask_posts_a_question_as_the_linked_member(
    client, people, open_community, linked
):
    answer = post_command(client, fixture("command_ask.txt")).json()
    item = Item.objects.get()
    assert item.kind == ItemKind.QUESTION
    assert item.title == "How do you hand over a night shift?"
    assert item.body == "We keep losing *open tickets* at 06:00."
    assert "<em>open tickets</em>" in item.body_html  # through the sanitiser
    assert (item.author, item.community) == (people["private member"], open_community)
    assert "Asked in Shift Leads" in answer["text"]
    assert item.get_absolute_url() in json.dumps(answer)
    # Announced like any other item (watchers, webhooks) by the service.
    assert OutboxJob.objects.filter(task_name="knowledge.watch_fanout").exists()


@pytest.mark.parametrize(
    "where", ["key-accounts", "no-such-community", "old-guild", "elsewhere"]
)
def test_ask_refuses_a_community_the_member_cannot_post_in(
    client, people, private_community, where
):
    CommunityFactory(name="Old Guild", slug="old-guild", archived_at=timezone.now())
    MembershipFactory(
        user=people["member"],
        community=CommunityFactory(slug="old-guild-2"),
    )
    CommunityFactory(name="Elsewhere", slug="elsewhere")
    SlackIdentity.objects.create(
        team_id=TEAM, slack_user_id="U0MEMBER", user=people["member"]
    )
    answer = post_command(
        client, command_body(f"ask {where} Secret? | body", user="U0MEMBER")
    ).json()
    assert "You cannot ask in" in answer["text"]
    assert not Item.objects.exists()


def test_a_pending_member_cannot_ask_and_a_bad_ask_is_explained(
    client, people, open_community, linked
):
    Membership.objects.filter(
        user=people["private member"], community=open_community
    ).update(status=Membership.Status.PENDING)
    answer = post_command(client, fixture("command_ask.txt")).json()
    assert "You cannot ask in" in answer["text"]
    usage = post_command(client, command_body("ask shift-leads")).json()
    assert "/practica ask <community>" in usage["text"]
    too_long = post_command(
        client, command_body("ask key-accounts " + "x" * 300)
    ).json()
    assert not Item.objects.exists()
    assert too_long["response_type"] == "ephemeral"


def test_an_inactive_members_slack_user_is_unlinked(client, people, linked):
    people["private member"].is_active = False
    people["private member"].save()
    answer = post_command(client, fixture("command_search.txt")).json()
    assert "Connect your Practica account" in answer["text"]


# --- Unfurls ----------------------------------------------------------------------


@pytest.fixture
def fake_slack(settings):
    server = Server(reply_body=b'{"ok": true}').start()
    settings.SLACK_API_URL = server.url + "/api/"
    yield server
    server.stop()


def test_link_shared_unfurls_only_open_items_through_the_outbox(
    client,
    people,
    open_community,
    private_community,
    fake_slack,
    django_capture_on_commit_callbacks,
):
    def make(community, title):
        return knowledge.item_create(
            author=people["private member"],
            community=community,
            kind=ItemKind.STORY,
            title=title,
            body="What we learned **together**.",
        )

    public = make(open_community, "Open handover story")
    secret = make(private_community, "Private pricing story")
    body = (
        fixture("link_shared.json")
        .replace(b"OPEN_ITEM_URL", (SITE + public.get_absolute_url()).encode())
        .replace(b"PRIVATE_ITEM_URL", (SITE + secret.get_absolute_url()).encode())
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, body)
    assert response.status_code == 200
    job = OutboxJob.objects.get(task_name="integrations.slack_unfurl")
    assert job.done_at is not None

    (call,) = fake_slack.received
    assert call.path == "/api/chat.unfurl"
    assert call.headers["Authorization"] == "Bearer xoxb-test-token"
    sent = call.json()
    assert (sent["channel"], sent["ts"]) == ("C123ABC456", "1714985632.123456")
    assert list(sent["unfurls"]) == [SITE + public.get_absolute_url()]
    text = json.dumps(sent)
    assert "Open handover story" in text and "What we learned together." in text
    assert "Private pricing" not in text


def test_no_unfurl_call_when_nothing_may_be_shown(
    client, people, private_community, fake_slack, django_capture_on_commit_callbacks
):
    secret = knowledge.item_create(
        author=people["private member"],
        community=private_community,
        kind=ItemKind.STORY,
        title="Private",
        body="x",
    )
    body = fixture("link_shared.json").replace(
        b"OPEN_ITEM_URL", (SITE + secret.get_absolute_url()).encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, body)
    assert fake_slack.received == []


def test_a_slack_api_outage_leaves_the_job_for_the_sweeper(
    people, open_community, settings
):
    from tests.conftest import free_port

    item = knowledge.item_create(
        author=people["member"],
        community=open_community,
        kind=ItemKind.STORY,
        title="Open",
        body="x",
    )
    settings.SLACK_API_URL = f"http://127.0.0.1:{free_port()}/api/"
    with pytest.raises(OSError):
        slack.slack_unfurl(
            channel="C1", message_ts="1.2", urls=[SITE + item.get_absolute_url()]
        )


def test_the_five_minute_window_is_exact(client, clock, linked):
    body = fixture("command_search.txt")
    headers = _headers(body, at=clock.now.timestamp())
    clock.advance(300)
    assert post_command(client, body, **headers).status_code == 200
    clock.advance(1)
    assert post_command(client, body, **headers).status_code == 401


def test_a_multipart_post_is_refused_not_a_crash(client):
    for name in ("integrations:slack_command", "integrations:slack_events"):
        response = client.post(reverse(name), {"text": "search x", "user_id": "U1"})
        assert response.status_code == 401


@pytest.mark.parametrize(
    "persona",
    [
        "anonymous",
        "outsider",
        "member",
        "private member",
        "steward",
        "manager",
        "staff",
    ],
)
def test_any_signed_in_member_may_connect_their_own_slack_user(client, people, persona):
    path = _connect_link(post_command(client, fixture("command_search.txt")).json())
    user = people[persona]
    if user is None:
        response = client.post(path)
        assert response.status_code == 302 and "login" in response["Location"]
        assert not SlackIdentity.objects.exists()
        return
    client.force_login(user)
    assert client.post(path).status_code == 302
    assert SlackIdentity.objects.get().user == user


CONNECT_PAGE_QUERIES = 4


@pytest.mark.parametrize("size", [1, 20])
def test_the_connect_page_queries_do_not_grow(
    client, people, size, django_assert_num_queries
):
    for n in range(size):
        SlackIdentity.objects.create(
            team_id=TEAM, slack_user_id=f"U{n:05}", user=people["member"]
        )
    path = _connect_link(post_command(client, fixture("command_search.txt")).json())
    client.force_login(people["member"])
    with django_assert_num_queries(CONNECT_PAGE_QUERIES):
        response = client.get(path)
    assert response.status_code == 200
