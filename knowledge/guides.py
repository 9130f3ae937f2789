"""A writing guide for each kind of item: a title, a line on how to use it
and the headings the "Insert template" button adds, each with its prompt.
The prompts stay beside the editor, never in the text, so nothing
prompt-like is published unedited; headings left empty are dropped on
publish (knowledge.forms.without_empty_template_headings)."""

from django.utils.translation import gettext_lazy as _

from knowledge.forms import STORY_SECTIONS
from knowledge.models import ItemKind

GUIDES = {
    ItemKind.STORY: {
        "title": _("Telling a story"),
        "sections": STORY_SECTIONS,
    },
    ItemKind.QUESTION: {
        "title": _("Asking a question"),
        "sections": [
            (_("Context"), _("Where does this come up, and who is affected?")),
            (_("What I tried"), _("What have you tried already, and what happened?")),
            (
                _("What I need"),
                _("What would help most: a method, an example, someone to talk to?"),
            ),
        ],
    },
    ItemKind.PRACTICE: {
        "title": _("Describing a practice"),
        "sections": [
            (_("When to use it"), _("The situation it fits, and where it does not.")),
            (_("How it works"), _("The steps, so a colleague could try it tomorrow.")),
            (_("What it takes"), _("Time, people, tools; what to prepare.")),
            (_("Pitfalls"), _("What went wrong when you first tried it.")),
        ],
    },
    ItemKind.LESSON: {
        "title": _("Writing down a lesson"),
        "sections": [
            (_("What happened"), _("The facts, briefly: when, where, what.")),
            (_("What we learned"), _("The insight, in a sentence or two.")),
            (_("Next time"), _("What you would do differently, and who should know.")),
        ],
    },
    ItemKind.RESOURCE: {
        "title": _("Sharing a resource"),
        "sections": [
            (
                _("What it is"),
                _("A document, tool, course or person: and where to find it."),
            ),
            (_("Who it helps"), _("Which problems or roles it is good for.")),
            (_("How to use it"), _("Where to start; what to skip.")),
        ],
    },
    ItemKind.EXPERIMENT: {
        "title": _("Running an experiment"),
        "sections": [
            (
                _("Why now"),
                _("The problem or the chance behind it, and what we know so far."),
            ),
            (_("Who takes part"), _("Where and with whom it runs; who to ask.")),
            (
                _("Risks"),
                _("What could go wrong, and when we would stop early."),
            ),
        ],
    },
}


def guide_for(kind: str) -> dict:
    """The guide of `kind` (the story guide for an unknown kind)."""
    guide = GUIDES.get(kind) or GUIDES[ItemKind.STORY]
    return {**guide, "kind": kind if kind in GUIDES else ItemKind.STORY}


def kind_template(kind: str) -> str:
    """The headings of `kind`'s guide, to write under."""
    sections = guide_for(kind)["sections"]
    return "\n".join(f"## {heading}\n" for heading, _prompt in sections)


def all_template_headings() -> set[str]:
    return {
        f"## {heading}"
        for guide in GUIDES.values()
        for heading, _p in guide["sections"]
    }


def guides_data() -> dict:
    """Every guide as plain strings, for the editor's script."""
    return {
        str(kind): {
            "title": str(guide["title"]),
            "sections": [[str(h), str(p)] for h, p in guide["sections"]],
        }
        for kind, guide in GUIDES.items()
    }
