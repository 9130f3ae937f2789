"""Leave, remove and archive ask first (a page naming what is about to
happen, no JavaScript needed), act only once confirmed, and offer an undo."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from communities.models import Community, Membership
from communities.services.undo import UNDO_SALT

CONFIRMED = {"confirmed": "yes"}
ACTORS = ["anonymous", "outsider", "pending", "member", "steward", "staff"]


def _user(world, actor):
    return None if actor == "anonymous" else getattr(world, actor)


def _state():
    return (
        sorted(Membership.objects.values_list("pk", "status", "role")),
        sorted(Community.objects.values_list("pk", "archived_at")),
    )


def _url(name, community, **kwargs):
    return reverse(f"communities:{name}", kwargs={"slug": community.slug, **kwargs})


def _undo_form(html):
    """The token of the Undo button the page shows next to its message."""
    import re

    found = re.search(r'<form method="post" action="([^"]+)" class="undo-form">', html)
    token = re.search(r'name="token" value="([^"]+)"', html)
    return (found and found[1]), (token and token[1])


# --- Asking first -------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_leaving_asks_first_and_names_the_community(world, login, method):
    before = _state()
    client = login(world.member)
    response = getattr(client, method)(_url("leave", world.open))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Leave Shift Handover Practice?" in html
    assert 'name="confirmed" value="yes"' in html
    assert _state() == before, "asking changed something"


def test_the_confirmation_carries_the_fields_it_was_sent(world, login):
    response = login(world.member).post(
        _url("leave", world.open), {"next": "/communities/"}
    )
    assert '<input type="hidden" name="next" value="/communities/">' in (
        response.content.decode()
    )


def test_confirmed_leave_acts_and_undo_restores_it(world, login):
    client = login(world.steward)
    # A second steward, so the first may leave.
    Membership.objects.filter(user=world.member, community=world.open).update(
        role="steward"
    )
    response = client.post(_url("leave", world.open), CONFIRMED, follow=True)
    membership = Membership.objects.get(user=world.steward, community=world.open)
    assert membership.status == "left"
    html = response.content.decode()
    assert "You left Shift Handover Practice." in html
    action, token = _undo_form(html)
    assert action == reverse("communities:undo") and token
    # The offer is shown once.
    assert _undo_form(client.get("/").content.decode()) == (None, None)
    response = client.post(action, {"token": token})
    assert response["Location"] == world.open.get_absolute_url()
    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("active", "steward")
    # Twice changes nothing.
    client.post(action, {"token": token})
    membership.refresh_from_db()
    assert membership.status == "active"


def test_withdrawing_a_request_asks_and_can_be_undone(world, login):
    client = login(world.pending)
    html = client.get(_url("leave", world.private)).content.decode()
    assert "Withdraw your request to join People Leaders&#x27; Circle?" in html
    html = client.post(_url("leave", world.private), CONFIRMED, follow=True)
    _action, token = _undo_form(html.content.decode())
    client.post(reverse("communities:undo"), {"token": token})
    assert Membership.objects.get(
        user=world.pending, community=world.private
    ).is_pending


def test_only_the_person_who_acted_may_undo(world, login):
    client = login(world.member)
    html = client.post(_url("leave", world.open), CONFIRMED, follow=True)
    _action, token = _undo_form(html.content.decode())
    client.force_login(world.outsider)
    assert client.post(reverse("communities:undo"), {"token": token}).status_code == 403
    assert (
        client.post(reverse("communities:undo"), {"token": "junk"}).status_code == 403
    )
    assert Membership.objects.get(user=world.member, community=world.open).status == (
        "left"
    )


def test_an_undo_is_short_lived(world, login, monkeypatch):
    client = login(world.member)
    html = client.post(_url("leave", world.open), CONFIRMED, follow=True)
    _action, token = _undo_form(html.content.decode())
    real_loads = signing.loads
    monkeypatch.setattr(
        signing,
        "loads",
        lambda value, **kw: (
            real_loads(value, **kw | {"max_age": timedelta(0)})
            if kw.get("salt") == UNDO_SALT
            else real_loads(value, **kw)
        ),
    )
    response = client.post(reverse("communities:undo"), {"token": token}, follow=True)
    assert "too late to undo" in response.content.decode()
    assert Membership.objects.get(user=world.member, community=world.open).status == (
        "left"
    )


def test_an_undo_after_a_later_change_is_refused(world, login):
    client = login(world.member)
    html = client.post(_url("leave", world.open), CONFIRMED, follow=True)
    _action, token = _undo_form(html.content.decode())
    client.post(_url("join", world.open))
    client.post(_url("leave", world.open), CONFIRMED)
    Membership.objects.filter(user=world.member, community=world.open).update(
        status="removed"
    )
    response = client.post(reverse("communities:undo"), {"token": token}, follow=True)
    assert "cannot be undone" in response.content.decode()


def test_removing_a_member_asks_then_undo_puts_them_back(world, login):
    target = Membership.objects.get(user=world.member, community=world.open)
    client = login(world.steward)
    url = _url("remove", world.open, pk=target.pk)
    html = client.get(url).content.decode()
    assert "Remove Max Member from Shift Handover Practice?" in html
    target.refresh_from_db()
    assert target.is_active
    html = client.post(url, CONFIRMED, follow=True).content.decode()
    target.refresh_from_db()
    assert target.status == "removed"
    action, token = _undo_form(html)
    response = client.post(action, {"token": token})
    assert response["Location"] == _url("settings", world.open)
    target.refresh_from_db()
    assert target.is_active


def test_archiving_asks_then_undo_reopens(world, login):
    client = login(world.steward)
    html = client.get(_url("archive", world.open)).content.decode()
    assert "Archive Shift Handover Practice?" in html
    world.open.refresh_from_db()
    assert not world.open.is_archived
    html = client.post(_url("archive", world.open), CONFIRMED, follow=True)
    world.open.refresh_from_db()
    assert world.open.is_archived
    action, _token = _undo_form(html.content.decode())
    assert action == _url("reopen", world.open)
    client.post(action)
    world.open.refresh_from_db()
    assert not world.open.is_archived


def test_the_buttons_name_their_community(world, login):
    html = login(world.member).get(world.open.get_absolute_url()).content.decode()
    assert 'Leave<span class="visually-hidden"> Shift Handover Practice</span>' in html


# --- Who may see a confirmation page (the same rules as the action) ----------


def _rules(**by_actor):
    assert set(by_actor) == set(ACTORS)
    return by_actor


LEAVE = {
    "open": _rules(anonymous="login", outsider=404, pending=404, member=200,
                 steward=200, staff=404),
    "private": _rules(anonymous="login", outsider=404, pending=200, member=200,
                    steward=200, staff=404),
}  # fmt: skip
MANAGE = {
    "open": _rules(anonymous="login", outsider=403, pending=403, member=403,
                 steward=200, staff=200),
    "private": _rules(anonymous="login", outsider=404, pending=404, member=403,
                    steward=200, staff=200),
}  # fmt: skip
PAGES = {"leave": LEAVE, "remove": MANAGE, "archive": MANAGE}


@pytest.mark.parametrize("kind", ["open", "private"])
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_confirmation_pages(world, login, name, actor, kind):
    community = world.open if kind == "open" else world.private
    kwargs = {}
    if name == "remove":
        kwargs["pk"] = Membership.objects.get(user=world.member, community=community).pk
    before = _state()
    response = login(_user(world, actor)).get(_url(name, community, **kwargs))
    expected = PAGES[name][kind][actor]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected
    assert _state() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_undo_needs_a_signed_in_member_and_a_token(world, login, actor):
    response = login(_user(world, actor)).post(reverse("communities:undo"))
    if actor == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
