"""A label ("Peer coaching", "Line leader") inside a sentence: lower case in
English and French, as it was; German keeps its capital, since German nouns
are capitalised ("bietet Peer-Coaching an", not "peer-coaching")."""

from django.utils.functional import lazy
from django.utils.translation import get_language

# Languages whose nouns keep their capital inside a sentence.
_CAPITALISED_NOUNS = {"de"}


def in_sentence(label) -> str:
    text = str(label)
    language = (get_language() or "en").split("-")[0]
    return text if language in _CAPITALISED_NOUNS else text.lower()


# in_sentence() deferred until the text is rendered, e.g. in a notification's
# recipient's language rather than the language of whoever triggered it.
in_sentence_lazy = lazy(in_sentence, str)
