"""A community's digest, built from one period's activity.

Every query is bounded by the period (indexed created_at / joined_at /
first_reply_at ranges) or by a short "oldest open questions" list, so the cost
grows with what happened in the period, not with the community's history.
"""

import datetime as dt
import time
from collections import Counter, defaultdict

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from communities.models import Community, Membership, Visibility
from digests import inputs
from digests.models import Digest
from digests.periods import period_end, previous_start
from knowledge.models import (
    Adoption,
    HelpfulMark,
    Item,
    ItemKind,
    ItemTag,
    Reply,
    ReplyHelpfulMark,
)
from knowledge.selectors import tag_expertise_scores
from members.models import ExpertiseTag, User

# Kinds that count as "what we learned" in the ranked list (an experiment is
# learning under way).
LEARNING_KINDS = (
    ItemKind.STORY,
    ItemKind.PRACTICE,
    ItemKind.LESSON,
    ItemKind.EXPERIMENT,
)
TOP_ITEMS = 10
OPEN_QUESTIONS = 10
# Older unanswered questions: a short list of their own, after the period's.
STILL_WAITING = 5
ANSWERED = 20
RISING_TAGS = 5
NEW_MEMBERS = 50
HELPERS_PER_QUESTION = 3
# "Who knows what": the period's busiest tags, the people ranked on each
# tag's latest items (bounded, so the cost does not follow the history).
KNOWING_TAGS = 5
KNOWING_PEOPLE = 5
KNOWING_RECENT_ITEMS = 500
# People fetched to rank the KNOWING_PEOPLE (more if fewer are active).
KNOWING_CANDIDATES = 50
# A run builds every community's digest within minutes; the open ones share
# their readers' reach, so each tag's scores are read once for all of them.
KNOWING_SCORES_SECONDS = 15 * 60


def _url(obj) -> str:
    """The object's page, or "" while the page's URL is not installed."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def _profile_url(username: str) -> str:
    try:
        return reverse("members:profile", kwargs={"username": username})
    except NoReverseMatch:
        return ""


def _day(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "j M Y")


def _person(user) -> dict:
    return {
        "id": user.pk,
        "name": user.display_name,
        "username": user.username,
        "url": _url(user),
    }


def _item_entry(item, *, newcomer_first=False) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "title": item.title,
        "url": _url(item),
        "author": _person(item.author),
        "created": item.created_at.isoformat(),
        "created_on": _day(item.created_at),
        "helpful": item.helpful_count,
        "replies": item.reply_count,
        "newcomer_first": newcomer_first,
    }


def _newcomer_firsts(community, period_items, end) -> set[int]:
    """Ids of period items that are a newcomer's first (visible) item here."""
    authors = {item.author_id for item in period_items}
    if not authors:
        return set()
    since = end - dt.timedelta(days=settings.PRACTICA_NEWCOMER_DAYS)
    newcomers = set(
        Membership.objects.filter(
            community=community,
            user_id__in=authors,
            status=Membership.Status.ACTIVE,
            joined_at__gte=since,
        ).values_list("user_id", flat=True)
    )
    if not newcomers:
        return set()
    # A newcomer's whole history here is at most PRACTICA_NEWCOMER_DAYS long.
    first_by_author = {}
    for author_id, item_id in (
        Item.objects.filter(
            community=community, author_id__in=newcomers, hidden_at__isnull=True
        )
        .order_by("author_id", "created_at", "id")
        .values_list("author_id", "id")
    ):
        first_by_author.setdefault(author_id, item_id)
    period_ids = {item.pk for item in period_items}
    return {pk for pk in first_by_author.values() if pk in period_ids}


