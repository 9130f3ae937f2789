"""Digest pages: a community's archive, one digest, and the signed
unsubscribe link (the only digest page that needs no login)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communities.access import access_community
from knowledge import selectors
from knowledge.digests import unsubscribe as links
from knowledge.models import Digest, DigestPeriod

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
    page = Paginator(
        digests.order_by("-start", "period"), getattr(settings, "PAGE_SIZE", 20)
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/digests/archive.html",
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
        "knowledge/digests/detail.html",
        {"community": community, "membership": membership, "digest": digest},
    )


@csrf_exempt  # RFC 8058 one-click: mail clients POST without cookies or tokens.
@never_cache
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    """GET asks for confirmation (link scanners must not unsubscribe anyone);
    POST, from that page or a mail client's one-click, unsubscribes. The
    signed token is the credential, so no login is needed."""
    try:
        member, scope = links.read_token(token)
    except links.InvalidLink as exc:
        return render(
            request,
            "knowledge/digests/unsubscribe_invalid.html",
            {"expired": exc.expired},
            status=400,
        )
    context = {"member": member, "scope": scope, "token": token}
    if request.method == "POST":
        links.unsubscribe(member=member, scope=scope)
        return render(request, "knowledge/digests/unsubscribe_done.html", context)
    context["subscribed"] = links.is_subscribed(member, scope)
    return render(request, "knowledge/digests/unsubscribe.html", context)
