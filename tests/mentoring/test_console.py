"""The broker console is cached (mentoring.console): what it shows equals a
fresh computation after every change to what it is computed from, and a
viewer never gets suggestions computed for someone who sees more."""

import inspect
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from communities.models import Community, Membership, Visibility
from communities.services.membership import community_join
from knowledge.models import ItemKind
from members import services as member_services
from members.models import LeadershipRole
from mentoring import services
from mentoring.models import MentoringRequest
from mentoring.selectors import open_requests
from mentoring.strengths import strengths_refresh
from mentoring.suggestions import suggestions_for_requests
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import HelpfulMarkFactory, ItemFactory, ReplyFactory
from tests.members.factories import UserFactory

from .factories import MentoringRequestFactory, MentorOfferFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_cache")]

CONSOLE = "mentoring:broker"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client) -> str:
    """The console's requests as served (the CSRF token, masked anew on every
    view, left out)."""
    response = client.get(reverse(CONSOLE))
    assert response.status_code == 200
    body = response.content.decode()
    return _CSRF.sub("csrf", body[body.index("<main") : body.index("</main>")])


def _fresh(client) -> str:
    """The console computed from scratch."""
    cache.clear()  # this test's own (own_cache)
    return _page(client)


class Org:
    """Two open requests on "lean", mentors for them, a broker."""

    def __init__(self):
        self.home = CommunityFactory(name="Plant North")
        self.mentee = UserFactory(display_name="Mona Mentee")
        MembershipFactory(user=self.mentee, community=self.home)
        self.req = MentoringRequestFactory(mentee=self.mentee, topics=["lean"])
        self.other_req = MentoringRequestFactory(topics=["lean", "safety"])
        self.mentor = UserFactory(display_name="Max Mentor")
        MentorOfferFactory(user=self.mentor, topics=["lean"], capacity=3)
        self.second = UserFactory(display_name="Sam Second")
        MentorOfferFactory(user=self.second, topics=["lean"], capacity=2)
        self.broker = UserFactory(leadership_role=LeadershipRole.LINE_LEADER)
        self.staff = UserFactory(is_staff=True)


@pytest.fixture
def org(db):
    return Org()


def _new_offer(org):
    mentor = UserFactory(display_name="Nora Newcomer")
    services.offer_save(
        acting_user=mentor, available=True, capacity=2, topics=["lean"],
        formats=["mentoring"],
    )  # fmt: skip


def _offer_withdrawn(org):
    services.offer_save(
        acting_user=org.second, available=False, capacity=2, topics=["lean"],
        formats=["mentoring"],
    )  # fmt: skip


def _new_request(org):
    services.request_create(
        acting_user=UserFactory(display_name="Rita Requester"),
        topics=["lean"], goals="Learn to see waste.", format="mentoring",
    )  # fmt: skip


def _match_elsewhere(org):
    """A mentee asks Max directly: a match on a request not on the console,
    which takes one of Max's places."""
    services.request_create(
        acting_user=UserFactory(), topics=["lean"], goals="Help",
        format="mentoring", requested_mentor=org.mentor,
    )  # fmt: skip


def _match_ends(org):
    """Sam was asked directly (one of his two places taken); he declines."""
    pair = services.request_create(
        acting_user=UserFactory(), topics=["lean"], goals="Help",
        format="mentoring", requested_mentor=org.second,
    ).pairs.get()  # fmt: skip
    yield
    services.pair_decline(pair=pair, acting_user=org.second)


def _deactivated(org):
    member_services.deactivate_member(member=org.mentor)


def _role_set(org):
    member_services.leadership_role_set(
        actor=org.staff, member=org.mentor, role=LeadershipRole.NETWORKER
    )


def _renamed(org):
    member_services.profile_update(member=org.second, display_name="Samira Second")


def _joins_elsewhere(org):
    harbour = CommunityFactory(name="Harbour")
    yield
    community_join(acting_user=org.mentor, community=harbour)


def _community_renamed(org):
    MembershipFactory(user=org.mentor, community=CommunityFactory(name="Harbour"))
    yield
    # Even a write that goes round every service shows: the key reads the
    # communities' names.
    Community.objects.filter(name="Harbour").update(name="Dockside")


def _knowledge_shown(org):
    item = ItemFactory(author=org.second, tags=["lean"])
    HelpfulMarkFactory.create_batch(4, item=item)
    yield
    strengths_refresh()  # as beat runs it


