from celery import shared_task

from journeys.services import cohorts, reminders, stages


@shared_task(name="journeys.remind_overdue_steps")
def remind_overdue_steps():
    """Daily (beat): remind the owner of every overdue plan step, once."""
    return reminders.reminders_send()


@shared_task(name="journeys.stage_snapshot")
def stage_snapshot():
    """Nightly (beat): members' stages per community and their moves."""
    return stages.stage_snapshot_build()


@shared_task(name="journeys.cohort_snapshot")
def cohort_snapshot():
    """Nightly (beat): 90-day plan figures per community and join month."""
    return cohorts.cohort_snapshot_build()
