"""Drafts: "Save draft" from the item editor, the draft editor (publish,
save again, preview, upload) and "My drafts". A draft is its author's alone:
everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.access import access_community, membership_of
from knowledge import drafts, editor
from knowledge import permissions as perms
from knowledge.forms import ItemForm
from members.pagination import paginate


def _saved(request, upload, *, community, draft=None, slug=None):
    """Save the typed form as a draft: back to the draft's page, or the
    editor again with the reason it could not be kept."""
    form = drafts.DraftForm(upload.data)
    if upload.error is None and form.is_valid():
        draft = drafts.check_draft_save(
            acting_user=request.user,
            community_slug=slug,
            draft_id=draft.pk if draft else None,
            **form.cleaned_data,
        )
        messages.success(request, _("Draft saved. Only you can see it."))
        return redirect(draft)
    typed = editor.form_as_typed(upload.data)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return editor.item_form_response(
        request, typed, community=community, draft=draft, upload=upload
    )


@login_required
@require_POST
def draft_create(request, slug):
    """The item editor's "Save draft" button (its formaction)."""
    community, membership = access_community(request.user, slug)
    if not perms.can_post(request.user, community, membership):
        raise PermissionDenied(_("Only active members post, and not when archived."))
    upload = editor.take_upload(request, community=community)
    return _saved(request, upload, community=community, slug=slug)


@login_required
def draft_edit(request, pk):
    draft = drafts.access_draft(request.user, pk)
    community = draft.community
    can_post = perms.can_post(
        request.user, community, membership_of(request.user, community)
    )
    upload = None
    if request.method == "POST":
        if not can_post:
            # Readable, to copy from; nothing more goes into that community.
            raise PermissionDenied(_("You can no longer post in that community."))
        upload = editor.take_upload(request, community=community)
        if response := editor.button_response(
            request, upload, community=community, draft=draft
        ):
            return response
        if "save_draft" in request.POST:
            return _saved(request, upload, community=community, draft=draft)
        form = ItemForm(upload.data)
        if upload.error is None and form.is_valid():
            item = drafts.check_draft_publish(
                acting_user=request.user, draft_id=draft.pk, **form.cleaned_data
            )
            messages.success(request, _("Published. Thank you for sharing."))
            return redirect(item)
    else:
        form = ItemForm(initial=drafts.draft_initial(draft))
    if not can_post:
        messages.warning(
            request,
            _("You can no longer post in %(name)s: copy your text to keep it.")
            % {"name": community.name},
        )
    return editor.item_form_response(
        request, form, community=community, draft=draft, upload=upload
    )


@login_required
def draft_delete(request, pk):
    """GET asks for confirmation (works without JavaScript); POST deletes."""
    draft = drafts.access_draft(request.user, pk)
    if request.method == "POST":
        drafts.check_draft_delete(acting_user=request.user, draft_id=draft.pk)
        messages.success(request, _("Draft deleted."))
        return redirect("knowledge:drafts")
    return render(request, "knowledge/draft_delete.html", {"draft": draft})


@login_required
def drafts_list(request):
    page = paginate(drafts.drafts_of(request.user), request.GET)
    return render(request, "knowledge/drafts.html", {"page": page})
