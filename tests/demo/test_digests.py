"""demo.digests: the last weekly digests of every community, built in
place (a second run rebuilds the same rows) and never e-mailed."""

import io

import pytest
from django.core import mail
from django.urls import reverse

from demo import digests as demo
from demo import knowledge
from digests.models import Digest, DigestDelivery
from digests.periods import period_bounds
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ItemFactory, ReplyFactory

pytestmark = pytest.mark.django_db


def test_demo_builds_last_weekly_digests_idempotently_without_mail(
    settings, monkeypatch
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    communities = [CommunityFactory(private=n == 1) for n in range(2)]
    for community in communities:
        for _ in range(4):
            MembershipFactory(community=community)
    monkeypatch.setattr(knowledge, "TOTAL_ITEMS", 24)
    knowledge.seed(io.StringIO())
    out = io.StringIO()
    demo.seed(out)
    start = period_bounds("weekly")[0]
    built = Digest.objects.filter(period="weekly", start=start)
    assert set(built.values_list("community_id", flat=True)) == {
        c.pk for c in communities
    }
    total = Digest.objects.count()
    assert total == len(communities) * demo.DIGEST_WEEKS
    assert "none e-mailed" in out.getvalue()
    demo.seed(io.StringIO())
    assert Digest.objects.count() == total
    assert mail.outbox == [] and not DigestDelivery.objects.exists()


def test_demo_digest_of_a_busy_week_is_in_the_archive(member_client, member):
    community = CommunityFactory()
    MembershipFactory(user=member, community=community)
    start = period_bounds("weekly")[0]
    item = ItemFactory(community=community, created_at=start)
    ReplyFactory(item=item, created_at=start)
    demo.seed(io.StringIO())
    html = member_client.get(
        reverse("digests:archive", kwargs={"slug": community.slug})
    ).content.decode()
    digest = Digest.objects.get(community=community, start=start)
    assert digest.has_news and digest.get_absolute_url() in html
