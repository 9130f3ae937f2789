"""Thin views: parse, check, call a service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities.access import (
    access_community,
    can_moderate,
    communities_visible_to,
)
from knowledge import (
    attachments,
    checks,
    editor,
    experiments,
    selectors,
    services,
    watching,
)
from knowledge import permissions as perms
from knowledge.follow_views import follow_button
from knowledge.forms import (
    AdoptForm,
    ItemForm,
    ReplyForm,
    SearchForm,
    ShareForm,
    story_template,
)
from knowledge.item_rows import item_rows
from knowledge.mention_views import report_mentions
from knowledge.models import ItemKind
from knowledge.panels import community_feed_panel
from knowledge.reply_fragments import replies_html
from knowledge.selectors import finder
from knowledge.selectors.items import submitted_item
from knowledge.similarity import related_for, similar_items
from knowledge.tag_experts import tag_experts_html
from members.confirm import confirmation_page, needs_confirmation, offer_undo
from members.models import User
from members.pagination import Position, paginate
from members.tags import tag_normalise


def _page_size():
    return settings.PAGE_SIZE


# --- Items -------------------------------------------------------------------


def _item_context(request, item, membership, *, reply_form):
    user = request.user
    facts = selectors.item_page_facts(item=item, viewer=user)
    order = selectors.answer_order(request.GET.get("answers"))
    replies = selectors.item_replies(item=item, viewer=user, order=order)
    files, reply_files = [], {}
    if facts.has_files:
        files, reply_files = attachments.item_attachments(item=item)
    adoptions, private_adoptions = [], 0
    if facts.has_adoptions:
        adoptions, private_adoptions = selectors.item_adoptions(item=item, viewer=user)
    origin = item.shared_from
    return {
        "item": item,
        "community": item.community,
        "membership": membership,
        "replies": replies,
        "replies_html": replies_html(
            item=item,
            replies=replies,
            files=reply_files,
            actions=perms.reply_actions(user, item, membership),
        ),
        "answer_order": order,
        "reply_form": reply_form,
        "adoptions": adoptions,
        "private_adoptions": private_adoptions,
        "shares": selectors.item_shares(item=item, viewer=user)
        if facts.has_shares
        else [],
        "origin": origin,
        "origin_visible": origin is not None
        and perms.can_view_item(
            user, origin, perms.membership_or_outsider(user, origin.community)
        ),
        "has_marked": facts.marked,
        "can_edit": perms.can_edit_item(user, item, membership),
        "can_hide": perms.can_hide_item(user, item, membership),
        "can_restore": perms.can_restore_item(user, item, membership),
        "can_reply": perms.can_reply(user, item, membership),
        "can_accept": perms.can_accept(user, item, membership),
        "can_mark_helpful": perms.can_mark_helpful(user, item, membership),
        "can_share": perms.can_share(user, item, membership),
        "can_adopt": perms.can_adopt(user, item, membership),
        "follow": follow_button(
            request,
            kind="item",
            target=item,
            key=item.pk,
            name=item.title,
            level=facts.follow_level,
        )
        if watching.can_follow_item(user, item, membership)
        else None,
        "files": files,
        **editor.upload_context(),
        "related": related_for(item=item, viewer=user, stored=facts.related_ids),
        **_experiment_context(user, item, membership),
    }


def _experiment_context(user, item, membership) -> dict:
    experiment = experiments.experiment_of(item)
    if experiment is None:
        return {"experiment": None}
    return {
        "experiment": experiment,
        "can_close_experiment": experiments.can_close_experiment(
            user, item, membership
        ),
    }


@login_required
def item_detail(request, slug, pk, title_slug):
    item, membership = perms.access_item(request.user, slug, pk)
    canonical = item.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    services.item_opened(acting_user=request.user, item=item, membership=membership)
    reply_form = ReplyForm(answer=item.is_question)
    context = _item_context(request, item, membership, reply_form=reply_form)
    return render(request, "knowledge/item_detail.html", context)


def similar_before_asking(request, data, *, community):
    """A new question is shown the similar items first (the step that works
    without JavaScript), unless the member saw them and asks anyway."""
    if data["kind"] != ItemKind.QUESTION or request.POST.get("ask_anyway"):
        return []
    token = data.get("submission_token")
    if token and submitted_item(author=request.user, token=token):
        return []  # the same form again: it publishes (finds) the same item
    return similar_items(
        viewer=request.user, text=data["title"], community_id=community.pk
    )


@login_required
def item_create(request, slug):
    community, membership = access_community(request.user, slug)
    if not perms.can_post(request.user, community, membership):
        raise PermissionDenied(_("Only active members post, and not when archived."))
    upload = None
    if request.method == "POST":
        upload = editor.take_upload(request, community=community)
        if response := editor.button_response(request, upload, community=community):
            return response
        form = ItemForm(upload.data)
        if upload.error is None and form.is_valid():
            similar = similar_before_asking(
                request, form.cleaned_data, community=community
            )
            if similar:
                return editor.item_form_response(
                    request, form, community=community, upload=upload, similar=similar
                )
            item = checks.check_item_create(
                acting_user=request.user, community_slug=slug, **form.cleaned_data
            )
            messages.success(request, _("Published. Thank you for sharing."))
            report_mentions(request, item)
            return redirect(item)
    else:
        kind = request.GET.get("kind", "")
        kind = kind if kind in ItemKind.values else ItemKind.STORY
        initial = {"kind": kind}
        if kind == ItemKind.STORY:
            initial["body"] = story_template()
        form = ItemForm(initial=initial)
    return editor.item_form_response(request, form, community=community, upload=upload)


def _edit_initial(item) -> dict:
    initial = {
        "kind": item.kind,
        "activity": item.activity,
        "title": item.title,
        "body": item.body,
        "tags": ", ".join(item.tag_names.split()),
    }
    experiment = experiments.experiment_of(item)
    if experiment is not None:
        initial.update(
            hypothesis=experiment.hypothesis,
            trial=experiment.trial,
            measure=experiment.measure,
            review_on=experiment.review_on,
            sponsor=experiment.sponsor.username if experiment.sponsor else "",
        )
    return initial


@login_required
def item_edit(request, slug, pk):
    item, membership = perms.access_item(request.user, slug, pk)
    if not perms.can_edit_item(request.user, item, membership):
        raise PermissionDenied
    upload = None
    if request.method == "POST":
        upload = editor.take_upload(request, community=item.community)
        if response := editor.button_response(
            request, upload, community=item.community, item=item
        ):
            return response
        form = ItemForm(upload.data)
        if upload.error is None and form.is_valid():
            form.cleaned_data.pop("submission_token")  # an edit is idempotent
            try:
                updated = checks.check_item_update(
                    acting_user=request.user,
                    community_slug=slug,
                    item_id=pk,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                report_mentions(request, updated)
                return redirect(item)
    else:
        form = ItemForm(initial=_edit_initial(item))
    return editor.item_form_response(
        request, form, community=item.community, item=item, upload=upload
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_hide(request, slug, pk):
    item, membership = perms.access_item(request.user, slug, pk)
    if not perms.can_hide_item(request.user, item, membership):
        raise PermissionDenied
    if needs_confirmation(request):
        question = _("Hide “%(title)s”?") % {"title": item.title}
        return confirmation_page(
            request,
            title=question,
            question=question,
            consequence=_(
                "Nobody will see it or its replies any more; only a steward can "
                "bring it back."
            ),
            confirm_label=_("Hide “%(title)s”") % {"title": item.title},
            cancel_url=item.get_absolute_url(),
        )
    checks.check_item_hide(acting_user=request.user, community_slug=slug, item_id=pk)
    messages.success(request, _("Hidden. A steward can restore it."))
    item.refresh_from_db(fields=["hidden_at"])
    if perms.can_restore_item(request.user, item, membership):
        offer_undo(
            request,
            url=reverse("knowledge:item_restore", kwargs={"slug": slug, "pk": pk}),
            label=_("Undo: show it again"),
        )
    if can_moderate(request.user, item.community, membership) or (
        item.author_id == request.user.pk
    ):
        return redirect(item)
    return redirect("knowledge:feed", slug=item.community.slug)


@login_required
@require_POST
def item_restore(request, slug, pk):
    item, membership = perms.access_item(request.user, slug, pk)
    if not perms.can_restore_item(request.user, item, membership):
        raise PermissionDenied
    checks.check_item_restore(acting_user=request.user, community_slug=slug, item_id=pk)
    messages.success(request, _("Restored."))
    return redirect(item)


@login_required
@require_POST
def helpful_toggle(request, slug, pk):
    """POST helpful=1 marks, helpful=0 unmarks: repeating a request changes
    nothing, and it works as a plain form without JavaScript."""
    item, membership = perms.access_item(request.user, slug, pk)
    if not perms.can_mark_helpful(request.user, item, membership):
        raise PermissionDenied
    wanted = request.POST.get("helpful") == "1"
    checks.check_helpful_set(
        acting_user=request.user, community_slug=slug, item_id=pk, helpful=wanted
    )
    return redirect(f"{item.get_absolute_url()}#helpful")


# --- Replies -----------------------------------------------------------------


@login_required
@require_POST
def reply_create(request, slug, pk):
    item, membership = perms.access_item(request.user, slug, pk)
    if not perms.can_reply(request.user, item, membership):
        raise PermissionDenied(_("Only active members reply."))
    upload = editor.take_upload(request, community=item.community)
    form = ReplyForm(upload.data, answer=item.is_question)
    if upload.error or not form.is_valid():
        context = _item_context(request, item, membership, reply_form=form)
        context["upload"] = upload
        return render(request, "knowledge/item_detail.html", context)
    reply = checks.check_reply_create(
        acting_user=request.user,
        community_slug=slug,
        item_id=pk,
        body=form.cleaned_data["body"],
        submission_token=form.cleaned_data["submission_token"],
    )
    report_mentions(request, reply)
    return redirect(f"{item.get_absolute_url()}#reply-{reply.pk}")


@login_required
def reply_edit(request, slug, pk, reply_pk):
    item, membership = perms.access_item(request.user, slug, pk)
    reply = perms.access_reply(item, reply_pk)
    if not perms.can_edit_reply(request.user, reply, item, membership):
        raise PermissionDenied
    upload = None
    if request.method == "POST":
        upload = editor.take_upload(request, community=item.community)
        form = ReplyForm(upload.data, answer=item.is_question)
        if upload.error is None and form.is_valid():
            updated = checks.check_reply_update(
                acting_user=request.user,
                community_slug=slug,
                item_id=pk,
                reply_id=reply_pk,
                body=form.cleaned_data["body"],
            )
            report_mentions(request, updated)
            return redirect(f"{item.get_absolute_url()}#reply-{reply.pk}")
    else:
        form = ReplyForm(initial={"body": reply.body}, answer=item.is_question)
    return render(
        request,
        "knowledge/reply_form.html",
        {
            "form": form,
            "item": item,
            "reply": reply,
            "community": item.community,
            "upload": upload,
            **editor.editor_context(form),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reply_hide(request, slug, pk, reply_pk):
    item, membership = perms.access_item(request.user, slug, pk)
    reply = perms.access_reply(item, reply_pk)
    if not perms.can_hide_reply(request.user, reply, item, membership):
        raise PermissionDenied
    if needs_confirmation(request):
        question = _("Hide %(author)s’s reply to “%(title)s”?") % {
            "author": reply.author,
            "title": item.title,
        }
        return confirmation_page(
            request,
            title=question,
            question=question,
            consequence=_(
                "Nobody will see it any more; only a steward can bring it back."
            ),
            confirm_label=_("Hide the reply"),
            cancel_url=f"{item.get_absolute_url()}#reply-{reply.pk}",
        )
    checks.check_reply_hide(
        acting_user=request.user, community_slug=slug, item_id=pk, reply_id=reply_pk
    )
    messages.success(request, _("The reply is hidden."))
    reply.refresh_from_db(fields=["hidden_at"])
    if perms.can_restore_reply(request.user, reply, item, membership):
        offer_undo(
            request,
            url=reverse(
                "knowledge:reply_restore",
                kwargs={"slug": slug, "pk": pk, "reply_pk": reply_pk},
            ),
            label=_("Undo: show the reply again"),
        )
    return redirect(f"{item.get_absolute_url()}#reply-{reply.pk}")


@login_required
@require_POST
def reply_restore(request, slug, pk, reply_pk):
    item, membership = perms.access_item(request.user, slug, pk)
    reply = perms.access_reply(item, reply_pk)
    if not perms.can_restore_reply(request.user, reply, item, membership):
        raise PermissionDenied
    checks.check_reply_restore(
        acting_user=request.user, community_slug=slug, item_id=pk, reply_id=reply_pk
    )
    return redirect(f"{item.get_absolute_url()}#reply-{reply.pk}")


@login_required
@require_POST
def reply_accept(request, slug, pk, reply_pk):
    """accept=1 makes this the answer; accept=0 withdraws it."""
    item, membership = perms.access_item(request.user, slug, pk)
    reply = perms.access_reply(item, reply_pk)
    if not perms.can_accept(request.user, item, membership):
        raise PermissionDenied(_("Only the asker or a steward accepts an answer."))
    try:
        checks.check_answer_accept(
            acting_user=request.user,
            community_slug=slug,
            item_id=pk,
            reply_id=reply_pk,
            accept=request.POST.get("accept") != "0",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{item.get_absolute_url()}#reply-{reply.pk}")


# --- Spread ------------------------------------------------------------------


def _spread_view(request, slug, pk, *, can, targets, form_class, action, done):
    item, membership = perms.access_item(request.user, slug, pk)
    if not can(request.user, item, membership):
        raise PermissionDenied
    target_qs = targets(user=request.user, item=item)
    extra = {}
    if form_class is ShareForm:
        extra["private_origin"] = item.community.is_private
    form = form_class(request.POST or None, targets=target_qs, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            result = action(
                community_slug=slug,
                item_id=pk,
                community=form.cleaned_data["community"],
                acting_user=request.user,
                note=form.cleaned_data["note"],
            )
        except (ValidationError, IntegrityError) as error:
            message = getattr(error, "messages", [_("That was already recorded.")])
            form.add_error(None, " ".join(message))
        else:
            messages.success(request, done)
            return redirect(result if form_class is ShareForm else item)
    return render(
        request,
        f"knowledge/{'share' if form_class is ShareForm else 'adopt'}_form.html",
        {
            "form": form,
            "item": item,
            "community": item.community,
            "has_targets": target_qs.exists(),
        },
    )


@login_required
def item_share(request, slug, pk):
    return _spread_view(
        request,
        slug,
        pk,
        can=perms.can_share,
        targets=selectors.share_targets,
        form_class=ShareForm,
        action=checks.check_item_share,
        done=_("Shared. The copy credits where it came from."),
    )


@login_required
def item_adopt(request, slug, pk):
    return _spread_view(
        request,
        slug,
        pk,
        can=perms.can_adopt,
        targets=selectors.adoption_targets,
        form_class=AdoptForm,
        action=checks.check_adoption_record,
        done=_("Recorded. The author will hear that it spread."),
    )


# --- Lists -------------------------------------------------------------------


@login_required
def community_feed(request, slug):
    community, membership = access_community(request.user, slug)
    panel = community_feed_panel(request, community, membership)
    return render(
        request,
        "knowledge/feed.html",
        {"community": community, "panel": panel},
    )


@login_required
def tag_detail(request, tag):
    name = tag_normalise(tag)
    if not name:
        raise Http404
    if name != tag:
        # "/tags/Shift_Handover/" is the page of the tag "shift-handover".
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("knowledge:tag", kwargs={"tag": name}) + query)
    page = selectors.tag_items(
        tag=tag,
        viewer=request.user,
        position=Position.from_query(request.GET),
        size=_page_size(),
    )
    experts = selectors.experts_for_tag(tag=tag, viewer=request.user)
    return render(
        request,
        "knowledge/tag_detail.html",
        {
            "tag": tag,
            "page": page,
            "rows": item_rows(page.object_list, show_community=True),
            "experts": experts,
            "experts_html": tag_experts_html(tag, experts),
            "follow": follow_button(request, kind="tag", target=tag, key=tag, name=tag),
        },
    )


def search_people_and_communities(request, form, visible: str) -> dict:
    """The search page's other groups: people and communities matching the
    words, on its first page only (they are not paged)."""
    if not form.is_bound or form.errors or request.GET.get("page", "1") != "1":
        return {}
    q = form.cleaned_data["q"]
    return {
        "people": finder.people_matching(q=q),
        "communities_found": selectors.search_communities_found(
            viewer=request.user, visible=visible, q=q
        ),
    }


@login_required
def search(request):
    viewer = request.user
    seen = selectors.visible_communities(viewer)
    visible = seen.key
    communities = selectors.search_filter_communities(viewer=viewer, visible=visible)
    form = SearchForm(request.GET or None, communities=communities)
    page, rows, capped, cap = None, [], False, selectors.SEARCH_CAP
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        community = None
        if data["community"]:
            # Checked again here: the filter's list may be a few minutes old
            # after an edit in the admin (no bump there).
            community = (
                communities_visible_to(viewer).filter(slug=data["community"]).first()
            )
            if community is None:
                form.add_error(
                    "community", _("No community you can see has that name.")
                )
        author = None
        if data["author"]:
            author = User.objects.filter(username=data["author"]).first()
            if author is None:
                form.add_error("author", _("No member with that username."))
        if not form.errors:
            filters = {
                "q": data["q"],
                "community": community,
                "kind": data["kind"],
                "tag": tag_normalise(data["tag"]),
                "author": author,
                "open_only": data["open"],
            }
            results = selectors.search_results(
                viewer=viewer, visible=visible, **filters
            )
            page = paginate(results.ids, request.GET, size=_page_size())
            # Read, and checked again, for this viewer: the ids may be cached.
            page.object_list = selectors.search_page_rows(
                ids=list(page.object_list), visible_ids=seen.ids, **filters
            )
            rows = item_rows(page.object_list, show_community=True)
            capped, cap = results.capped, results.cap
    return render(
        request,
        "knowledge/search.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "capped": capped,
            "cap": cap,
            **search_people_and_communities(request, form, visible),
        },
    )
