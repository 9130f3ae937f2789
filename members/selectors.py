"""Reads about members: the directory and profiles."""

from django.db.models import CharField, Count, F, Func, QuerySet, Value
from django.db.models.functions import Lower
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from members.models import ExpertiseTag, User
from members.pagination import paginate, paginate_sorted_matches
from members.tags import tags_of
from members.versioned_cache import cached
from members.widgets import RenderedOptions

# The cache version (members.versioned_cache) of the expertise in use.
EXPERTISE_VERSION = "member-expertise"
# ... and of what others see of a member besides: their name, job, place,
# photo and leadership role (mentoring's broker console ranks and names
# mentors by them; a community page's people part shows them).
PROFILE_VERSION = "member-profile"
# Letters of a name search from which the trigram index (member_name_trgm)
# can answer it: shorter, a trigram-less LIKE reads the members in name order.
NAME_SEARCH_MIN = 3


# The columns a directory card (members.directory_cards) reads.
CARD_FIELDS = (
    "username",
    "display_name",
    "avatar_version",
    "leadership_role",
    "job_title",
    "business_unit",
    "location",
    "email",
)


def member_directory(
    *,
    query: str = "",
    role: str = "",
    expertise: str = "",
    interest: str = "",
    for_cards: bool = False,
) -> QuerySet[User]:
    """Active members, by name, optionally narrowed by a name search, a
    leadership role and an expertise or interest tag (by slug). `for_cards`:
    only the columns a card shows, and no expertise prefetched (the cards
    read it with expertise_of(), cheaper than taggit's prefetch)."""
    members = User.objects.filter(is_active=True)
    if query:
        members = members.filter(display_name__icontains=query)
    if role:
        members = members.filter(leadership_role=role)
    if expertise:
        members = members.filter(expertise__slug=expertise)
    if interest:
        members = members.filter(interests__slug=interest)
    # Lower(display_name) matches the member_name_lower index; pk breaks ties
    # so pages never overlap.
    by_name = Lower("display_name")
    if len(query) >= NAME_SEARCH_MIN:
        # The same order, written so that member_name_lower cannot give it:
        # PostgreSQL then takes the matches from the trigram index and sorts
        # only those. Walking the names in order until a page of them matched
        # read every name before the first "Marta" (9,177 rows, 9,040
        # buffers, 20.8 ms at 20,000 members) for a page of 754 matches
        # (480 buffers, the matches sorted).
        by_name = Lower(
            Func(
                F("display_name"),
                Value(""),
                function="CONCAT",
                output_field=CharField(),
            )
        )
    if for_cards:
        return members.only(*CARD_FIELDS).order_by(by_name, "pk")
    return members.prefetch_related("expertise").order_by(by_name, "pk")


def member_directory_page(params: QueryDict, **filters):
    """The directory's page `params["page"]` of member_directory(for_cards=
    True, **filters). A name search sorts all its matches anyway, so its
    count comes with the page in one query (paginate_sorted_matches);
    otherwise a count and then the page, walking the name index."""
    members = member_directory(for_cards=True, **filters)
    if len(filters.get("query", "")) >= NAME_SEARCH_MIN:
        return paginate_sorted_matches(members, params)
    return paginate(members, params)


def expertise_of(user_ids) -> dict[int, list[tuple[str, str]]]:
    """{user id: [(tag slug, name), ...] by name} in one short query."""
    return tags_of(ExpertiseTag, user_ids)


def expertise_tags_in_use(*, limit: int = 60, include: str = "") -> list[Tag]:
    """The most common expertise tags among active members, by name, for the
    directory's filter; `include` (a slug) is kept even if it is rarer.
    Counting them reads every member's expertise (40 ms at 20,000 members),
    so they are cached until a member's expertise or activity changes
    (members.services bump EXPERTISE_VERSION)."""
    popular = cached(
        f"expertise-tags-in-use:{limit}",
        [EXPERTISE_VERSION],
        lambda: list(
            Tag.objects.filter(
                members_expertisetag_items__content_object__is_active=True
            )
            .annotate(uses=Count("members_expertisetag_items"))
            .order_by("-uses", "name")[:limit]
        ),
    )
    if include and all(tag.slug != include for tag in popular):
        popular.extend(Tag.objects.filter(slug=include))
    return sorted(popular, key=lambda tag: tag.name.lower())


def expertise_filter_options(*, include: str = "") -> RenderedOptions:
    """expertise_tags_in_use() as the directory's filter shows them: (slug,
    name) with their <option>s rendered, cached with them under the same
    version (unpickling sixty tags and rendering their options on every
    view cost ~0.8 ms of the directory's CPU). `include`, a slug not among
    them, is added as expertise_tags_in_use adds it (not cached)."""
    options = cached(
        "expertise-filter-options:60",
        [EXPERTISE_VERSION],
        lambda: RenderedOptions(
            (tag.slug, tag.name) for tag in expertise_tags_in_use()
        ),
    )
    if include and all(slug != include for slug, _name in options):
        return RenderedOptions(
            (tag.slug, tag.name) for tag in expertise_tags_in_use(include=include)
        )
    return options


def member_with_avatar(*, username: str, version: str) -> User | None:
    """The active member `username` if `version` is their photo's current
    version; None otherwise (an erased or deactivated member has none)."""
    if not version:
        return None
    return (
        User.objects.filter(is_active=True, username=username, avatar_version=version)
        .only("pk", "avatar_version")
        .first()
    )


def member_by_username(username: str) -> User:
    """One active member's profile with its tags, or 404."""
    return get_object_or_404(
        User.objects.filter(is_active=True).prefetch_related("expertise", "interests"),
        username=username,
    )
