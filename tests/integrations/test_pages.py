"""The webhook pages: who may see and do what (anonymous, outsider, member,
private member, steward, manager, staff), creating a hook (its secret shown
once), editing, deleting after a confirmation, the delivery log and its
"redeliver" button, and pinned query counts at two sizes."""

import uuid

import pytest
from django.urls import reverse

from integrations.models import Delivery, Event, Webhook
from members.models import OutboxJob
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "login"
PERSONAS = [
    "anonymous",
    "outsider",
    "member",
    "private member",
    "steward",
    "manager",
    "staff",
]


def _rules(*values):
    assert len(values) == len(PERSONAS)
    return dict(zip(PERSONAS, values, strict=True))


# The list and the new-hook form: staff and stewards (of any community).
LIST = _rules(LOGIN, 403, 403, 403, 200, 403, 200)
# A private community's hook: outsiders to it get 404, its plain members 403.
PRIVATE_HOOK = _rules(LOGIN, 404, 404, 403, 200, 404, 200)
# An open community's hook: every signed-in non-steward gets 403.
OPEN_HOOK = _rules(LOGIN, 403, 403, 403, 200, 403, 200)
# An organisation-wide hook: staff only.
ORG_HOOK = _rules(LOGIN, 403, 403, 403, 403, 403, 200)


def _as(client, people, persona):
    user = people[persona]
    if user is not None:
        client.force_login(user)
    return client


def _expect(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    elif expected == 200:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == expected


@pytest.fixture
def hooks(people, open_community, private_community, make_hook):
    return {
        "org": make_hook(url="http://127.0.0.1:9/org"),
        "open": make_hook(url="http://127.0.0.1:9/open", community=open_community),
        "private": make_hook(
            url="http://127.0.0.1:9/private", community=private_community
        ),
    }


def _delivery(hook, **fields):
    return Delivery.objects.create(
        webhook=hook,
        event_id=uuid.uuid4(),
        event=Event.ITEM_CREATED,
        payload={"item": {"title": "x"}},
        **fields,
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "name", ["integrations:webhooks", "integrations:webhook_create"]
)
def test_who_may_open_the_list_and_the_form(client, people, persona, name):
    response = _as(client, people, persona).get(reverse(name))
    _expect(response, LIST[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("scope", "rules"),
    [("private", PRIVATE_HOOK), ("open", OPEN_HOOK), ("org", ORG_HOOK)],
)
def test_who_may_open_a_hooks_page(client, people, hooks, persona, scope, rules):
    hook = hooks[scope]
    response = _as(client, people, persona).get(hook.get_absolute_url())
    _expect(response, rules[persona])
    if rules[persona] == 200:
        assert hook.url in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("scope", "rules"),
    [("private", PRIVATE_HOOK), ("org", ORG_HOOK)],
)
def test_who_may_redeliver(client, people, hooks, persona, scope, rules):
    hook = hooks[scope]
    delivery = _delivery(hook, status="failed", attempts=6)
    url = reverse(
        "integrations:redeliver", kwargs={"pk": hook.pk, "delivery_pk": delivery.pk}
    )
    response = _as(client, people, persona).post(url)
    _expect(response, rules[persona])
    delivery.refresh_from_db()
    if rules[persona] == 200:
        # A fresh series of attempts, handed to the outbox.
        assert (delivery.status, delivery.attempts) == ("pending", 0)
        assert OutboxJob.objects.filter(task_name="integrations.delivery_send")
        assert response["Location"] == hook.get_absolute_url()
    else:
        assert (delivery.status, delivery.attempts) == ("failed", 6)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("scope", "rules"),
    [("private", PRIVATE_HOOK), ("org", ORG_HOOK)],
)
def test_who_may_edit_or_delete(client, people, hooks, persona, scope, rules):
    hook = hooks[scope]
    client = _as(client, people, persona)
    edit = client.post(
        hook.get_absolute_url(),
        {"name": "Renamed", "url": hook.url, "events": [Event.ITEM_CREATED]},
    )
    _expect(edit, rules[persona])
    delete = client.post(
        reverse("integrations:webhook_delete", kwargs={"pk": hook.pk}),
        {"confirmed": "yes"},
    )
    _expect(delete, rules[persona])
    exists = Webhook.objects.filter(pk=hook.pk, name="Renamed").exists()
    if rules[persona] == 200:
        assert not Webhook.objects.filter(pk=hook.pk).exists()
    else:
        assert not exists and Webhook.objects.filter(pk=hook.pk).exists()


