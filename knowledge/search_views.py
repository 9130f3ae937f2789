"""The header search box's typeahead and the "similar questions" panel of
the question form: small GET endpoints the scripts call as the member types.
Both answer the same for every data size: a few rows per group."""

import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from knowledge import similarity
from knowledge.selectors import finder

# Longer input is cut, not refused: the box is for a few words.
MAX_TYPED = 200
_ID = re.compile(r"[0-9]{1,18}")


def _typed(request, name: str) -> str:
    return request.GET.get(name, "")[:MAX_TYPED].strip()


def _group(key: str, label: str, results: list[dict]) -> dict:
    return {"key": key, "label": label, "results": results}


@login_required
@require_GET
def typeahead(request):
    q = _typed(request, "q")
    found = finder.typeahead(viewer=request.user, q=q)
    groups = [
        _group(
            "items",
            _("Items"),
            [
                {
                    "label": item.title,
                    "detail": f"{item.get_kind_display()} · {item.community.name}",
                    "url": item.get_absolute_url(),
                }
                for item in found.items
            ],
        ),
        _group(
            "people",
            _("People"),
            [
                {
                    "label": person.display_name,
                    "detail": person.job_title,
                    "url": person.get_absolute_url(),
                }
                for person in found.people
            ],
        ),
        _group(
            "communities",
            _("Communities"),
            [
                {
                    "label": community.name,
                    "detail": community.purpose,
                    "url": reverse(
                        "communities:detail", kwargs={"slug": community.slug}
                    ),
                }
                for community in found.communities
            ],
        ),
        _group(
            "tags",
            _("Tags"),
            [
                {
                    "label": tag.name,
                    "detail": _("tag"),
                    "url": reverse("knowledge:tag", kwargs={"tag": tag.name}),
                }
                for tag in found.tags
            ],
        ),
    ]
    search_url = reverse("knowledge:search") + "?" + urlencode({"q": q})
    return JsonResponse(
        {
            "q": q,
            "groups": [group for group in groups if group["results"]],
            "search_url": search_url,
            "search_label": _("Search everything for “%(q)s”") % {"q": q},
        }
    )


@login_required
@require_GET
def similar(request):
    """The closest existing items to a question's title, as an HTML fragment
    for the question form (the same list the form shows on submit)."""
    title = _typed(request, "title")
    # The community the question is asked in (its items come first); not
    # checked, as it only orders what the viewer may see anyway.
    community = request.GET.get("community", "")
    community_id = int(community) if _ID.fullmatch(community) else None
    items = similarity.similar_items(
        viewer=request.user, text=title, community_id=community_id
    )
    return render(request, "knowledge/_similar.html", {"similar": items})
