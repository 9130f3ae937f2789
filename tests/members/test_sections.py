"""members.sections: the one registry of sections that apps add to the home
page, a community's page and a profile."""

import pytest
from django.test import RequestFactory

from members import sections


@pytest.fixture
def page(monkeypatch):
    """A fresh "home" page list, so the real apps' panels stay out."""
    monkeypatch.setitem(sections._entries, "home", [])
    return "home"


def _request():
    return RequestFactory().get("/")


def _provider(name):
    def provider(request, **context):
        return {"template": f"{name}.html", **context}

    provider.__name__ = name
    return provider


def _names(found):
    return [section["template"].removesuffix(".html") for section in found]


def test_sections_come_in_order_then_in_registration_order(page):
    late, first, tie_a, tie_b = (_provider(n) for n in ("late", "first", "a", "b"))
    sections.register(page, late, order=90)
    sections.register(page, tie_a, order=50)
    sections.register(page, first, order=10)
    sections.register(page, tie_b, order=50)
    assert _names(sections.sections_for(page, _request())) == [
        "first",
        "a",
        "b",
        "late",
    ]


def test_a_provider_returning_none_or_nothing_is_skipped(page):
    sections.register(page, lambda request: None, order=10)
    sections.register(page, lambda request: {}, order=20)
    sections.register(page, _provider("shown"), order=30)
    assert _names(sections.sections_for(page, _request())) == ["shown"]


def test_the_page_context_reaches_each_provider_as_keywords(page):
    def provider(request, *, community, membership):
        return {"template": "x.html", "who": community, "as": membership}

    sections.register(page, provider)
    request = _request()
    [found] = sections.sections_for(page, request, community="c", membership=None)
    assert found == {"template": "x.html", "who": "c", "as": None}


def test_registering_twice_shows_a_section_once(page):
    provider = _provider("once")
    sections.register(page, provider)
    sections.register(page, provider, order=1)
    assert _names(sections.sections_for(page, _request())) == ["once"]
    sections.unregister(page, provider)
    assert sections.sections_for(page, _request()) == []


def test_an_unknown_page_is_refused():
    with pytest.raises(ValueError, match="Unknown page 'hmoe'"):
        sections.register("hmoe", _provider("typo"))


def test_the_apps_register_their_sections_in_page_order():
    """Each app registers from its AppConfig.ready(); the pages show them in
    this order."""
    from communities.home import panel as communities_home
    from dashboards.home import panel as spread_next_home
    from digests.panels import latest_digest_panel
    from journeys.panels import (
        community_plan_panel,
        profile_trajectory_section,
    )
    from journeys.panels import (
        home_panel as journeys_home,
    )
    from knowledge.follow_sections import (
        community_follow_section,
        profile_follow_section,
    )
    from knowledge.home import panel as knowledge_home
    from knowledge.panels import community_feed_panel, practice_balance_panel
    from knowledge.profile import contributions_section
    from mentoring.home import panel as mentoring_home
    from mentoring.profile import mentor_offer_section, thinking_followups_section
    from privacy.sections import erase_section

    assert sections.providers_for("home") == [
        communities_home,
        journeys_home,
        knowledge_home,
        mentoring_home,
        spread_next_home,
    ]
    assert sections.providers_for("community") == [
        community_follow_section,
        community_plan_panel,
        latest_digest_panel,
        practice_balance_panel,
        community_feed_panel,
    ]
    assert sections.providers_for("profile") == [
        profile_follow_section,
        profile_trajectory_section,
        contributions_section,
        mentor_offer_section,
        thinking_followups_section,
        erase_section,
    ]
