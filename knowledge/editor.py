"""The item editor's extra buttons, all plain form submits that work without
JavaScript and keep everything typed: "Insert template" (the headings of the
chosen kind's guide), "Preview" (the text rendered as it will be published)
and the writing guide shown beside the text for the chosen kind."""

from knowledge.forms import ItemForm, without_empty_template_headings
from knowledge.guides import guide_for, kind_template
from knowledge.models import ItemKind
from members.markup import markdown_to_html


def _typed(request) -> dict:
    data = request.POST.dict()
    data.pop("csrfmiddlewaretoken", None)
    return data


def form_with_template(request) -> ItemForm:
    """Keep what was typed, add the template of the kind the button names
    (or the chosen kind) under the text."""
    data = _typed(request)
    kind = data.get("insert_template")
    if kind not in ItemKind.values:
        kind = data.get("kind") if data.get("kind") in ItemKind.values else "story"
    body = data.get("body", "").rstrip()
    template = kind_template(kind)
    data["body"] = f"{body}\n\n{template}" if body else template
    data["kind"] = data.get("kind") or kind
    return ItemForm(initial=data)


def form_with_preview(request) -> tuple[ItemForm, str]:
    """The form as typed, and its text rendered as it would be published."""
    data = _typed(request)
    body = without_empty_template_headings(data.get("body", ""))
    return ItemForm(initial=data), markdown_to_html(body)


def editor_context(form) -> dict:
    """The guide for the kind the form shows."""
    kind = form.data.get("kind") if form.is_bound else form.initial.get("kind")
    return {"guide": guide_for(kind or ItemKind.STORY)}
