"""Integrations' Celery tasks: ids in, a service call each, idempotent."""

from celery import shared_task

from integrations import slack, webhooks


@shared_task(name="integrations.emit_event")
def emit_event(event: str, object_id: int, event_id: str) -> int:
    return webhooks.emit_event(event=event, object_id=object_id, event_id=event_id)


@shared_task(name="integrations.delivery_send")
def delivery_send(delivery_id: int) -> str | None:
    return webhooks.delivery_send(delivery_id=delivery_id)


@shared_task(name="integrations.deliveries_due")
def deliveries_due() -> int:
    return webhooks.deliveries_due()


@shared_task(name="integrations.slack_unfurl")
def slack_unfurl(channel: str, message_ts: str, urls: list[str]) -> int:
    return slack.slack_unfurl(channel=channel, message_ts=message_ts, urls=urls)
