"""Which communities a dashboard covers: one community, or (for staff) the
whole organisation. Figures filter every query through a Scope, so the
same code serves both dashboards."""

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    # None means every community (the organisation view, staff only).
    community_ids: tuple[int, ...] | None = None

    @classmethod
    def organisation(cls) -> "Scope":
        return cls(None)

    @classmethod
    def community(cls, community) -> "Scope":
        return cls((community.pk,))

    @property
    def is_organisation(self) -> bool:
        return self.community_ids is None

    def q(self, path: str = "community_id") -> Q:
        """Keep rows whose community (reached through `path`) is covered."""
        if self.community_ids is None:
            return Q()
        return Q(**{f"{path}__in": self.community_ids})
