"""Friendly error pages in Practica's layout (DEBUG is off in tests)."""

import pytest
from django.test import RequestFactory

from config.views import server_error


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(member_client):
    response = member_client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We couldn't find that page" in body
    assert 'aria-label="Main"' in body  # the normal navigation is there


def test_server_error_page_needs_no_database_or_context():
    """The 500 page must render even when the database is what failed."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
