import datetime as dt

import factory

from digests.build import has_news, render_digest_html
from digests.models import Digest, DigestPeriod
from tests.communities.factories import CommunityFactory

# A Monday: the constructed weekly period is [START, START + 7 days).
START = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
END = START + dt.timedelta(days=7)


def at(days: float = 0, hours: float = 0) -> dt.datetime:
    """A moment relative to the constructed period's start."""
    return START + dt.timedelta(days=days, hours=hours)


def _content(o):
    figures = {
        "items": o.items,
        "replies": 0,
        "active_members": 1 if o.items else 0,
        "new_members": 0,
        "questions_answered": 0,
    }
    return {
        "community": {
            "id": o.community.pk,
            "name": o.community.name,
            "slug": o.community.slug,
            "url": "",
            "private": o.community.is_private,
        },
        "period": o.period,
        "start": o.start.isoformat(),
        "end": o.end.isoformat(),
        "start_on": "",
        "end_on": "",
        "figures": figures,
        "newcomer_firsts": [],
        "new_items": [],
        "more_items": 0,
        "answered": [],
        "open_questions": [],
        "rising_tags": [],
        "new_members": [],
        "adoptions": {"by_others": [], "from_others": []},
    }


class DigestFactory(factory.django.DjangoModelFactory):
    """A stored digest without building it (for archive pages)."""

    class Meta:
        model = Digest

    class Params:
        items = 3

    community = factory.SubFactory(CommunityFactory)
    period = DigestPeriod.WEEKLY
    start = factory.Sequence(lambda n: START - dt.timedelta(days=7 * n))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(days=7))
    content = factory.LazyAttribute(_content)
    html = factory.LazyAttribute(lambda o: render_digest_html(o.content))
    has_news = factory.LazyAttribute(lambda o: has_news(o.content))
