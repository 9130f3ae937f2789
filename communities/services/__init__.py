"""Writes to communities and memberships, one module per verb group.

Callers inside the app import from the verb module; this package re-exports
the public names so `from communities import services; services.x(...)` keeps
working for everyone else.

- lifecycle: create, edit, archive, reopen a community
- membership: a member's own moves (join, ask, leave, answer an invitation)
- stewards: stewards deciding on requests, inviting, promoting, removing
- hooks: what other apps call when something happens inside a community
- invariants, errors: the locks and rules every write relies on
"""

from communities.services.errors import (
    CommunityArchivedError,
    LastStewardError,
    MembershipError,
)
from communities.services.hooks import (
    WELCOME_STEPS,
    community_record_activity,
    welcome_step_complete,
)
from communities.services.lifecycle import (
    community_archive,
    community_create,
    community_reopen,
    community_update,
    unique_slug_for,
)
from communities.services.membership import (
    JOINABLE_AGAIN,
    community_join,
    community_leave,
    community_request_join,
    invitation_accept,
    invitation_decline,
)
from communities.services.stewards import (
    community_invite,
    membership_approve,
    membership_decline,
    membership_demote,
    membership_promote,
    membership_remove,
)

__all__ = [
    "JOINABLE_AGAIN",
    "WELCOME_STEPS",
    "CommunityArchivedError",
    "LastStewardError",
    "MembershipError",
    "community_archive",
    "community_create",
    "community_invite",
    "community_join",
    "community_leave",
    "community_record_activity",
    "community_reopen",
    "community_request_join",
    "community_update",
    "invitation_accept",
    "invitation_decline",
    "membership_approve",
    "membership_decline",
    "membership_demote",
    "membership_promote",
    "membership_remove",
    "unique_slug_for",
    "welcome_step_complete",
]
