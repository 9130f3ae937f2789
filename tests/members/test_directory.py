"""/members/: the people directory."""

import pytest
from django.urls import reverse

from members import selectors as members_selectors
from members.models import LeadershipRole
from members.services import (
    deactivate_member,
    language_set,
    leadership_role_set,
    profile_tags_set,
    profile_update,
)
from tests.members.factories import UserFactory

URL = reverse("members:directory")


def _names(response) -> list[str]:
    return [person.display_name for person in response.context["page_obj"]]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member_client", "staff_client"])
def test_members_and_staff_see_the_directory(request, who):
    client = request.getfixturevalue(who)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"People" in response.content


@pytest.mark.django_db
def test_lists_active_members_by_name_and_hides_deactivated_ones(member_client):
    UserFactory(display_name="zoë Zimmer")
    UserFactory(display_name="Bea Brown")
    UserFactory(display_name="Gone Person", is_active=False)
    assert _names(member_client.get(URL)) == ["Bea Brown", "Mia Member", "zoë Zimmer"]


@pytest.mark.django_db
def test_search_by_name_is_case_insensitive(member_client):
    UserFactory(display_name="Lena Fischer")
    UserFactory(display_name="Tom Becker")
    response = member_client.get(URL, {"q": "fisch"})
    assert _names(response) == ["Lena Fischer"]
    assert 'value="fisch"' in response.content.decode()


@pytest.mark.django_db
def test_a_name_search_lists_matches_in_name_order_across_pages(
    member_client, settings
):
    """From three letters the matches come from the trigram index and are
    sorted there: the order is still the case-insensitive name order."""
    settings.PAGE_SIZE = 2
    for name in ["marta Zed", "Anna Marta", "Tom Becker", "MARTA Ames", "Bo Umarta"]:
        UserFactory(display_name=name)
    first = member_client.get(URL, {"q": "marta"})
    second = member_client.get(URL, {"q": "marta", "page": 2})
    assert _names(first) + _names(second) == [
        "Anna Marta",
        "Bo Umarta",
        "MARTA Ames",
        "marta Zed",
    ]
    assert first.context["page_obj"].paginator.count == 4
    # Fewer letters (no trigram): the names walked in order, as before.
    assert _names(member_client.get(URL, {"q": "ma"}))[:2] == [
        "Anna Marta",
        "Bo Umarta",
    ]


@pytest.mark.django_db
def test_the_filters_keep_the_chosen_options_selected(member_client):
    UserFactory(
        display_name="Nia Networker",
        leadership_role=LeadershipRole.NETWORKER,
        expertise=["lean"],
    )
    html = member_client.get(URL, {"tag": "lean", "role": "networker"}).content.decode()
    assert '<option value="lean" selected>lean</option>' in html
    assert '<option value="networker" selected>' in html
    assert '<option value="">Any expertise</option>' in html


@pytest.mark.django_db
def test_filter_by_leadership_role(member_client):
    UserFactory(display_name="Line Leader", leadership_role=LeadershipRole.LINE_LEADER)
    UserFactory(display_name="Exec", leadership_role=LeadershipRole.EXECUTIVE)
    UserFactory(display_name="Networker", leadership_role=LeadershipRole.NETWORKER)
    assert _names(member_client.get(URL, {"role": "executive"})) == ["Exec"]
    assert _names(member_client.get(URL, {"role": "networker"})) == ["Networker"]
    assert _names(member_client.get(URL, {"role": "none"})) == ["Mia Member"]


@pytest.mark.django_db
def test_filter_by_expertise_tag(member_client):
    UserFactory(display_name="Lean One", expertise=["lean", "safety"])
    UserFactory(display_name="Lean Two", expertise=["lean"])
    UserFactory(display_name="Learner", interests=["lean"])
    response = member_client.get(URL, {"tag": "lean"})
    assert _names(response) == ["Lean One", "Lean Two"]
    # The tag filter offers the expertise tags in use.
    body = response.content.decode()
    assert '<option value="lean" selected>lean</option>' in body
    assert '<option value="safety">safety</option>' in body


