"""The directory's member cards (templates/members/_member_card.html), read
from the cache by what they show (members.fragment_cache).

A card shows the person's name, handle, photo version, leadership role,
work, place, e-mail's local part (when nothing else tells two people of
the same name apart) and expertise, and links each tag with the page's own
query: a profile edit, a new photo, a role or expertise change gives a new
key at once.
"""

from django.http import QueryDict
from django.utils.safestring import SafeString

from members.fragment_cache import rendered_fragments
from members.selectors import expertise_of

CARD_TEMPLATE = "members/_member_card.html"


def _shown(person, query: QueryDict) -> tuple:
    """Every value the card template reads, in a fixed order (tests/members/
    test_directory.py changes each one and expects another key)."""
    return (
        person.pk,
        person.username,
        person.display_name,
        person.avatar_version,
        person.leadership_role,
        person.job_title,
        person.business_unit,
        person.location,
        person.email.split("@")[0],
        tuple(person.expertise_tags),
        query.urlencode(),
    )


def member_cards(people, *, query: QueryDict) -> list[SafeString]:
    """The rendered cards of `people` (members.selectors.member_directory),
    in their order, with their expertise read here in one query; `query` is
    the page's query string, which the tag links keep."""
    people = list(people)
    expertise = expertise_of(person.pk for person in people)
    for person in people:
        person.expertise_tags = expertise[person.pk]
    return rendered_fragments(
        CARD_TEMPLATE,
        people,
        shown=lambda person: _shown(person, query),
        context=lambda person: {"person": person, "query": query},
    )
