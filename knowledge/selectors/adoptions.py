"""Reads of adoption follow-through: an adoption's outcome (its latest
answered check-in), a community's stick rate, the check-ins of an item's
adoptions."""

from dataclasses import dataclass

from django.db.models import CharField, Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from communities.access import visible_communities_q
from knowledge.models import LASTING_ANSWERS, Adoption, AdoptionCheckIn, CheckInAnswer

# The outcome of an adoption with no answered check-in yet.
UNKNOWN = "unknown"


def latest_answer(adoption_ref: str = "pk"):
    """The answer of the adoption's latest answered check-in, or UNKNOWN,
    for a queryset whose `adoption_ref` is the adoption's id."""
    return Coalesce(
        Subquery(
            AdoptionCheckIn.objects.filter(adoption_id=OuterRef(adoption_ref))
            .exclude(answer="")
            .order_by("-day")
            .values("answer")[:1],
            output_field=CharField(),
        ),
        Value(UNKNOWN),
    )


def adoptions_with_outcome(queryset=None) -> QuerySet:
    """Adoptions annotated with `outcome`: kept, adapted, dropped or unknown."""
    queryset = Adoption.objects.all() if queryset is None else queryset
    return queryset.annotate(outcome=latest_answer())


@dataclass(frozen=True)
class StickRate:
    lasted: int = 0
    dropped: int = 0
    unknown: int = 0

    @property
    def known(self) -> int:
        return self.lasted + self.dropped

    @property
    def total(self) -> int:
        return self.known + self.unknown

    @property
    def rate(self) -> float | None:
        """Lasted out of those whose outcome is known; None when none is."""
        return self.lasted / self.known if self.known else None


def stick_rates(*, community_ids, viewer) -> dict[int, StickRate]:
    """For each origin community, how its items' adoptions by *other*
    communities fared: lasted (kept or adapted at the latest answered
    check-in), dropped, or not yet known. Adoptions by communities the viewer
    may not see are left out, so no figure about a private community reaches
    anyone outside it. One query."""
    adoptions = (
        adoptions_with_outcome(
            Adoption.objects.filter(
                visible_communities_q(viewer, "community__"),
                # By the adoption's own copy of the item's community: an
                # index read of the community's adoptions, not a join with
                # every item it has.
                origin_community_id__in=community_ids,
                item__hidden_at__isnull=True,
            )
        )
        .exclude(community_id=F("origin_community_id"))
        .values("origin_community_id", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, list[int]] = {}
    for row in adoptions:
        slot = counts.setdefault(row["origin_community_id"], [0, 0, 0])
        if row["outcome"] in LASTING_ANSWERS:
            slot[0] += row["n"]
        elif row["outcome"] == CheckInAnswer.DROPPED:
            slot[1] += row["n"]
        else:
            slot[2] += row["n"]
    return {pk: StickRate(*slot) for pk, slot in counts.items()}


def stick_rate(*, community, viewer) -> StickRate:
    return stick_rates(community_ids=[community.pk], viewer=viewer).get(
        community.pk, StickRate()
    )


def adoption_checkins(*, adoption_ids) -> dict[int, list[AdoptionCheckIn]]:
    """The check-ins of these adoptions, by adoption, earliest first."""
    found: dict[int, list[AdoptionCheckIn]] = {}
    for checkin in AdoptionCheckIn.objects.filter(
        adoption_id__in=list(adoption_ids)
    ).order_by("day"):
        found.setdefault(checkin.adoption_id, []).append(checkin)
    return found