@pytest.mark.django_db
def test_the_expertise_options_follow_a_change_at_once(member_client, member):
    """The options are cached with their HTML (expertise_filter_options)
    until a member's expertise changes or a member leaves; a tag outside
    the sixty most common is offered when it is the one chosen, and only
    then."""
    lean = UserFactory(display_name="Lean One", expertise=["lean"])
    body = member_client.get(URL).content.decode()
    assert '<option value="lean">lean</option>' in body
    assert '<option value="kaizen"' not in body
    profile_tags_set(member=member, expertise=["kaizen"], interests=[])
    body = member_client.get(URL).content.decode()
    assert '<option value="kaizen">kaizen</option>' in body
    deactivate_member(member=lean)
    assert '"lean"' not in member_client.get(URL).content.decode()
    # Sixty tags used twice each push kaizen (once) out of the options ...
    for n in range(60):
        profile_tags_set(
            member=UserFactory(),
            expertise=[f"skill-{n:02}", f"skill-{(n + 1) % 60:02}"],
            interests=[],
        )
    body = member_client.get(URL).content.decode()
    assert '<option value="kaizen"' not in body
    assert '<option value="skill-07">' in body
    # ... but it is kept when chosen.
    body = member_client.get(URL, {"tag": "kaizen"}).content.decode()
    assert '<option value="kaizen" selected>kaizen</option>' in body
    assert _names(member_client.get(URL, {"tag": "kaizen"})) == ["Mia Member"]
    assert '<option value="kaizen"' not in member_client.get(URL).content.decode()


@pytest.mark.django_db
def test_filter_by_learning_interest(member_client):
    UserFactory(display_name="Lean Expert", expertise=["lean"])
    UserFactory(display_name="Learner", interests=["lean"])
    response = member_client.get(URL, {"interest": "lean"})
    assert _names(response) == ["Learner"]
    assert "want to learn <strong>lean</strong>" in response.content.decode()


@pytest.mark.django_db
def test_filters_combine(member_client):
    UserFactory(
        display_name="Maria Lean",
        leadership_role=LeadershipRole.LINE_LEADER,
        expertise=["lean"],
    )
    UserFactory(display_name="Maria Other", leadership_role=LeadershipRole.LINE_LEADER)
    UserFactory(display_name="Marta Lean", expertise=["lean"])
    response = member_client.get(
        URL, {"q": "maria", "role": "line_leader", "tag": "lean"}
    )
    assert _names(response) == ["Maria Lean"]


@pytest.mark.django_db
def test_nobody_matches_shows_an_empty_state_with_a_way_back(member_client):
    response = member_client.get(URL, {"q": "nobody-has-this-name"})
    assert response.status_code == 200
    assert _names(response) == []
    assert b"Nobody matches these filters." in response.content
    assert b"Show everyone" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"role": "emperor"},
        {"tag": "not a slug!"},
        {"page": "lots"},
        {"page": "9999"},
        {"q": "x" * 500},
    ],
)
def test_bad_input_is_a_form_error_not_a_500(member_client, params):
    response = member_client.get(URL, params)
    assert response.status_code == 200
    if "role" in params or "tag" in params or "q" in params:
        assert response.context["form"].errors
        assert b'aria-invalid="true"' in response.content


@pytest.mark.django_db
def test_an_invalid_filter_is_ignored_not_applied(member_client):
    UserFactory(display_name="Exec", leadership_role=LeadershipRole.EXECUTIVE)
    response = member_client.get(URL, {"role": "emperor"})
    assert _names(response) == ["Exec", "Mia Member"]


@pytest.mark.django_db
def test_paginates_and_keeps_the_filters_in_page_links(member_client, settings):
    settings.PAGE_SIZE = 3
    for n in range(7):
        UserFactory(display_name=f"Lean {n}", expertise=["lean"])
    first = member_client.get(URL, {"tag": "lean"})
    assert _names(first) == ["Lean 0", "Lean 1", "Lean 2"]
    assert "?tag=lean&amp;page=2" in first.content.decode()
    third = member_client.get(URL, {"tag": "lean", "page": 3})
    assert _names(third) == ["Lean 6"]
    assert "Page 3 of 3" in third.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 50])
