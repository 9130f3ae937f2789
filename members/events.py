"""Events that systems outside Practica may hear of (outgoing webhooks).

The apps that change things sit below the one that delivers webhooks
(integrations, at the top of the order), so they may neither import it nor
enqueue its task by name. It subscribes its task here from its
AppConfig.ready(); a service announces `event_emit(event=..., object_id=...)`
inside the transaction of the change. That writes one outbox job per
subscriber in the same transaction (members.jobs): a rollback takes the
event with it, a commit delivers it at least once. The event id is chosen
here, once, and travels in the job, so a job run twice is the same event.
"""

import uuid

from members.jobs import enqueue_on_commit

_subscribers: list[str] = []


def subscribe(task_name: str) -> None:
    """`task_name(event=, object_id=, event_id=)` runs for every event."""
    if task_name not in _subscribers:
        _subscribers.append(task_name)


def event_emit(*, event: str, object_id: int) -> None:
    """Announce `event` ("item.created") about the row `object_id`."""
    event_id = str(uuid.uuid4())
    for task_name in _subscribers:
        enqueue_on_commit(
            task_name, event=event, object_id=object_id, event_id=event_id
        )