def test_redeliver_refuses_get_and_a_delivery_of_another_hook(client, people, hooks):
    client.force_login(people["steward"])
    other = _delivery(hooks["org"])
    url = reverse(
        "integrations:redeliver",
        kwargs={"pk": hooks["private"].pk, "delivery_pk": other.pk},
    )
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 404


def test_a_steward_creates_a_hook_for_their_community_and_sees_its_secret_once(
    client, people, private_community
):
    client.force_login(people["steward"])
    form = client.get(reverse("integrations:webhook_create")).content.decode()
    assert "Organisation-wide" not in form  # staff only
    assert "Key Accounts" in form and "Shift Leads" in form
    response = client.post(
        reverse("integrations:webhook_create"),
        {
            "name": "Team channel",
            "url": "https://hooks.example.com/practica",
            "community": private_community.pk,
            "events": [Event.ITEM_CREATED, Event.ANSWER_ACCEPTED],
        },
    )
    hook = Webhook.objects.get()
    assert response["Location"] == hook.get_absolute_url()
    assert hook.community == private_community
    assert hook.events == ["item.created", "answer.accepted"]
    assert hook.created_by == people["steward"]
    assert hook.secret.startswith("whsec_") and len(hook.secret) > 40
    first = client.get(hook.get_absolute_url()).content.decode()
    assert hook.secret in first
    again = client.get(hook.get_absolute_url()).content.decode()
    assert hook.secret not in again


def test_a_steward_cannot_make_an_organisation_wide_hook_or_one_elsewhere(
    client, people
):
    from tests.communities.factories import CommunityFactory

    elsewhere = CommunityFactory(name="Elsewhere")
    client.force_login(people["steward"])
    for community in ("", elsewhere.pk):
        response = client.post(
            reverse("integrations:webhook_create"),
            {
                "name": "Mine",
                "url": "https://hooks.example.com/x",
                "community": community,
                "events": [Event.ITEM_CREATED],
            },
        )
        assert response.status_code == 200
        assert 'value="Mine"' in response.content.decode()  # kept
    assert not Webhook.objects.exists()


def test_staff_create_an_organisation_wide_hook(client, people):
    client.force_login(people["staff"])
    client.post(
        reverse("integrations:webhook_create"),
        {
            "name": "Intranet",
            "url": "https://intranet.example.com/hook",
            "community": "",
            "events": [Event.PAIR_CREATED],
        },
    )
    hook = Webhook.objects.get()
    assert hook.is_organisation_wide and hook.events == ["mentoring.pair_created"]


