import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Follow
from privacy import exports
from privacy.models import DataExport, ExportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_export(django_capture_on_commit_callbacks):
    """Ask for an export and let the job run as it would after the commit."""

    def run(member):
        with django_capture_on_commit_callbacks(execute=True):
            export = exports.export_request(member=member)
        export.refresh_from_db()
        return export

    return run


def _zip(export) -> zipfile.ZipFile:
    with storages["attachments"].open(export.file_name, "rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _ids(rows):
    return {row["id"] for row in rows}


def test_export_holds_exactly_the_members_own_records(
    request_export, member, colleague, footprint
):
    """Every file holds the member's records and nothing of the colleague's,
    though both wrote, marked and followed in the same communities."""
    export = request_export(member)
    assert export.status == ExportStatus.READY
    archive = _zip(export)
    data = {
        name[:-5]: json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }
    assert data["profile"]["email"] == member.email
    assert data["profile"]["expertise"] == ["lean"]
    assert _ids(data["items"]) == footprint["mia"]["items"]
    assert _ids(data["replies"]) == footprint["mia"]["replies"]
    assert _ids(data["helpful_marks"]) == footprint["mia"]["marks"]
    assert _ids(data["adoptions"]) == footprint["mia"]["adoptions"]
    # Their own follows: the community, and the items posting watched.
    assert _ids(data["follows"]) == set(
        Follow.objects.filter(user=member).values_list("pk", flat=True)
    )
    assert "Shift Leads" in {r["community_name"] for r in data["follows"]}
    assert data["mentor_offer"] == []  # the offer is the colleague's
    assert _ids(data["mentoring_requests"]) == {footprint["request"].pk}
    assert [c["notes"] for c in data["mentoring_checkins"]] == ["My private worry."]
    assert {n["message"] for n in data["notifications"]} >= {"Hello mia"}
    assert all("colin" not in n["message"] for n in data["notifications"])
    text = b"".join(archive.read(name) for name in archive.namelist())
    assert colleague.email.encode() not in text
    assert b"Colin's own note" not in text


def test_a_double_request_makes_one_export_and_the_job_is_idempotent(
    django_capture_on_commit_callbacks, member
):
    with django_capture_on_commit_callbacks(execute=True):
        # Both clicks land before the job runs and find the same export.
        first = exports.export_request(member=member)
        second = exports.export_request(member=member)
    assert first.pk == second.pk
    assert DataExport.objects.filter(member=member).count() == 1
    export = DataExport.objects.get()
    name = export.file_name
    assert exports.export_build(export_id=export.pk) is False  # already built
    export.refresh_from_db()
    assert export.file_name == name


def test_the_member_is_notified_with_a_working_link(client, request_export, member):
    request_export(member)
    notification = member.notifications.get(kind="data_export")
    client.force_login(member)
    response = client.get(notification.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_link_works_for_no_one_else_and_not_after_it_expires(
    client, request_export, member, other_member, staff
):
    export = request_export(member)
    link = exports.export_link(export)
    assert client.get(link).status_code == 302  # anonymous: to the login page
    for someone in (other_member, staff):
        client.force_login(someone)
        assert client.get(link).status_code == 404
    client.force_login(member)
    forged = link.rstrip("/")[:-3] + "abc/"
    assert client.get(forged).status_code == 404
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(link).status_code == 404


def test_prune_deletes_expired_files(request_export, member):
    export = request_export(member)
    storage = storages["attachments"]
    assert storage.exists(export.file_name)
    assert exports.exports_prune(now=export.expires_at - timedelta(seconds=1)) == 0
    assert exports.exports_prune(now=export.expires_at + timedelta(seconds=1)) == 1
    assert not storage.exists(export.file_name)
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED


def test_your_data_page_lists_exports_and_asks_by_post_only(
    client, django_capture_on_commit_callbacks, member
):
    url = reverse("privacy:index")
    assert client.get(url).status_code == 302
    client.force_login(member)
    response = client.get(url)
    assert "You have not asked for a copy yet." in response.content.decode()
    assert client.get(reverse("privacy:export_request")).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_request"), follow=True)
    page = response.content.decode()
    assert "We are preparing your data" in page
    assert "Being prepared" in page  # the job runs after this request
    assert "Download (" in client.get(url).content.decode()