def test_query_count_does_not_grow_with_the_number_of_members(
    member_client, django_assert_num_queries, size
):
    for n in range(size):
        UserFactory(
            display_name=f"Person {n:03}",
            leadership_role=LeadershipRole.NETWORKER if n % 2 else LeadershipRole.NONE,
            expertise=[f"skill-{n % 7}", "lean"],
        )
    # session, user, unread badge, tag options, count, page, page's tags
    with django_assert_num_queries(7):
        response = member_client.get(URL)
    assert response.status_code == 200
    # The tag options come from the cache now.
    with django_assert_num_queries(6):
        response = member_client.get(URL, {"tag": "lean", "role": "networker"})
    assert response.status_code == 200
    assert len(response.context["page_obj"]) > 0
    # A name search (sorted from the trigram index's matches): its count
    # comes with the page, a window over the same rows: five.
    with django_assert_num_queries(5):
        response = member_client.get(URL, {"q": "person"})
    assert len(response.context["page_obj"]) == min(size, 20)
    assert response.context["page_obj"].paginator.count == size


# --- Cards read from the cache by what they show ------------------------------


def _card(response, name: str) -> str:
    html = response.content.decode()
    return html.split(f">{name}</a></h2>")[1].split("</article>")[0]


@pytest.mark.django_db
def test_a_card_is_the_card_template_and_a_hit_is_the_same(member_client):
    from django.template.loader import render_to_string

    from members.directory_cards import member_cards

    person = UserFactory(
        display_name="Ana Lead",
        leadership_role=LeadershipRole.LINE_LEADER,
        job_title="Shift lead",
        location="Porto",
        expertise=["lean", "kaizen"],
    )
    first = member_client.get(URL, {"q": "ana"})
    again = member_client.get(URL, {"q": "ana"})
    assert [str(card) for card in first.context["cards"]] == [
        str(card) for card in again.context["cards"]
    ]
    people = list(members_selectors.member_directory(query="ana", for_cards=True))
    query = first.wsgi_request.GET
    cards = [str(card) for card in member_cards(people, query=query)]
    expected = render_to_string(
        "members/_member_card.html", {"person": people[0], "query": query}
    )
    assert cards == [expected]
    assert person.get_absolute_url() in expected and "Shift lead" in expected
    assert "q=ana&amp;tag=kaizen" in expected


@pytest.mark.django_db
def test_every_value_a_card_shows_is_in_its_key(member):
    from django.http import QueryDict

    from members.directory_cards import _shown

    UserFactory(display_name="Ana Lead", expertise=["lean"])
    query = QueryDict("q=ana")

    def person():
        found = members_selectors.member_directory(query="Ana Lead", for_cards=True)[0]
        found.expertise_tags = members_selectors.expertise_of([found.pk])[found.pk]
        return found

    before = _shown(person(), query)
    for name, value in {
        "username": "other",
        "display_name": "Ana Other",
        "avatar_version": "v2",
        "leadership_role": LeadershipRole.EXECUTIVE,
        "job_title": "Chief",
        "business_unit": "Ops",
        "location": "Oslo",
        "email": "someone-else@example.com",
    }.items():
        changed = person()
        setattr(changed, name, value)
        assert _shown(changed, query) != before, name
    assert _shown(person(), QueryDict("q=an")) != before
    profile_tags_set(member=person(), expertise=["lean", "kaizen"], interests=[])
    assert _shown(person(), query) != before


@pytest.mark.django_db
def test_a_profile_edit_a_role_and_a_deactivation_show_at_once(member_client, staff):
    person = UserFactory(display_name="Ana Lead", job_title="Shift lead")
    assert "Shift lead" in _card(member_client.get(URL), "Ana Lead")
    profile_update(member=person, display_name="Ana Lead", job_title="Plant manager")
    card = _card(member_client.get(URL), "Ana Lead")
    assert "Plant manager" in card and "Shift lead" not in card
    leadership_role_set(actor=staff, member=person, role=LeadershipRole.NETWORKER)
    assert "role-networker" in _card(member_client.get(URL), "Ana Lead")
    profile_update(member=person, display_name="Ana Renamed", job_title="x")
    html = member_client.get(URL).content.decode()
    assert ">Ana Renamed</a>" in html and ">Ana Lead</a>" not in html
    deactivate_member(member=person)
    assert "Ana Renamed" not in member_client.get(URL).content.decode()


@pytest.mark.django_db
def test_a_card_in_one_language_is_not_served_in_another(member_client, member):
    UserFactory(display_name="Ana Lead", leadership_role=LeadershipRole.NETWORKER)
    english = _card(member_client.get(URL), "Ana Lead")
    language_set(member=member, language="de")
    german = _card(member_client.get(URL), "Ana Lead")
    assert english != german
    language_set(member=member, language="en")
    assert _card(member_client.get(URL), "Ana Lead") == english
