"""The floor of the stack: what any logged-in page costs before it does any
work of its own (session, member, navigation badge, base layout) plus one
primary-key query. bench.run divides every page's time by this one's.

Registered only in bench/urls.py (used by bench/settings.py), never in
config/urls.py, so it does not exist in production."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from communities.models import Community


@login_required
def floor(request):
    community = get_object_or_404(Community, pk=request.GET.get("pk") or 1)
    return render(request, "bench/floor.html", {"community": community})
