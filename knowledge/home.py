"""The knowledge panel on a member's home page: pull, not push
(registered with members.sections, page "home", from KnowledgeConfig.ready())."""

from knowledge import selectors
from knowledge.item_rows import item_rows


def panel(request):
    user = request.user
    if not user.is_authenticated:
        return None
    questions, latest, has_expertise = selectors.home_items(user=user)
    rows = item_rows([*questions, *latest], show_community=True)
    return {
        "template": "knowledge/_home_panel.html",
        "questions": questions,
        "latest": latest,
        "question_rows": rows[: len(questions)],
        "latest_rows": rows[len(questions) :],
        "has_expertise": has_expertise,
    }
