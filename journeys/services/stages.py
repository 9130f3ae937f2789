"""Each member's stage in each community they belong to, computed nightly
from what they did there (questions asked, replies, stories, mentoring,
stewarding). A change writes a StageMove, so the dashboard reads one small
table. Computing "as of" a day lets a backfill replay the past."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from communities.models import Membership
from journeys.models import MemberStage, Stage, StageMove
from knowledge.models import Item, ItemKind, Reply
from mentoring.models import Pair


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def stages_as_of(day, *, user_ids=None) -> dict[tuple[int, int], int]:
    """{(user_id, community_id): stage} for every active membership that
    began by the end of `day`, from what each member had done there by then."""
    cutoff = _end_of(day)
    memberships = Membership.objects.filter(
        status=Membership.Status.ACTIVE, joined_at__lt=cutoff
    )
    items = Item.objects.filter(
        hidden_at__isnull=True, shared_from__isnull=True, created_at__lt=cutoff
    )
    replies = Reply.objects.filter(
        hidden_at__isnull=True, item__hidden_at__isnull=True, created_at__lt=cutoff
    )
    pairs = Pair.objects.filter(
        status__in=(Pair.Status.ACTIVE, Pair.Status.COMPLETED),
        started_at__lt=cutoff,
        request__community__isnull=False,
    )
    if user_ids is not None:
        memberships = memberships.filter(user_id__in=user_ids)
        items = items.filter(author_id__in=user_ids)
        replies = replies.filter(author_id__in=user_ids)
        pairs = pairs.filter(mentor_id__in=user_ids)
    stages = {}
    for user_id, community_id, role in memberships.values_list(
        "user_id", "community_id", "role"
    ):
        steward = role == Membership.Role.STEWARD
        stages[(user_id, community_id)] = Stage.MENTOR if steward else Stage.READER
    found = [
        (
            Stage.ASKER,
            items.filter(kind=ItemKind.QUESTION).values_list(
                "author_id", "community_id"
            ),
        ),
        (Stage.ANSWERER, replies.values_list("author_id", "item__community_id")),
        (
            Stage.STORYTELLER,
            items.filter(kind=ItemKind.STORY).values_list("author_id", "community_id"),
        ),
        (Stage.MENTOR, pairs.values_list("mentor_id", "request__community_id")),
    ]
    for stage, pairs_qs in found:
        for key in pairs_qs.distinct():
            if key in stages and stages[key] < stage:
                stages[key] = stage
    return stages


@transaction.atomic
def stage_snapshot_build(*, day=None, record_moves: bool = True) -> int:
    """Store every member's stage as of `day` and log each change as a
    StageMove dated `day`. Running it again for the same day changes
    nothing. record_moves=False sets a baseline (the first run over an
    existing organisation) without counting everyone's past as moves.
    Returns the number of moves written."""
    day = day or timezone.localdate()
    computed = stages_as_of(day)
    existing = {
        (row.user_id, row.community_id): row for row in MemberStage.objects.all()
    }
    new_rows, changed, moves = [], [], []
    for (user_id, community_id), stage in computed.items():
        row = existing.get((user_id, community_id))
        before = Stage.READER if row is None else row.stage
        if row is None:
            new_rows.append(
                MemberStage(
                    user_id=user_id, community_id=community_id, stage=stage, since=day
                )
            )
        elif row.stage != stage:
            row.stage, row.since = stage, day
            changed.append(row)
        if record_moves and stage != before:
            moves.append(
                StageMove(
                    user_id=user_id,
                    community_id=community_id,
                    from_stage=before,
                    to_stage=stage,
                    moved_on=day,
                )
            )
    MemberStage.objects.bulk_create(new_rows, batch_size=1000)
    MemberStage.objects.bulk_update(changed, ["stage", "since"], batch_size=1000)
    StageMove.objects.bulk_create(moves, batch_size=1000)
    return len(moves)
