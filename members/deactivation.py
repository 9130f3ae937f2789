"""What the apps above members do when a member is deactivated (their
identity provider removed them) or reactivated, or given another leadership
role.

members.services.deactivate_member cannot call up to communities or
mentoring (apps depend one way), so each registers a hook from its
AppConfig.ready(), as with members.sections:

    from members import deactivation
    deactivation.register("deactivate", memberships_deactivate)

A hook is `fn(*, member) -> None` (for "leadership_role",
`fn(*, member, before)`, `before` being the role they had), called inside
the service's transaction, in the order registered; it changes state only
through its own app's services and keeps everything the member wrote.
"""

from collections.abc import Callable

EVENTS = ("deactivate", "reactivate", "leadership_role")

_hooks: dict[str, list[Callable]] = {event: [] for event in EVENTS}


def register(event: str, hook: Callable) -> Callable:
    """Registering the same hook again changes nothing."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}: one of {', '.join(EVENTS)}.")
    if hook not in _hooks[event]:
        _hooks[event].append(hook)
    return hook


def hooks_for(event: str) -> list[Callable]:
    return list(_hooks[event])


def run(event: str, *, member, **details) -> None:
    for hook in _hooks[event]:
        hook(member=member, **details)
