"""Following: the follow form on community, tag, item and profile pages,
and the Following page that lists and changes them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledge import watching
from knowledge.selectors.follows import follow_level, follows_of
from members.pagination import paginate


def follow_button(
    request, *, kind: str, target, key, name: str, next_url=None, level=None
):
    """What templates/knowledge/_follow_button.html needs for `target`, or
    None when the viewer may not follow it. `level`: the viewer's follow
    level when the caller has read it already ("" for none)."""
    user = request.user
    if not user.is_authenticated:
        return None
    if level is None:
        level = follow_level(user=user, kind=kind, target=target)
    return {
        "kind": kind,
        "key": key,
        "name": name,
        "level": level,
        "choices": watching.level_choices(kind),
        "next": next_url or request.get_full_path(),
    }


def _back(request, target):
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(nxt)
    if isinstance(target, str):
        return redirect("knowledge:tag", tag=target)
    return redirect(target)


@require_POST
@login_required
def follow_set(request):
    kind = request.POST.get("kind", "")
    key = request.POST.get("key", "")
    level = request.POST.get("level", "")
    try:
        target, level = watching.check_follow_set(
            acting_user=request.user, kind=kind, key=key, level=level
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        target = watching.access_target(request.user, kind, key)
        return _back(request, target)
    if level:
        label = dict(watching.level_choices(kind))[level]
        messages.success(request, _("Following: %(level)s.") % {"level": label})
    else:
        messages.success(request, _("You no longer follow it."))
    return _back(request, target)


def _row(request, follow):
    kind = follow.target_kind
    target = follow.target
    if kind == "community":
        key, name, url = target.slug, target.name, target.get_absolute_url()
    elif kind == "item":
        key, name, url = target.pk, target.title, target.get_absolute_url()
    elif kind == "person":
        key, name, url = target.username, target.display_name, target.get_absolute_url()
    else:
        key, name, url = target, f"#{target}", reverse("knowledge:tag", args=[target])
    return {
        "follow": follow,
        "kind": kind,
        "name": name,
        "url": url,
        "context": target.community.name if kind == "item" else "",
        "button": {
            "kind": kind,
            "key": key,
            "name": name,
            "level": follow.level,
            "choices": watching.level_choices(kind),
            "next": request.get_full_path(),
        },
    }


@login_required
def following(request):
    page = paginate(follows_of(user=request.user), request.GET)
    rows = [_row(request, follow) for follow in page.object_list]
    return render(request, "knowledge/following.html", {"page": page, "rows": rows})
