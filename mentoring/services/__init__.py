"""Writes to mentoring, one module per verb group.

Services check the state machine (a declined proposal cannot be accepted, a
closed pair takes no check-ins) and raise ValidationError with a message the
page can show. Repeating an action that already happened (a double submit)
is harmless. Callers inside the app import from the verb module; this package
re-exports the public names for everyone else.

Each public write has a checked entry point, `check_<verb>(*, acting_user,
...)`: it fetches (and locks) what it acts on by id with its permission check
(404 for what the acting user may not see, 403 for what they may not do),
then calls the unchecked service. Views, tasks and any future API call the
check_* entry; the unchecked services are for code that has already decided
(other services, seeding, tests).

- offers: a member's mentor offer
- requests: ask for mentoring, withdraw
- proposals: a broker proposes a mentor
- pairs: accept, decline, complete, close
- progress: goals and check-ins
- feedback: feedback after the pair ends
- reminders: reminders to quiet pairs, notices about idle ones
"""

from mentoring.services.feedback import check_feedback_give, feedback_give
from mentoring.services.offers import check_offer_save, offer_save
from mentoring.services.pairs import (
    check_pair_accept,
    check_pair_close,
    check_pair_complete,
    check_pair_decline,
    pair_accept,
    pair_close,
    pair_complete,
    pair_decline,
)
from mentoring.services.progress import (
    check_checkin_add,
    check_goal_add,
    check_goal_set_done,
    checkin_add,
    goal_add,
    goal_set_done,
)
from mentoring.services.proposals import check_match_propose, match_propose
from mentoring.services.reminders import idle_days, reminder_days, reminders_send
from mentoring.services.requests import (
    check_request_create,
    check_request_withdraw,
    request_create,
    request_withdraw,
)

__all__ = [
    "check_checkin_add",
    "check_feedback_give",
    "check_goal_add",
    "check_goal_set_done",
    "check_match_propose",
    "check_offer_save",
    "check_pair_accept",
    "check_pair_close",
    "check_pair_complete",
    "check_pair_decline",
    "check_request_create",
    "check_request_withdraw",
    "checkin_add",
    "feedback_give",
    "goal_add",
    "goal_set_done",
    "idle_days",
    "match_propose",
    "offer_save",
    "pair_accept",
    "pair_close",
    "pair_complete",
    "pair_decline",
    "reminder_days",
    "reminders_send",
    "request_create",
    "request_withdraw",
]
