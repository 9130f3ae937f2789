"""The first visit: a welcome, not "welcome back". The new member says what
they know and want to learn, sees the communities that match and joins with
one click (or asks, for a private one); the community's own welcome
checklist takes over from there. Views of the page /welcome/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities import selectors
from communities.models import Membership
from members import services as member_services
from members.forms import WelcomeTagsForm
from members.selectors import expertise_tags_in_use

SHOWN = 12


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request):
    member = request.user
    if request.method == "POST":
        form = WelcomeTagsForm(request.POST)
        if form.is_valid():
            member_services.profile_tags_set(member=member, **form.cleaned_data)
            messages.success(
                request, _("Saved. Here are communities that share your topics.")
            )
            return redirect(reverse("onboarding:welcome") + "#communities")
    else:
        form = WelcomeTagsForm(
            initial={
                "expertise": list(member.expertise.all()),
                "interests": list(member.interests.all()),
            }
        )
    slugs = sorted(
        {t.slug for t in member.expertise.all()}
        | {t.slug for t in member.interests.all()}
    )
    communities = selectors.communities_for_tags(
        user=member, tag_slugs=slugs, limit=SHOWN
    )
    for community in communities:
        community.can_join_now = not community.is_private and (
            community.my_status in (None, *_REJOINABLE)
        )
        community.can_ask = community.my_status in (None, *_REJOINABLE) and (
            community.is_private
        )
        community.show_topics = not community.is_private or member.is_staff
    return render(
        request,
        "communities/welcome.html",
        {
            "form": form,
            "communities": communities,
            "matched": any(c.matched for c in communities) or bool(slugs),
            "has_tags": bool(slugs),
            "popular_tags": expertise_tags_in_use(limit=12),
            "joined": [c for c in communities if c.my_status == "active"],
        },
    )


_REJOINABLE = (Membership.Status.LEFT, Membership.Status.DECLINED)


@login_required
@require_POST
def welcome_done(request):
    """Finish (or skip) the welcome: on to the first community joined, where
    its welcome checklist continues, else home."""
    member_services.member_onboarded(member=request.user)
    latest = selectors.last_joined(request.user)
    if latest is not None:
        return redirect(latest.community)
    return redirect("home")
