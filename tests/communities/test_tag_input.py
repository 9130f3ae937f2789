"""Community topics are parsed like every other tag input in Practica
(members.tags), so a topic typed "Shift Handover" is the same tag as a
member's expertise "shift handover"."""

import pytest
from django.urls import reverse

from communities.models import Community


@pytest.mark.django_db
def test_topics_are_normalised_and_deduplicated(member_client):
    response = member_client.post(
        reverse("communities:create"),
        {
            "name": "Lean Circle",
            "slug": "lean-circle",
            "purpose": "Small improvements where the work is done.",
            "description": "",
            "tags": "Lean, Shift Handover, lean, shift_handover",
            "visibility": "open",
        },
    )
    assert response.status_code == 302
    community = Community.objects.get(slug="lean-circle")
    assert sorted(community.tags.names()) == ["lean", "shift-handover"]


@pytest.mark.django_db
def test_too_many_topics_is_a_form_error_that_keeps_the_input(member_client):
    typed = ", ".join(f"topic{i}" for i in range(11))
    response = member_client.post(
        reverse("communities:create"),
        {"name": "Many", "slug": "many", "purpose": "Lots.", "tags": typed,
         "visibility": "open"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "At most 10 tags" in response.content.decode()
    assert typed in response.content.decode()
    assert not Community.objects.filter(slug="many").exists()
