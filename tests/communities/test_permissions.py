"""Who may see and do what: every community page and action, for every kind
of visitor. Denied actions must change nothing."""

import pytest
from django.urls import reverse

from communities.models import Community, Membership

LOGIN, OK = "login", "ok"
ACTORS = ["anonymous", "outsider", "pending", "member", "steward", "staff"]


def _rules(**by_actor):
    assert set(by_actor) == set(ACTORS)
    return by_actor


# Inside pages: open communities are readable by every signed-in member;
# private ones 404 for anyone who is not an active member or staff.
READ = {
    "open": _rules(
        anonymous=LOGIN, outsider=200, pending=200, member=200, steward=200, staff=200
    ),
    "private": _rules(
        anonymous=LOGIN, outsider=404, pending=404, member=200, steward=200, staff=200
    ),
}
MANAGE_PAGE = {
    "open": _rules(
        anonymous=LOGIN, outsider=403, pending=403, member=403, steward=200, staff=200
    ),
    "private": _rules(
        anonymous=LOGIN, outsider=404, pending=404, member=403, steward=200, staff=200
    ),
}
MANAGE = {
    kind: {a: OK if v == 200 else v for a, v in rules.items()}
    for kind, rules in MANAGE_PAGE.items()
}
JOIN = {
    "open": _rules(
        anonymous=LOGIN, outsider=OK, pending=OK, member=OK, steward=OK, staff=OK
    ),
    "private": _rules(
        anonymous=LOGIN, outsider=404, pending=404, member=OK, steward=OK, staff=OK
    ),
}
ANY_SIGNED_IN = {
    kind: _rules(
        anonymous=LOGIN, outsider=OK, pending=OK, member=OK, steward=OK, staff=OK
    )
    for kind in ("open", "private")
}
LEAVE = {
    "open": _rules(
        anonymous=LOGIN, outsider=404, pending=404, member=OK, steward=OK, staff=404
    ),
    "private": _rules(
        anonymous=LOGIN, outsider=404, pending=OK, member=OK, steward=OK, staff=404
    ),
}

PAGES = {"detail": READ, "members": READ, "settings": MANAGE_PAGE}
# action name -> (rules, target membership: "pending" | "member" | None)
ACTIONS = {
    "join": (JOIN, None),
    "request": (ANY_SIGNED_IN, None),
    "leave": (LEAVE, None),
    "invitation_accept": (ANY_SIGNED_IN, None),
    "invitation_decline": (ANY_SIGNED_IN, None),
    "settings": (MANAGE, None),
    "invite": (MANAGE, None),
    "approve": (MANAGE, "pending"),
    "decline": (MANAGE, "pending"),
    "promote": (MANAGE, "member"),
    "demote": (MANAGE, "member"),
    "remove": (MANAGE, "member"),
    "archive": (MANAGE, None),
    "reopen": (MANAGE, None),
}


def _user(world, actor):
    return None if actor == "anonymous" else getattr(world, actor)


def _community(world, kind):
    return world.open if kind == "open" else world.private


def _snapshot():
    return (
        sorted(
            Membership.objects.values_list("user_id", "community_id", "role", "status")
        ),
        sorted(Community.objects.values_list("pk", "name", "slug", "archived_at")),
    )


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == OK:
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("name", ["list", "create", "invitations"])
@pytest.mark.parametrize("actor", ACTORS)
def test_global_pages_need_a_signed_in_member(world, login, name, actor):
    response = login(_user(world, actor)).get(reverse(f"communities:{name}"))
    _check(response, LOGIN if actor == "anonymous" else 200)


@pytest.mark.parametrize("kind", ["open", "private"])
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_community_pages(world, login, page, actor, kind):
    community = _community(world, kind)
    url = reverse(f"communities:{page}", kwargs={"slug": community.slug})
    _check(login(_user(world, actor)).get(url), PAGES[page][kind][actor])


@pytest.mark.parametrize("kind", ["open", "private"])
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_community_actions(world, login, action, actor, kind):
    rules, target = ACTIONS[action]
    community = _community(world, kind)
    kwargs = {"slug": community.slug}
    if target:
        who = (
            world.pending if target == "pending" and kind == "private" else world.member
        )
        kwargs["pk"] = Membership.objects.get(user=who, community=community).pk
    data = {
        "who": world.outsider.email,
        "name": "Renamed community",
        "slug": community.slug,
        "purpose": "A new purpose",
        "visibility": community.visibility,
        "confirmed": "yes",
    }
    before = _snapshot()
    response = login(_user(world, actor)).post(
        reverse(f"communities:{action}", kwargs=kwargs), data
    )
    expected = rules[kind][actor]
    _check(response, expected)
    if expected != OK:
        assert _snapshot() == before, "a denied action changed something"


@pytest.mark.parametrize("action", ["join", "approve"])
def test_actions_refuse_get(world, login, action):
    kwargs = {"slug": world.open.slug}
    if action == "approve":
        kwargs["pk"] = Membership.objects.get(
            user=world.member, community=world.open
        ).pk
    response = login(world.steward).get(reverse(f"communities:{action}", kwargs=kwargs))
    assert response.status_code == 405


def test_actions_need_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.outsider)
    response = client.post(
        reverse("communities:join", kwargs={"slug": world.open.slug})
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.outsider).exists()


def test_staff_may_manage_a_private_community_they_are_not_in(world, login):
    client = login(world.staff)
    pending = Membership.objects.get(user=world.pending, community=world.private)
    client.post(
        reverse(
            "communities:approve", kwargs={"slug": world.private.slug, "pk": pending.pk}
        )
    )
    pending.refresh_from_db()
    assert pending.is_active


def test_stewards_of_one_community_cannot_manage_another(world, login):
    other = Community.objects.create(name="Other", slug="other", purpose="p")
    Membership.objects.create(
        user=world.member, community=other, status="active", role="steward"
    )
    response = login(world.steward).get(
        reverse("communities:settings", kwargs={"slug": other.slug})
    )
    assert response.status_code == 403


def test_a_membership_of_another_community_is_404(world, login):
    """Stewards cannot reach members of other communities through their own."""
    foreign = Membership.objects.get(user=world.member, community=world.private)
    response = login(world.steward).post(
        reverse(
            "communities:remove", kwargs={"slug": world.open.slug, "pk": foreign.pk}
        )
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active
