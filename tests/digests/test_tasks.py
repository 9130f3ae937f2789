"""The beat fan-out and the operators' command."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from digests.models import Digest, DigestDelivery
from digests.periods import period_bounds
from digests.tasks import digests_run
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_week():
    guild = CommunityFactory(slug="guild")
    quiet = CommunityFactory(slug="quiet")
    ItemFactory(community=guild, title="Guild story", created_at=at(2))
    members = UserFactory.create_batch(3)
    for m in members:
        MembershipFactory(user=m, community=guild)
    MembershipFactory(user=UserFactory(), community=quiet)
    return guild, quiet, members


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a task the way a worker does: what it enqueues runs too."""

    def run(task, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return task.apply(kwargs=kwargs).get()

    return run


def test_fan_out_builds_every_community_and_sends_in_batches(busy_week, settings, run):
    settings.DIGEST_BATCH_SIZE = 2
    guild, quiet, members = busy_week
    result = run(digests_run, period="weekly", start="2026-11-02")
    assert result == {"builds": 2, "batches": 2}
    assert Digest.objects.filter(period="weekly", start=START).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    # The beat firing twice sends nothing more.
    run(digests_run, period="weekly", start="2026-11-02")
    assert len(mail.outbox) == 3
    assert Digest.objects.count() == 2


def test_fan_out_defaults_to_the_last_complete_period(busy_week, run):
    run(digests_run, period="daily")
    start, _ = period_bounds("daily")
    assert Digest.objects.filter(period="daily", start=start).count() == 2


def test_command_dry_run_writes_and_sends_nothing(busy_week, capsys):
    call_command(
        "send_digests", "--period", "weekly", "--start", "2026-11-02", "--dry-run"
    )
    out = capsys.readouterr().out
    assert "guild: 1 items" in out and "E-mails would send: 3" in out
    assert Digest.objects.count() == 0 and DigestDelivery.objects.count() == 0
    assert mail.outbox == []


def test_command_sends_once_and_can_be_limited_to_a_community(busy_week, capsys):
    guild, quiet, members = busy_week
    call_command(
        "send_digests",
        "--period",
        "weekly",
        "--start",
        "2026-11-02",
        "--community",
        "quiet",
    )
    assert Digest.objects.get().community == quiet
    assert mail.outbox == []  # a quiet week: nothing to tell its member
    call_command("send_digests", "--period", "weekly", "--start", "2026-11-02")
    call_command("send_digests", "--period", "weekly", "--start", "2026-11-02")
    assert len(mail.outbox) == 3
    assert "already sent or in progress: 3" in capsys.readouterr().out


def test_command_rejects_unknown_community_and_bad_dates(busy_week):
    with pytest.raises(CommandError, match="No active community"):
        call_command("send_digests", "--period", "weekly", "--community", "nope")
    with pytest.raises(CommandError, match="--start"):
        call_command("send_digests", "--period", "weekly", "--start", "someday")
