"""The one tag normaliser (members.tags): canonical names, one length and one
count limit, the same for forms, services and taggit's own (admin) input."""

import random

import pytest
from django import forms
from django.core.exceptions import ValidationError
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

from members.forms import TagListField
from members.tags import (
    MAX_TAG_LENGTH,
    MAX_TAGS,
    tag_normalise,
    tags_normalise,
    tags_parse,
    tags_to_string,
)

CANONICAL = [
    ("shift-handover", "shift-handover"),
    ("Shift Handover", "shift-handover"),
    ("shift_handover", "shift-handover"),
    ("  shift  -  handover  ", "shift-handover"),
    ("SHIFT\u2013HANDOVER", "shift-handover"),  # en dash
    ("shift\u00a0handover", "shift-handover"),  # no-break space
    ("shift\thandover\n", "shift-handover"),
    ("__shift__handover__", "shift-handover"),
    ("CI/CD", "ci-cd"),
    ("a,b", "a-b"),
    ('"lean"', "lean"),
    ("ＬＥＡＮ", "lean"),  # full-width, NFKC
    ("\ufb01re safety", "fire-safety"),  # the "fi" ligature, NFKC
    ("zero\u200bwidth", "zerowidth"),  # a format character is dropped
    ("bell\x07", "bell"),  # a control character is dropped
    ("Straße", "straße"),  # lower(), not casefold()
    ("C#", "c#"),
    (".NET", ".net"),
    ("5S", "5s"),
    ("", ""),
    ("   ", ""),
    ("-_-", ""),
    ("..", ""),  # a URL segment of dots only is no tag page
    (None, ""),
]


@pytest.mark.parametrize(("typed", "canonical"), CANONICAL)
def test_tag_normalise_gives_the_canonical_name(typed, canonical):
    assert tag_normalise(typed) == canonical


@pytest.mark.parametrize("typed", [typed for typed, _ in CANONICAL if typed])
def test_tag_normalise_is_idempotent(typed):
    once = tag_normalise(typed)
    assert tag_normalise(once) == once


def test_tag_normalise_cuts_to_the_length_limit_without_a_trailing_hyphen():
    name = tag_normalise("a" * (MAX_TAG_LENGTH - 1) + " bcd")
    assert name == "a" * (MAX_TAG_LENGTH - 1)
    assert len(tag_normalise("x" * 500)) == MAX_TAG_LENGTH
    assert tag_normalise(name) == name


def test_tags_normalise_dedupes_sorts_and_keeps_to_the_count_limit():
    assert tags_normalise(["Shift Handover", "shift_handover", "", None, "Lean"]) == [
        "lean",
        "shift-handover",
    ]
    many = [f"topic {n:02d}" for n in range(MAX_TAGS + 5)]
    assert tags_normalise(many) == [f"topic-{n:02d}" for n in range(MAX_TAGS)]
    assert tags_normalise(None) == []


def test_tags_parse_splits_on_commas_only():
    assert tags_parse("Shift Handover") == ["shift-handover"]
    assert tags_parse("Lean, shift handover,\nSAFETY, lean,, ") == [
        "lean",
        "safety",
        "shift-handover",
    ]
    assert tags_parse("") == []
    assert tags_parse(None) == []


def test_tags_parse_accepts_exactly_the_limits():
    names = [f"t{n}" for n in range(MAX_TAGS - 1)] + ["x" * MAX_TAG_LENGTH]
    assert len(tags_parse(", ".join(names))) == MAX_TAGS


def test_tags_parse_refuses_too_many_tags():
    with pytest.raises(ValidationError) as caught:
        tags_parse(", ".join(f"t{n}" for n in range(MAX_TAGS + 1)))
    assert caught.value.code == "too_many_tags"
    assert f"At most {MAX_TAGS} tags" in caught.value.messages[0]


def test_tags_parse_refuses_a_too_long_tag_and_names_it():
    long_one = "Very " * 10
    with pytest.raises(ValidationError) as caught:
        tags_parse(f"lean, {long_one}")
    assert caught.value.code == "tag_too_long"
    message = caught.value.messages[0]
    assert f"{MAX_TAG_LENGTH} characters" in message
    assert f"“{'-'.join(['very'] * 10)}”" in message


def test_duplicates_count_once_against_the_limit():
    typed = ", ".join(["Lean", "lean", "LEAN"] * 5)
    assert tags_parse(typed) == ["lean"]


class _Form(forms.Form):
    tags = TagListField(required=False)


def test_tag_list_field_error_keeps_what_was_typed():
    typed = ", ".join(f"Topic {n}" for n in range(MAX_TAGS + 2))
    form = _Form({"tags": typed})
    assert not form.is_valid()
    assert f"At most {MAX_TAGS} tags" in form.errors["tags"][0]
    assert form["tags"].value() == typed
    assert typed in str(form["tags"])


def test_tag_list_field_shows_stored_tags_for_editing():
    form = _Form(initial={"tags": [Tag(name="shift-handover"), Tag(name="lean")]})
    assert form["tags"].value() == "lean, shift-handover"
    assert tags_to_string(["b", "a"]) == "a, b"


def test_taggit_own_tag_input_parses_the_same_way():
    """The admin's taggit TagField reads settings.TAGGIT_TAGS_FROM_STRING."""
    assert parse_tags("Shift Handover, Lean") == ["lean", "shift-handover"]
    assert edit_string_for_tags([Tag(name="shift-handover")]) == "shift-handover"


def test_a_name_cut_to_dots_only_is_no_name():
    assert tag_normalise("." * MAX_TAG_LENGTH + "-x") == ""


def test_tag_normalise_is_idempotent_on_random_unicode():
    """Seeded: ASCII, symbols, compatibility forms and combining marks, where
    dropping a character can bring marks together."""
    rng = random.Random(10)
    ranges = [(32, 127), (128, 0x2FFF), (0xF900, 0xFFEF), (0x300, 0x36F)]
    for _ in range(5_000):
        typed = "".join(
            chr(rng.randint(*rng.choice(ranges))) for _ in range(rng.randint(0, 60))
        )
        once = tag_normalise(typed)
        assert tag_normalise(once) == once, typed
        assert len(once) <= MAX_TAG_LENGTH
