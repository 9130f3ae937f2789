"""The demo shows leaders and bridges at once: the snapshot is computed at
seed time, Customer Escalations and Lean on the Shop Floor share a topic and
nothing else, and the demo networker has well-marked items ready to spread."""

import pytest
from django.urls import reverse

from dashboards.models import BridgeScore, MissingBridge, NetworkSnapshot
from members.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_network_snapshot(demo_world):
    snapshot = NetworkSnapshot.objects.get()
    assert BridgeScore.objects.filter(snapshot=snapshot, community=None).count() > 5
    pairs = {
        (m.first.name, m.second.name): m.networker
        for m in MissingBridge.objects.filter(snapshot=snapshot)
    }
    assert ("Customer Escalations", "Lean on the Shop Floor") in {
        tuple(sorted(pair)) for pair in pairs
    }
    assert all(networker is not None for networker in pairs.values())


def test_the_demo_networker_sees_what_could_spread_next(demo_world, client):
    client.force_login(User.objects.get(email="sam.okafor@practica.local"))

    home = client.get(reverse("home"))
    page = client.get(reverse("dashboards:spread_next"))

    assert "Ready to spread" in home.text
    assert page.context["tables"]["ready"].rows
    assert page.context["tables"]["missing_bridges"].rows


def test_the_demo_admin_sees_leaders_and_bridges(demo_world, client):
    client.force_login(User.objects.get(email="admin@practica.local"))

    response = client.get(reverse("dashboards:leaders"))

    assert response.status_code == 200
    assert response.context["tables"]["bridges"].rows
    assert response.context["tables"]["triad"].rows