def _reply_authors(community, start, end) -> list[int]:
    """The author of each visible reply written in the period on a visible
    item here. Only items active since the period's start can have one (a
    reply raises its item's last_activity_at to its own time: reply_create),
    found on their (community, last_activity_at) index, then each one's
    replies in the period on the (item, created_at) index: a week's rows,
    however long the history. (Joined the other way, PostgreSQL hashed every
    item of the community: 10x the history read 6x the buffers.) OFFSET 0
    keeps the per-item lookup from being flattened into such a join."""
    item, reply = (connection.ops.quote_name(m._meta.db_table) for m in (Item, Reply))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT r.author_id FROM {item} i
            CROSS JOIN LATERAL (
                SELECT author_id FROM {reply}
                WHERE item_id = i.id AND created_at >= %s AND created_at < %s
                  AND hidden_at IS NULL
                OFFSET 0
            ) r
            WHERE i.community_id = %s AND i.hidden_at IS NULL
              AND i.last_activity_at >= %s
            """,  # noqa: S608
            [start, end, community.pk, start],
        )
        return [row[0] for row in cursor.fetchall()]


def _tag_counts(community, start, end) -> Counter:
    rows = (
        ItemTag.objects.filter(
            content_object__community=community,
            content_object__created_at__gte=start,
            content_object__created_at__lt=end,
            content_object__hidden_at__isnull=True,
        )
        .values_list("tag__name", "content_object_id")
        .distinct()
    )
    return Counter(name for name, _ in rows)


def _rising_tags(community, period, start, end, now: Counter) -> list[dict]:
    before = _tag_counts(community, previous_start(period, start), start)
    rising = [
        {"name": name, "count": count, "previous": before.get(name, 0)}
        for name, count in now.items()
        if count > before.get(name, 0)
    ]
    rising.sort(key=lambda t: (t["previous"] - t["count"], -t["count"], t["name"]))
    return rising[:RISING_TAGS]


def _audience_communities(community):
    """What every reader of this community's digest may see: open
    communities and this one. Private content elsewhere never counts."""
    return Community.objects.filter(
        Q(visibility=Visibility.OPEN) | Q(pk=community.pk)
    ).values("pk")


def _scores_version() -> str:
    """Newest item, reply and helpful marks: any new contribution or mark
    anywhere changes it (one index lookup each)."""
    newest = [
        model.objects.aggregate(newest=Max("pk"))["newest"]
        for model in (Item, Reply, HelpfulMark, ReplyHelpfulMark)
    ]
    return "-".join(str(pk or 0) for pk in newest)


# {key: (expires at, scores)} of this process: see _tag_scores.
_TAG_SCORES: dict[str, tuple[float, dict]] = {}


def _tag_scores(tag: str, audience: list[int], version: str) -> dict:
    """tag_expertise_scores of one tag over `audience`, shared by every
    digest this process builds with the same readers' reach (all open
    communities' digests have the same) for KNOWING_SCORES_SECONDS, or until
    a contribution or a mark anywhere changes `version`. Kept in the process,
    not the shared cache: nothing outlives the worker or its database."""
    key = f"{tag}\0{','.join(map(str, audience))}\0{KNOWING_RECENT_ITEMS}\0{version}"
    now = time.monotonic()
    found = _TAG_SCORES.get(key)
    if found is not None and found[0] > now:
        return found[1]
    for stale in [k for k, (expires, _s) in _TAG_SCORES.items() if expires <= now]:
        del _TAG_SCORES[stale]
    scores = tag_expertise_scores(
        tags=[tag], community_ids=audience, recent_items=KNOWING_RECENT_ITEMS
    )
    _TAG_SCORES[key] = (now + KNOWING_SCORES_SECONDS, scores)
    return scores


def _active_people(per_person: dict) -> dict:
    """{id: user} of the active people among those scored, enough of them to
    rank the first KNOWING_PEOPLE: everyone scoring at least the
    KNOWING_CANDIDATES-th best score (ties included), or everyone scored if
    fewer than KNOWING_PEOPLE of those are active. Nobody left out can enter
    the list: each scores below every candidate kept."""
    totals = {
        user_id: sum(v["helpful"] + 3 * v["accepted"] for v in by_tag.values())
        for user_id, by_tag in per_person.items()
    }
    scored = [user_id for user_id, total in totals.items() if total]
    if not scored:
        return {}
    best = sorted((totals[user_id] for user_id in scored), reverse=True)
    floor = best[min(KNOWING_CANDIDATES, len(best)) - 1]
    candidates = [user_id for user_id in scored if totals[user_id] >= floor]
    people = _people(candidates)
    if len(people) < KNOWING_PEOPLE and len(candidates) < len(scored):
        people = _people(scored)
    return people


def _people(ids) -> dict:
    return {
        user.pk: user
        for user in User.objects.filter(pk__in=ids, is_active=True).only(
            "pk", "username", "display_name"
        )
    }


def _who_knows_what(community, tag_counts: Counter) -> list[dict]:
    """Members whose stories and answers on the period's busiest tags helped
    most: helpful marks on their items and replies plus accepted answers
    (weighing three marks, as on tag pages), across what this digest's
    readers may see."""
    tags = [
        name for name, _n in sorted(tag_counts.items(), key=lambda t: (-t[1], t[0]))
    ][:KNOWING_TAGS]
    if not tags:
        return []
    audience = sorted(_audience_communities(community).values_list("pk", flat=True))
    version = _scores_version()
    per_person = defaultdict(dict)
    for tag in tags:
        scores = _tag_scores(tag, audience, version)
        for (user_id, name), value in scores.items():
            per_person[user_id][name] = value
    if not per_person:
        return []
    people = _active_people(per_person)
    ranked = []
    for user_id, by_tag in per_person.items():
        user = people.get(user_id)
        if user is None:
            continue
        tag_rows = sorted(
            (
                {
                    "name": name,
                    "helpful": v["helpful"],
                    "accepted": v["accepted"],
                    "score": v["helpful"] + 3 * v["accepted"],
                }
                for name, v in by_tag.items()
            ),
            key=lambda t: (-t["score"], t["name"]),
        )
        score = sum(t["score"] for t in tag_rows)
        if score:
            ranked.append((score, user, tag_rows))
    ranked.sort(key=lambda r: (-r[0], r[1].display_name.lower(), r[1].pk))
    return [
        {**_person(user), "score": score, "tags": tag_rows[:3]}
        for score, user, tag_rows in ranked[:KNOWING_PEOPLE]
    ]


def _open_questions(community, start, end) -> tuple[list[dict], list[dict]]:
    """Unanswered questions, newest first: those asked in the period, and a
    short "still waiting" list of older ones (never on top of the e-mail)."""
    open_qs = community.items.filter(
        kind=ItemKind.QUESTION,
        accepted_reply__isnull=True,
        hidden_at__isnull=True,
        created_at__lt=end,
    ).select_related("author")
    recent = list(
        open_qs.filter(created_at__gte=start).order_by("-created_at", "-id")[
            :OPEN_QUESTIONS
        ]
    )
    older = list(
        open_qs.filter(created_at__lt=start).order_by("-created_at", "-id")[
            :STILL_WAITING
        ]
    )
    entries = _question_entries(community, recent + older, end)
    return entries[: len(recent)], entries[len(recent) :]


def _question_entries(community, questions, end) -> list[dict]:
    if not questions:
        return []
    tags_by_question = defaultdict(set)
    for item_id, name in ItemTag.objects.filter(
        content_object_id__in=[q.pk for q in questions]
    ).values_list("content_object_id", "tag__name"):
        tags_by_question[item_id].add(name.lower())
    # Members of this community whose expertise shares a tag with a question
    # (tags compared case-insensitively: "Kubernetes" helps with "kubernetes").
    expertise = defaultdict(set)
    people = {}
    all_names = set().union(*tags_by_question.values())
    if all_names:
        active = Membership.objects.filter(
            community=community, status=Membership.Status.ACTIVE
        ).values("user_id")
        for user_id, tag, name, username in (
            ExpertiseTag.objects.annotate(tag_lower=Lower("tag__name"))
            .filter(
                tag_lower__in=all_names,
                content_object_id__in=active,
                content_object__is_active=True,
            )
            .values_list(
                "content_object_id",
                "tag_lower",
                "content_object__display_name",
                "content_object__username",
            )
        ):
            expertise[user_id].add(tag)
            people[user_id] = (name, username)
    entries = []
    for question in questions:
        wanted = tags_by_question.get(question.pk, set())
        matches = [
            (len(slugs & wanted), people[user_id][0], user_id)
            for user_id, slugs in expertise.items()
            if slugs & wanted and user_id != question.author_id
        ]
        matches.sort(key=lambda m: (-m[0], m[1].lower(), m[2]))
        entry = _item_entry(question)
        entry["age_days"] = max((end - question.created_at).days, 0)
        entry["who_could_answer"] = [
            {
                "id": user_id,
                "name": people[user_id][0],
                "username": people[user_id][1],
                "url": _profile_url(people[user_id][1]),
                "matching": sorted(expertise[user_id] & wanted),
            }
            for _, _, user_id in matches[:HELPERS_PER_QUESTION]
        ]
        entries.append(entry)
    return entries


def _adoptions(community, start, end) -> dict:
    """Practices that crossed community lines this period. Another
    community's private content (a practice title, an adoption note) never
    enters this digest: only its name, which is listed for everyone."""
    by_others = []
    for adoption in (
        Adoption.objects.filter(
            item__community=community,
            item__hidden_at__isnull=True,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(community=community)
        .select_related("item", "community")
        .order_by("created_at", "id")
    ):
        adoption.item.community = community
        by_others.append(
            {
                "item": {"id": adoption.item_id, "title": adoption.item.title},
                "item_url": _url(adoption.item),
                "community": adoption.community.name,
                "community_private": adoption.community.is_private,
                "note": "" if adoption.community.is_private else adoption.note,
            }
        )
    from_others = []
    for adoption in (
        Adoption.objects.filter(
            community=community,
            item__hidden_at__isnull=True,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(item__community=community)
        .select_related("item__community")
        .order_by("created_at", "id")
    ):
        origin = adoption.item.community
        visible = not origin.is_private
        from_others.append(
            {
                "item": {"id": adoption.item_id, "title": adoption.item.title}
                if visible
                else None,
                "item_url": _url(adoption.item) if visible else "",
                "community": origin.name,
                "community_private": origin.is_private,
                "note": adoption.note,
            }
        )
    return {"by_others": by_others, "from_others": from_others}


def digest_content(*, community, period: str, start, end=None) -> dict:
    """The structured digest of `community` for [start, end): read-only."""
    end = end or period_end(period, start)
    period_items = list(
        community.items.filter(
            created_at__gte=start, created_at__lt=end, hidden_at__isnull=True
        )
        .select_related("author")
        .order_by("created_at", "id")
    )
    firsts = _newcomer_firsts(community, period_items, end)
    learning = [i for i in period_items if i.kind in LEARNING_KINDS]
    # Most helpful first, then most discussed, then newest.
    learning.sort(
        key=lambda i: (-i.helpful_count, -i.reply_count, -i.created_at.timestamp())
    )
    newcomer_items = [i for i in period_items if i.pk in firsts]

    reply_authors = _reply_authors(community, start, end)
    helpful_users = HelpfulMark.objects.filter(
        item__community=community, created_at__gte=start, created_at__lt=end
    ).values_list("user_id", flat=True)
    active = (
        {i.author_id for i in period_items} | set(reply_authors) | set(helpful_users)
    )

    answered_qs = community.items.filter(
        kind=ItemKind.QUESTION,
        hidden_at__isnull=True,
        first_reply_at__gte=start,
        first_reply_at__lt=end,
    ).select_related("author")
    answered = []
    for question in answered_qs.order_by("-first_reply_at", "-id")[:ANSWERED]:
        entry = _item_entry(question)
        entry["accepted"] = question.accepted_reply_id is not None
        answered.append(entry)

    new_members = [
        _person(m.user)
        for m in Membership.objects.filter(
            community=community,
            status=Membership.Status.ACTIVE,
            joined_at__gte=start,
            joined_at__lt=end,
        )
        .select_related("user")
        .order_by("joined_at", "id")[:NEW_MEMBERS]
    ]
    new_member_count = Membership.objects.filter(
        community=community,
        status=Membership.Status.ACTIVE,
        joined_at__gte=start,
        joined_at__lt=end,
    ).count()
    adoptions = _adoptions(community, start, end)
    open_questions, still_waiting = _open_questions(community, start, end)
    tag_counts = _tag_counts(community, start, end)
    figures = {
        "items": len(period_items),
        "replies": len(reply_authors),
        "active_members": len(active),
        "new_members": new_member_count,
        "questions_answered": (
            len(answered) if len(answered) < ANSWERED else answered_qs.count()
        ),
    }
    return {
        "community": {
            "id": community.pk,
            "name": community.name,
            "slug": community.slug,
            "url": _url(community),
            "private": community.is_private,
        },
        "period": period,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "start_on": _day(start),
        "end_on": _day(end - dt.timedelta(seconds=1)),
        "figures": figures,
        "newcomer_firsts": [
            _item_entry(i, newcomer_first=True) for i in reversed(newcomer_items)
        ],
        "new_items": [
            _item_entry(i, newcomer_first=i.pk in firsts) for i in learning[:TOP_ITEMS]
        ],
        "more_items": max(len(learning) - TOP_ITEMS, 0),
        "answered": answered,
        "open_questions": open_questions,
        "still_waiting": still_waiting,
        "rising_tags": _rising_tags(community, period, start, end, tag_counts),
        "who_knows_what": _who_knows_what(community, tag_counts),
        "new_members": new_members,
        "adoptions": adoptions,
    }


def has_news(content: dict) -> bool:
    """Something happened: worth a place in an e-mail and the archive."""
    figures = content["figures"]
    return bool(
        figures["items"]
        or figures["replies"]
        or figures["new_members"]
        or figures["questions_answered"]
        or content["adoptions"]["by_others"]
        or content["adoptions"]["from_others"]
    )


def render_digest_html(content: dict, *, base_url: str = "") -> str:
    return render_to_string(
        "digests/_body.html", {"content": content, "base_url": base_url}
    )


def digest_build(
    *,
    community: Community,
    period: str,
    start,
    force: bool = False,
    signature: str | None = None,
) -> Digest:
    """Build the digest: one row per (community, period, start). A stored
    digest whose inputs have not changed since it was built is kept as it is
    (a rerun builds nothing); `force` builds it again regardless.

    `signature` is the digest's inputs as read before this call (the run's
    fan-out reads every community's at once and hands each build its own);
    without it they are read here. Either way they are read before the
    content: a change landing in between leaves an older signature stored,
    so the next run builds again."""
    end = period_end(period, start)
    if signature is None:
        signature = inputs.digest_inputs(
            community_ids=[community.pk], period=period, start=start
        )[community.pk]
    if not force:
        stored = Digest.objects.filter(
            community=community, period=period, start=start, inputs=signature
        ).first()
        if stored is not None:
            stored.community = community
            return stored
    content = digest_content(community=community, period=period, start=start, end=end)
    defaults = {
        "end": end,
        "content": content,
        "html": render_digest_html(content),
        "has_news": has_news(content),
        "inputs": signature,
        "built_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            digest, _ = Digest.objects.update_or_create(
                community=community, period=period, start=start, defaults=defaults
            )
    except IntegrityError:
        # Two builders raced to create it; the other one's row stands.
        digest = Digest.objects.get(community=community, period=period, start=start)
    return digest


def digests_for(
    *, community_ids, period: str, start, save: bool = True, defer_content=False
) -> dict[int, Digest]:
    """Each community's digest for the period, building any still missing
    (with save=False, in memory only: for dry runs). With `defer_content`,
    stored digests come without their content and archive HTML (a batch
    whose parts are already rendered in this process does not decode them
    again: compose.digests_with_content loads what is still needed)."""
    stored = Digest.objects.filter(
        period=period, start=start, community_id__in=community_ids
    ).select_related("community")
    if defer_content:
        stored = stored.defer("content", "html")
    found = {d.community_id: d for d in stored}
    missing = set(community_ids) - set(found)
    for community in Community.objects.filter(pk__in=missing):
        if save:
            digest = digest_build(community=community, period=period, start=start)
        else:
            content = digest_content(community=community, period=period, start=start)
            digest = Digest(
                community=community,
                period=period,
                start=start,
                end=period_end(period, start),
                content=content,
                has_news=has_news(content),
            )
        found[community.pk] = digest
    return found
