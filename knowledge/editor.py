"""The item editor's extra buttons, all plain form submits that work without
JavaScript and keep everything typed: "Insert template" (the headings of the
chosen kind's guide), "Preview" (the text rendered as it will be published),
"Upload" (attach a file and insert its reference), and the writing guide
shown beside the text for the chosen kind.

A file chosen in the form is taken with whichever button was pressed (its
reference added to the text), so pressing Preview or Publish does not lose
it; a refused file leaves everything else as typed, with a message."""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import render

from knowledge import attachments
from knowledge.forms import ItemForm, without_empty_template_headings
from knowledge.guides import guide_for, guides_data, kind_template
from knowledge.models import Attachment, ItemKind
from knowledge.similarity import similar_items
from members.markup import markdown_to_html


@dataclass
class Upload:
    """The form data after taking the file sent with it (if any)."""

    data: QueryDict
    error: str | None = None
    attachment: Attachment | None = None


def take_upload(request, *, community) -> Upload:
    """Store the file in the form's "attachment" input, if one came, and add
    its reference to the end of the text. Callers have checked that the user
    may write there."""
    upload = request.FILES.get("attachment")
    if upload is None:
        return Upload(request.POST)
    try:
        attachment = attachments.attachment_upload(
            acting_user=request.user, community=community, upload=upload
        )
    except ValidationError as error:
        return Upload(request.POST, error=" ".join(error.messages))
    data = request.POST.copy()
    body = data.get("body", "").rstrip()
    reference = attachments.markdown_reference(attachment)
    data["body"] = f"{body}\n\n{reference}" if body else reference
    return Upload(data, attachment=attachment)


def _typed(data) -> dict:
    data = data.dict()
    data.pop("csrfmiddlewaretoken", None)
    return data


def form_with_template(data) -> ItemForm:
    """Keep what was typed, add the template of the kind the button names
    (or the chosen kind) under the text."""
    data = _typed(data)
    kind = data.get("insert_template")
    if kind not in ItemKind.values:
        kind = data.get("kind") if data.get("kind") in ItemKind.values else "story"
    body = data.get("body", "").rstrip()
    template = kind_template(kind)
    data["body"] = f"{body}\n\n{template}" if body else template
    data["kind"] = data.get("kind") or kind
    return ItemForm(initial=data)


def form_with_preview(data) -> tuple[ItemForm, str]:
    """The form as typed, and its text rendered as it would be published."""
    data = _typed(data)
    body = without_empty_template_headings(data.get("body", ""))
    return ItemForm(initial=data), markdown_to_html(body)


def form_as_typed(data) -> ItemForm:
    return ItemForm(initial=_typed(data))


def editor_context(form) -> dict:
    """The guide for the kind the form shows, and the upload limits."""
    kind = form.data.get("kind") if form.is_bound else form.initial.get("kind")
    return {
        "guide": guide_for(kind or ItemKind.STORY),
        "guides": guides_data(),
        **upload_context(),
    }


def upload_context() -> dict:
    return {
        "upload_accept": attachments.accept_attribute(),
        "upload_help": attachments.limits_help(),
    }


def item_form_response(
    request,
    form,
    *,
    community,
    item=None,
    draft=None,
    preview=None,
    upload=None,
    similar=(),
):
    """The item editor page (new item, edit, or a draft); `similar`: the
    items a new question is shown before it is asked (knowledge.similarity)."""
    return render(
        request,
        "knowledge/item_form.html",
        {
            "form": form,
            "community": community,
            "item": item,
            "draft": draft,
            "preview_html": preview,
            "upload": upload,
            "similar": similar,
            **editor_context(form),
        },
    )


def _similar_on_preview(request, community):
    """A new question's preview shows the similar items too."""
    data = request.POST
    if data.get("kind") != ItemKind.QUESTION or data.get("ask_anyway"):
        return []
    return similar_items(
        viewer=request.user,
        text=data.get("title", "")[:200],
        community_id=community.pk,
    )


def button_response(request, upload, *, community, item=None, draft=None):
    """The no-JS "Insert template", "Preview" and "Upload" buttons: the form
    again, with everything typed kept (and a file's reference added); None
    for a real submit."""
    respond = partial(
        item_form_response,
        request,
        community=community,
        item=item,
        draft=draft,
        upload=upload,
    )
    if "insert_template" in request.POST:
        return respond(form_with_template(upload.data))
    if "preview" in request.POST:
        form, preview = form_with_preview(upload.data)
        similar = () if item or draft else _similar_on_preview(request, community)
        return respond(form, preview=preview, similar=similar)
    if "upload" in request.POST:
        return respond(form_as_typed(upload.data))
    return None
