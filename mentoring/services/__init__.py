"""Writes to mentoring, one module per verb group.

Services check the state machine (a declined proposal cannot be accepted, a
closed pair takes no check-ins) and raise ValidationError with a message the
page can show. Repeating an action that already happened (a double submit)
is harmless. Callers inside the app import from the verb module; this package
re-exports the public names for everyone else.

- offers: a member's mentor offer
- requests: ask for mentoring, withdraw
- proposals: a broker proposes a mentor
- pairs: accept, decline, complete, close
- progress: goals and check-ins
- feedback: feedback after the pair ends
- reminders: reminders to quiet pairs, notices about idle ones
"""

from mentoring.services.feedback import feedback_give
from mentoring.services.offers import offer_save
from mentoring.services.pairs import (
    pair_accept,
    pair_close,
    pair_complete,
    pair_decline,
)
from mentoring.services.progress import checkin_add, goal_add, goal_set_done
from mentoring.services.proposals import match_propose
from mentoring.services.reminders import idle_days, reminder_days, reminders_send
from mentoring.services.requests import request_create, request_withdraw

__all__ = [
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
