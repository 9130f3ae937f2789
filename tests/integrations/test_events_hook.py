"""members.events: how the apps below integrations announce events without
knowing it exists. One outbox job per subscriber, in the change's own
transaction, carrying one event id."""

import pytest

from members import events
from members.models import OutboxJob

pytestmark = pytest.mark.django_db


def test_integrations_subscribes_its_task_when_it_is_ready():
    assert "integrations.emit_event" in events._subscribers


def test_an_event_is_one_job_per_subscriber_with_one_event_id(monkeypatch):
    monkeypatch.setattr(events, "_subscribers", ["a.listen", "b.listen"])
    events.event_emit(event="item.created", object_id=7)
    jobs = list(OutboxJob.objects.order_by("task_name"))
    assert [job.task_name for job in jobs] == ["a.listen", "b.listen"]
    assert jobs[0].kwargs == jobs[1].kwargs
    assert jobs[0].kwargs["event"] == "item.created"
    assert jobs[0].kwargs["object_id"] == 7
    assert len(jobs[0].kwargs["event_id"]) == 36


def test_nobody_listening_writes_nothing(monkeypatch):
    monkeypatch.setattr(events, "_subscribers", [])
    events.event_emit(event="item.created", object_id=7)
    assert not OutboxJob.objects.exists()
