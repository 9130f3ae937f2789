"""The demo's journeys: the demo newcomer's plans at various steps (some
overdue and reminded), tours, aspirations and stage moves over months."""

import pytest
from django.urls import reverse
from django.utils import timezone

from journeys.models import Aspiration, Plan, StageMove, StepReminder, TourStop
from members.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_newcomer_has_plans_at_various_steps(demo_world, client):
    oliver = User.objects.get(email="oliver.brown@practica.local")
    plans = Plan.objects.filter(user=oliver, closed_at__isnull=True)
    assert plans.count() == 3
    today = timezone.localdate()
    lean = plans.get(community__slug="lean-on-the-shop-floor")
    done = {s.kind for s in lean.steps.all() if s.done_at}
    overdue = {s.kind for s in lean.steps.all() if s.is_overdue(today)}
    assert done == {"tour", "checkin"}
    assert overdue == {"networker"}
    assert StepReminder.objects.filter(step__plan=lean, recipient=oliver).exists()

    client.force_login(oliver)
    page = client.get(reverse("journeys:plan", args=["lean-on-the-shop-floor"]))
    assert page.status_code == 200
    assert "Overdue" in page.content.decode()


def test_the_demo_has_tours_aspirations_and_stage_moves(demo_world, client):
    assert TourStop.objects.values("community").distinct().count() == 3
    assert Aspiration.objects.count() == 4
    months = {
        d.replace(day=1) for d in StageMove.objects.values_list("moved_on", flat=True)
    }
    assert len(months) >= 4
    client.force_login(User.objects.get(email="admin@practica.local"))
    page = client.get(reverse("dashboards:journeys"))
    assert page.status_code == 200
    assert len(page.context["tables"]["cohorts"].rows) >= 4
