"""What apps above communities do when a membership starts or ends.

Apps import only the apps below them, so the membership services cannot call
up to an app that keeps something per member and community (journeys' 90-day
plans). That app registers a listener from its AppConfig.ready():

    from communities import listeners
    listeners.on_joined(plan_open_for)
    listeners.on_left(plan_close_for)

A listener is `fn(*, membership)` and runs inside the transaction of the
change, so what it writes commits or rolls back with it. `joined` fires when
a membership becomes active (joining, an approved request, an accepted
invitation, an undone leave); `left` when an active one ends (leaving,
being removed). Registering the same listener twice changes nothing.
"""

from collections.abc import Callable

_joined: list[Callable] = []
_left: list[Callable] = []


def on_joined(listener: Callable) -> Callable:
    if listener not in _joined:
        _joined.append(listener)
    return listener


def on_left(listener: Callable) -> Callable:
    if listener not in _left:
        _left.append(listener)
    return listener


def membership_joined(membership) -> None:
    for listener in _joined:
        listener(membership=membership)


def membership_left(membership) -> None:
    for listener in _left:
        listener(membership=membership)
