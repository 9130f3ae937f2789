"""Writes to communities and memberships, one module per verb group.

Callers inside the app import from the verb module; this package re-exports
the public names so `from communities import services; services.x(...)` keeps
working for everyone else.

Each public write has a checked entry point, `check_<verb>(*, acting_user,
...)`: it fetches what it acts on with its permission check (404 for what the
acting user may not see, 403 for what they may not do), then calls the
unchecked service. Views, tasks and any future API call the check_* entry;
the unchecked services are for code that has already decided (other
services, seeding, tests).

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
    check_community_archive,
    check_community_create,
    check_community_reopen,
    check_community_update,
    community_archive,
    community_create,
    community_reopen,
    community_update,
    unique_slug_for,
)
from communities.services.membership import (
    JOINABLE_AGAIN,
    check_community_join,
    check_community_leave,
    check_community_request_join,
    check_invitation_accept,
    check_invitation_decline,
    community_join,
    community_leave,
    community_request_join,
    invitation_accept,
    invitation_decline,
)
from communities.services.stewards import (
    check_community_invite,
    check_membership_approve,
    check_membership_decline,
    check_membership_demote,
    check_membership_promote,
    check_membership_remove,
    community_invite,
    membership_approve,
    membership_decline,
    membership_demote,
    membership_promote,
    membership_remove,
)

__all__ = [
    "check_community_archive",
    "check_community_create",
    "check_community_reopen",
    "check_community_update",
    "check_community_join",
    "check_community_leave",
    "check_community_request_join",
    "check_invitation_accept",
    "check_invitation_decline",
    "check_community_invite",
    "check_membership_approve",
    "check_membership_decline",
    "check_membership_demote",
    "check_membership_promote",
    "check_membership_remove",
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
