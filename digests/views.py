"""Digest pages: a community's archive and one digest. (The unsubscribe
link in digest e-mails is the notifications app's page.)"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from communities.access import access_community
from digests import selectors
from digests.models import Digest, DigestPeriod
from members.pagination import paginate

PERIOD_FILTERS = {choice.value: choice.label for choice in DigestPeriod}


@login_required
def digest_archive(request, slug):
    community, membership = access_community(request.user, slug)
    period = request.GET.get("period", "")
    if period not in PERIOD_FILTERS:
        period = ""
    digests = Digest.objects.filter(community=community, has_news=True).only(
        "pk", "period", "start", "end", "content", "community_id"
    )
    if period:
        digests = digests.filter(period=period)
    page = paginate(digests.order_by("-start", "period"), request.GET)
    return render(
        request,
        "digests/archive.html",
        {
            "community": community,
            "membership": membership,
            "page": page,
            "period": period,
            "periods": PERIOD_FILTERS,
        },
    )


@login_required
def digest_latest(request, slug):
    """The newest digest with news, or the archive (and its empty state)."""
    community, _membership = access_community(request.user, slug)
    digest = selectors.latest_digest(community=community)
    if digest is None:
        return redirect("digests:archive", slug=community.slug)
    return redirect("digests:detail", slug=community.slug, pk=digest.pk)


@login_required
def digest_detail(request, slug, pk):
    community, membership = access_community(request.user, slug)
    digest = get_object_or_404(Digest, community=community, pk=pk)
    return render(
        request,
        "digests/detail.html",
        {"community": community, "membership": membership, "digest": digest},
    )
