"""The knowledge panel on a member's home page: pull, not push
(registered with members.sections, page "home", from KnowledgeConfig.ready())."""

from knowledge import selectors
from knowledge.item_rows import item_rows


def panel(request):
    user = request.user
    if not user.is_authenticated:
        return None
    questions = selectors.questions_you_could_answer(user=user)
    latest = selectors.latest_in_my_communities(user=user)
    return {
        "template": "knowledge/_home_panel.html",
        "questions": questions,
        "latest": latest,
        "question_rows": item_rows(questions, show_community=True),
        "latest_rows": item_rows(latest, show_community=True),
        "has_expertise": bool(questions) or user.expertise.exists(),
    }
