"""A cold dashboard counts its tables at once, on two database connections
(config.concurrent_reads), and shows the same page as counted in order."""

import pytest
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.urls import reverse
from django.utils import timezone

from tests.dashboards.test_table_cache import body
from tests.dashboards.test_views import build_organisation

# Other connections see only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cold_dashboard_counts_its_tables_at_once_with_the_same_page(
    settings, staff_client, manual_rollups
):
    """The organisation's dashboard for a custom period, cache emptied: read
    on two connections it is the same page as read on one."""
    build_organisation(3)
    manual_rollups()
    today = timezone.localdate()
    url = (
        reverse("dashboards:index")
        + f"?period=custom&start={today.replace(day=1)}&end={today}"
    )
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection)

    pages = {}
    connection_created.connect(count)
    try:
        for reads in (1, 2):
            settings.PRACTICA_CONCURRENT_READS = reads
            cache.clear()
            opened.clear()
            response = staff_client.get(url)
            assert response.status_code == 200
            pages[reads] = body(response.content.decode()), len(opened)
    finally:
        connection_created.disconnect(count)

    assert pages[1][0] == pages[2][0]
    assert "Helper" in pages[2][0]
    assert (pages[1][1], pages[2][1]) == (0, 1)  # one worker's own connection
