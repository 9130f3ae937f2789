"""One concrete next step for a member, from who they want to become (their
aspiration) and the stage they have reached: readers ask, askers answer,
answerers tell a story, storytellers mentor, mentors and stewards welcome
newcomers. Every item it links is one the member may see."""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from journeys.models import Stage
from knowledge.models import ItemKind
from knowledge.selectors.visibility import LIST_RELATED, visible_items

QUESTIONS = 3


@dataclass
class NextStep:
    text: str
    url: str = ""
    link_text: str = ""
    items: list = field(default_factory=list)
    community: object = None
    stage: int = Stage.READER


def _focus(memberships, aspiration):
    """The community to grow in: one the aspiration names if the member is
    in it, else any of theirs; the lowest stage first (the most to gain)."""
    wanted = {c.pk for c in aspiration.communities.all()} if aspiration else set()
    pool = [m for m in memberships if m.community_id in wanted] or memberships
    if not pool:
        return None

    def stage(m):
        return m.stage.stage if m.stage else Stage.READER

    return min(pool, key=lambda m: (stage(m), m.community.name))


def _open_questions(user, tags, community_id):
    first = Case(
        When(community_id=community_id, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    ids = list(
        visible_items(user)
        .filter(
            kind=ItemKind.QUESTION,
            accepted_reply__isnull=True,
            community__archived_at__isnull=True,
            tags__name__in=tags,
        )
        .exclude(author_id=user.pk)
        .annotate(first=first)
        .order_by("first", "-created_at", "-pk")
        .values_list("pk", flat=True)[: QUESTIONS * 4]
    )
    ids = list(dict.fromkeys(ids))[:QUESTIONS]
    if not ids:
        return []
    found = visible_items(user).filter(pk__in=ids).select_related(*LIST_RELATED)
    by_id = {item.pk: item for item in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def next_step_for(*, user, memberships, aspiration) -> NextStep | None:
    """`memberships` from selectors.stages_of (each with .stage)."""
    focus = _focus(memberships, aspiration)
    if focus is None:
        return NextStep(
            text=_("Join a community whose practice you want to learn."),
            url=reverse("communities:list"),
            link_text=_("Browse communities"),
        )
    community = focus.community
    stage = focus.stage.stage if focus.stage else Stage.READER
    tags = list(aspiration.tags) if aspiration and aspiration.tags else []
    new_item = reverse("knowledge:item_create", kwargs={"slug": community.slug})
    if stage == Stage.READER:
        return NextStep(
            text=_("Ask your first question in %(name)s.") % {"name": community.name},
            url=f"{new_item}?kind=question",
            link_text=_("Ask a question"),
            community=community,
            stage=stage,
        )
    if stage == Stage.ASKER:
        questions = _open_questions(user, tags, community.pk) if tags else []
        if questions:
            text = _("Answer one of these %(n)d open questions tagged %(tags)s.") % {
                "n": len(questions),
                "tags": ", ".join(tags[:3]),
            }
            return NextStep(
                text=text, items=questions, community=community, stage=stage
            )
        return NextStep(
            text=_("Answer an open question in %(name)s.") % {"name": community.name},
            url=reverse("knowledge:feed", kwargs={"slug": community.slug}),
            link_text=_("See its questions"),
            community=community,
            stage=stage,
        )
    if stage == Stage.ANSWERER:
        return NextStep(
            text=_("Tell %(name)s the story of something you tried.")
            % {"name": community.name},
            url=f"{new_item}?kind=story",
            link_text=_("Write a story"),
            community=community,
            stage=stage,
        )
    if stage == Stage.STORYTELLER:
        return NextStep(
            text=_("Offer to mentor someone on what you know."),
            url=reverse("mentoring:home"),
            link_text=_("Offer mentoring"),
            community=community,
            stage=stage,
        )
    return NextStep(
        text=_("Draw a newcomer in: answer their first question or coach a peer."),
        url=community.get_absolute_url(),
        link_text=community.name,
        community=community,
        stage=stage,
    )