def test_bad_input_is_explained_and_kept(client, people, settings):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    client.force_login(people["staff"])
    response = client.post(
        reverse("integrations:webhook_create"),
        {"name": "Plain", "url": "http://hooks.example.com/x", "events": []},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html  # no event chosen
    assert 'value="http://hooks.example.com/x"' in html
    assert not Webhook.objects.exists()
    response = client.post(
        reverse("integrations:webhook_create"),
        {
            "name": "Plain",
            "url": "http://hooks.example.com/x",
            "events": ["item.created"],
        },
    )
    assert "Webhooks are sent over https only." in response.content.decode()
    assert not Webhook.objects.exists()
    response = client.post(
        reverse("integrations:webhook_create"),
        {"name": "\x00", "url": "not a url", "events": ["nope"]},
    )
    assert response.status_code in (200, 400)


def test_editing_switches_a_hook_off_and_changes_its_events(client, people, hooks):
    hook = hooks["private"]
    client.force_login(people["steward"])
    client.post(
        hook.get_absolute_url(),
        {"name": "Quiet", "url": hook.url, "events": [Event.ADOPTION_RECORDED]},
    )
    hook.refresh_from_db()
    assert (hook.name, hook.is_active, hook.events) == (
        "Quiet",
        False,
        ["adoption.recorded"],
    )


def test_delete_asks_first(client, people, hooks):
    hook = hooks["private"]
    client.force_login(people["steward"])
    url = reverse("integrations:webhook_delete", kwargs={"pk": hook.pk})
    page = client.get(url)
    assert page.status_code == 200 and "Delete the webhook" in page.content.decode()
    client.post(url)  # without the confirmation: nothing happens
    assert Webhook.objects.filter(pk=hook.pk).exists()
    response = client.post(url, {"confirmed": "yes"})
    assert response["Location"] == reverse("integrations:webhooks")
    assert not Webhook.objects.filter(pk=hook.pk).exists()


def test_the_log_shows_status_attempts_answer_and_error(client, people, hooks):
    hook = hooks["private"]
    _delivery(
        hook,
        status="failed",
        attempts=6,
        response_code=502,
        last_error="HTTP 502 Bad Gateway",
    )
    _delivery(hook, status="succeeded", attempts=1, response_code=200)
    client.force_login(people["steward"])
    html = client.get(hook.get_absolute_url()).content.decode()
    assert "Failed" in html and "Delivered" in html
    assert "HTTP 502" in html and "HTTP 502 Bad Gateway" in html
    assert html.count("Redeliver<") == 2
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_steward_lists_only_their_communities_hooks(client, people, hooks):
    client.force_login(people["steward"])
    html = client.get(reverse("integrations:webhooks")).content.decode()
    assert "/private" in html and "/open" in html and "/org" not in html
    client.force_login(people["staff"])
    html = client.get(reverse("integrations:webhooks")).content.decode()
    assert "/private" in html and "/org" in html


def test_redeliver_sends_again_through_the_outbox(client, people, hooks):
    hook = hooks["org"]
    delivery = _delivery(hook, status="succeeded", attempts=1, response_code=200)
    client.force_login(people["staff"])
    client.post(
        reverse(
            "integrations:redeliver",
            kwargs={"pk": hook.pk, "delivery_pk": delivery.pk},
        )
    )
    job = OutboxJob.objects.get(task_name="integrations.delivery_send")
    assert job.kwargs == {"delivery_id": delivery.pk}


LIST_QUERIES = 5
LOG_QUERIES = 7


@pytest.mark.parametrize("size", [2, 25])
def test_the_list_queries_do_not_grow(
    client, people, open_community, make_hook, size, django_assert_num_queries
):
    for n in range(size):
        hook = make_hook(url=f"http://127.0.0.1:9/{n}", community=open_community)
        _delivery(hook, status="failed")
    client.force_login(people["staff"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("integrations:webhooks"))
    assert response.content.decode().count("1 failed delivery") == min(size, 20)


@pytest.mark.parametrize("size", [2, 25])
def test_the_delivery_log_queries_do_not_grow(
    client, people, hooks, size, django_assert_num_queries
):
    hook = hooks["private"]
    for _n in range(size):
        _delivery(hook, status="pending", attempts=1, response_code=500)
    client.force_login(people["steward"])
    with django_assert_num_queries(LOG_QUERIES):
        response = client.get(hook.get_absolute_url())
    assert response.content.decode().count("Redeliver<") == min(size, 20)


def test_the_demo_seeds_two_switched_off_example_hooks(db):
    import io

    from demo import integrations as demo_hooks
    from tests.communities.factories import CommunityFactory

    UserFactory(email="admin@practica.local", is_staff=True)
    maria = UserFactory(email="maria.lopez@practica.local")
    CommunityFactory(slug="shift-handover-practice", created_by=maria)
    out = io.StringIO()
    demo_hooks.seed(out)
    demo_hooks.seed(out)  # idempotent
    hooks = list(Webhook.objects.order_by("name"))
    assert [(h.community is None, h.is_active) for h in hooks] == [
        (True, False),
        (False, False),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_make_a_new_secret(client, people, hooks, persona):
    hook = hooks["private"]
    before = hook.secret
    url = reverse("integrations:secret_roll", kwargs={"pk": hook.pk})
    client = _as(client, people, persona)
    _expect(client.get(url), PRIVATE_HOOK[persona])  # the confirmation
    response = client.post(url, {"confirmed": "yes"})
    _expect(response, PRIVATE_HOOK[persona])
    hook.refresh_from_db()
    if PRIVATE_HOOK[persona] == 200:
        assert hook.secret != before and hook.secret.startswith("whsec_")
        shown = client.get(hook.get_absolute_url()).content.decode()
        assert hook.secret in shown
        assert hook.secret not in client.get(hook.get_absolute_url()).content.decode()
    else:
        assert hook.secret == before


def test_a_new_secret_needs_the_confirmation(client, people, hooks):
    hook = hooks["private"]
    before = hook.secret
    client.force_login(people["steward"])
    url = reverse("integrations:secret_roll", kwargs={"pk": hook.pk})
    assert "stops working" in client.get(url).content.decode()
    client.post(url)
    hook.refresh_from_db()
    assert hook.secret == before
