from celery import shared_task

from mentoring.services import reminders


@shared_task(name="mentoring.send_checkin_reminders")
def send_checkin_reminders():
    """Daily (beat): remind quiet pairs and tell brokers about idle ones."""
    return reminders.reminders_send()
