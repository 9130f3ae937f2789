from celery import shared_task

from mentoring.services import reminders


@shared_task(name="mentoring.send_checkin_reminders")
def send_checkin_reminders():
    """Daily (beat): remind quiet pairs and tell brokers about idle ones."""
    return reminders.reminders_send()


@shared_task(name="mentoring.strengths_refresh")
def strengths_refresh():
    """Every few minutes (beat): who has shown they know which topic, for
    mentor suggestions (mentoring.strengths). Idempotent."""
    from mentoring.strengths import strengths_refresh as refresh

    return refresh()
