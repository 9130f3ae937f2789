"""The mentor-offer section on /members/<username>/: available or not, topics,
formats, room left and a link to ask them, at a flat query cost."""

import pytest
from django.urls import reverse

from mentoring.models import Pair
from tests.members.factories import UserFactory
from tests.mentoring.factories import MentorOfferFactory, PairFactory

pytestmark = pytest.mark.django_db

# session, user, unread badge, member, expertise, interests (profile page);
# knowledge contributions: items, accepted answers; offer, its topics, load;
# the viewer's follow of them (knowledge's follow form)
PROFILE_QUERIES = 12


def profile_url(user):
    return reverse("members:profile", kwargs={"username": user.username})


def ask_url(user):
    return f"{reverse('mentoring:request_new')}?mentor={user.username}"


def section(response):
    html = response.content.decode()
    assert 'id="mentor-offer-heading"' in html
    return html.split('id="mentor-offer-heading"')[1].split("</section>")[0]


def test_offer_shows_topics_formats_room_and_ask_link(member_client):
    offer = MentorOfferFactory(
        capacity=3,
        offers_peer_coaching=True,
        topics=["shift-handover", "lean"],
        user__display_name="Mo Mentor",
    )
    PairFactory(mentor=offer.user, active=True)
    PairFactory(mentor=offer.user, status=Pair.Status.COMPLETED)
    html = section(member_client.get(profile_url(offer.user)))
    assert "Open to new mentees" in html and "room for 2 more" in html
    assert "shift-handover" in html and "lean" in html
    assert "Mentoring, Peer coaching" in html
    assert ask_url(offer.user) in html and "Ask Mo Mentor to mentor you" in html


def test_the_ask_link_leads_to_a_request_for_that_mentor(member_client):
    offer = MentorOfferFactory(user__display_name="Mo Mentor")
    response = member_client.get(ask_url(offer.user))
    assert response.status_code == 200
    assert "Mo Mentor" in response.content.decode()


def test_full_mentor_has_no_ask_link_but_points_elsewhere(member_client):
    offer = MentorOfferFactory(capacity=1)
    PairFactory(mentor=offer.user)  # proposed counts against capacity
    html = section(member_client.get(profile_url(offer.user)))
    assert "room for 0" not in html and ask_url(offer.user) not in html
    assert "Full for now" in html and reverse("mentoring:mentors") in html


def test_unavailable_mentor_says_so_without_ask_link(member_client):
    offer = MentorOfferFactory(available=False)
    html = section(member_client.get(profile_url(offer.user)))
    assert "Not taking new mentees" in html and ask_url(offer.user) not in html


def test_no_offer_no_section_for_others_and_a_nudge_for_me(member_client, member):
    someone = UserFactory()
    html = member_client.get(profile_url(someone)).content.decode()
    assert 'id="mentor-offer-heading"' not in html
    mine = section(member_client.get(profile_url(member)))
    assert "Offer to mentor" in mine


def test_my_own_offer_has_settings_link_not_ask_link(member_client, member):
    MentorOfferFactory(user=member)
    html = section(member_client.get(profile_url(member)))
    assert ask_url(member) not in html
    assert reverse("mentoring:home") in html


def test_offer_topics_render_inert(member_client):
    offer = MentorOfferFactory(topics=["<img src=x onerror=alert(1)>"])
    html = section(member_client.get(profile_url(offer.user)))
    assert "<img src=x" not in html


@pytest.mark.parametrize("size", [1, 8])
def test_profile_queries_do_not_grow(member_client, size, django_assert_num_queries):
    offer = MentorOfferFactory(capacity=10, topics=[f"topic {n}" for n in range(size)])
    for _ in range(size):
        PairFactory(mentor=offer.user, active=True)
    with django_assert_num_queries(PROFILE_QUERIES):
        response = member_client.get(profile_url(offer.user))
    assert f"room for {10 - size} more" in section(response)