CHANGES = {
    "a new offer": _new_offer,
    "an offer withdrawn": _offer_withdrawn,
    "a new request": _new_request,
    "a match elsewhere": _match_elsewhere,
    "a proposal declined": _match_ends,
    "a member's deactivation": _deactivated,
    "a leadership role": _role_set,
    "a new display name": _renamed,
    "joining a community": _joins_elsewhere,
    "a community renamed": _community_renamed,
    "knowledge shown (strengths refresh)": _knowledge_shown,
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_shows_at_once_as_computed_fresh(client, org, change):
    """The console is viewed (and cached), something it is computed from
    changes through its service, and the next view equals a computation
    from scratch, which differs from the first view."""
    client.force_login(org.broker)
    make = CHANGES[change]
    # A generator prepares what the change needs, then changes it.
    steps = make(org) if inspect.isgeneratorfunction(make) else None
    if steps is not None:
        next(steps)
    before = _page(client)
    assert _page(client) == before  # now served from the cache
    if steps is None:
        make(org)
    else:
        with pytest.raises(StopIteration):
            next(steps)
    after = _page(client)
    assert after != before, "the change should show on the console"
    assert after == _fresh(client)


def _shown(page: str) -> list[tuple]:
    """(request id, mentor's username, score) per suggestion, in page order."""
    found = []
    for article in page.split('<article class="m-request"')[1:]:
        pk = int(re.search(r'id="req-(\d+)"', article).group(1))
        for username, score in re.findall(
            r'name="mentor" value="([^"]+)".*?m-score-inline">(\d+)/100',
            article,
            flags=re.S,
        ):
            found.append((pk, username, int(score)))
    return found


@pytest.mark.parametrize("who", ["broker", "staff"])
def test_suggestions_shown_equal_a_fresh_computation(client, org, who):
    viewer = getattr(org, who)
    MembershipFactory(user=org.mentor, community=CommunityFactory())
    client.force_login(viewer)
    _page(client)
    cached = _shown(_page(client))
    fresh = suggestions_for_requests(list(open_requests()), viewer=viewer, limit=5)
    expected = [
        (req.pk, s.mentor.username, s.score)
        for req in open_requests()
        for s in fresh[req.pk]
    ]
    assert cached == expected
    assert {username for _pk, username, _score in cached} == {
        org.mentor.username,
        org.second.username,
    }


def _secret_expertise(org):
    """Sam answered a "lean" question inside a private community."""
    secret = CommunityFactory(name="Acquisition Room", private=True)
    MembershipFactory(user=org.second, community=secret)
    asker = UserFactory()
    MembershipFactory(user=asker, community=secret)
    question = ItemFactory(
        community=secret, kind=ItemKind.QUESTION, author=asker, tags=["lean"]
    )
    question.accepted_reply = ReplyFactory(item=question, author=org.second)
    question.save()
    HelpfulMarkFactory.create_batch(3, item=question)
    strengths_refresh()
    return secret


def _tells_secret(page: str) -> bool:
    return "Acquisition Room" in page or "accepted answer" in page


def test_private_expertise_never_reaches_a_broker_who_may_not_see_it(client, org):
    """An insider's cached console is never served to an outsider; joining
    the private community shows its expertise at once, leaving hides it."""
    secret = _secret_expertise(org)
    insider = UserFactory(leadership_role=LeadershipRole.EXECUTIVE)
    MembershipFactory(user=insider, community=secret)
    for who in (insider, org.staff):
        client.force_login(who)
        assert _tells_secret(_page(client))

    client.force_login(org.broker)
    assert not _tells_secret(_page(client))
    membership = MembershipFactory(user=org.broker, community=secret)
    assert _tells_secret(_page(client))
    membership.status = Membership.Status.LEFT
    membership.save(update_fields=["status"])
    assert not _tells_secret(_page(client))
    client.force_login(insider)
    assert _tells_secret(_page(client))


def test_a_community_turning_private_hides_its_expertise_at_once(client, org):
    secret = _secret_expertise(org)
    Community.objects.filter(pk=secret.pk).update(visibility=Visibility.OPEN)
    client.force_login(org.broker)
    assert "Acquisition Room" in _page(client)
    Community.objects.filter(pk=secret.pk).update(visibility=Visibility.PRIVATE)
    assert not _tells_secret(_page(client))


BROKER_PAGE = {
    "anonymous": "login",
    "member": 403,
    "mentee": 403,
    "networker": 403,
    "broker": 200,
    "executive": 200,
    "staff": 200,
}


@pytest.mark.parametrize("who", BROKER_PAGE)
def test_a_cached_console_keeps_its_permission_table(client, org, who):
    """Managers and staff only, whatever is cached: a broker's view first
    fills the cache."""
    client.force_login(org.broker)
    _page(client)
    client.logout()
    users = {
        "member": UserFactory(),
        "mentee": org.mentee,
        "networker": UserFactory(leadership_role=LeadershipRole.NETWORKER),
        "broker": org.broker,
        "executive": UserFactory(leadership_role=LeadershipRole.EXECUTIVE),
        "staff": org.staff,
    }
    if who != "anonymous":
        client.force_login(users[who])
    response = client.get(reverse(CONSOLE))
    if BROKER_PAGE[who] == "login":
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )
    else:
        assert response.status_code == BROKER_PAGE[who]
        if response.status_code == 200:
            assert "Max Mentor" in response.content.decode()


def test_withdrawn_request_leaves_the_console_at_once(client, org):
    client.force_login(org.broker)
    assert "Mona Mentee" in _page(client)
    services.request_withdraw(req=org.req, acting_user=org.mentee)
    assert MentoringRequest.objects.get(pk=org.req.pk).status == "withdrawn"
    page = _page(client)
    assert "Mona Mentee" not in page and page == _fresh(client)
