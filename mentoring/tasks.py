from celery import shared_task

from mentoring import services


@shared_task(name="mentoring.send_checkin_reminders")
def send_checkin_reminders():
    """Daily (beat): remind quiet pairs and tell brokers about idle ones."""
    return services.reminders_send()
