"""The one tag vocabulary. Expertise, interests, community topics, mentoring
topics and knowledge tags are all taggit tags in one table, and they only
match (questions you could answer, who could answer, mentor suggestions)
when the same idea is stored under the same name. Every form and every
service that sets tags goes through here.

The canonical name: NFKC, lower-case, control characters dropped, runs of
whitespace, underscores, dashes, slashes and commas collapsed to one hyphen,
no hyphen at either end, at most MAX_TAG_LENGTH characters. So "Shift
Handover", "shift_handover" and "shift - handover" are all "shift-handover".
lower(), not casefold(): "Straße" stays as typed. A name is also a URL segment
on its tag page, hence no slash, and a name of dots only is no name.
"""

import re
import unicodedata
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config import compiled_queries

# One limit each, for every kind of tag. MAX_TAGS names of MAX_TAG_LENGTH
# fit knowledge's space-joined Item.tag_names (500); a test keeps it so.
MAX_TAGS = 10
MAX_TAG_LENGTH = 40

_SEPARATORS = re.compile(r"[\s_,/\-\u2010-\u2015\u2212]+")


def _canonical(name: str) -> str:
    """The canonical form, before the length cut."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = "".join(
        ch
        for ch in text
        if ch.isspace() or (unicodedata.category(ch)[0] != "C" and ch != '"')
    )
    text = _SEPARATORS.sub("-", text).strip("-")
    # Again: dropping a character can bring combining marks together.
    return unicodedata.normalize("NFKC", text).lower()


def _named(text: str) -> str:
    # "." and ".." as a URL segment would be resolved away by the browser.
    return text if text.strip(".") else ""


def tag_normalise(name: str) -> str:
    """One tag's canonical name ("" when nothing is left). Idempotent."""
    return _named(_canonical(name)[:MAX_TAG_LENGTH].rstrip("-"))


def tags_normalise(names) -> list[str]:
    """Canonical, de-duplicated, sorted names, cut to the limits. For services:
    whoever calls them (a form, a task, the admin, the demo) stores the same
    names. Forms reject what does not fit instead (tags_parse)."""
    cleaned = {tag_normalise(name) for name in names or ()}
    cleaned.discard("")
    return sorted(cleaned)[:MAX_TAGS]


def tags_parse(text: str) -> list[str]:
    """What a member typed ("Lean, shift handover") -> canonical sorted names.
    Only commas (or new lines) separate tags: "shift handover" is one tag.
    Raises ValidationError naming the limit when there are too many tags or
    one is too long, so a form can say so and keep what was typed."""
    names = {_named(_canonical(piece)) for piece in re.split(r"[,\n]", text or "")}
    names.discard("")
    too_long = sorted(name for name in names if len(name) > MAX_TAG_LENGTH)
    if too_long:
        raise ValidationError(
            _("Keep each tag to %(max)d characters or fewer (“%(tag)s” is longer).")
            % {"max": MAX_TAG_LENGTH, "tag": too_long[0]},
            code="tag_too_long",
        )
    if len(names) > MAX_TAGS:
        raise ValidationError(
            ngettext(
                "At most %(max)d tag, please.",
                "At most %(max)d tags, please.",
                MAX_TAGS,
            )
            % {"max": MAX_TAGS},
            code="too_many_tags",
        )
    return sorted(names)


def tags_to_string(tags) -> str:
    """Tags (or names) back into the text a member edits."""
    return ", ".join(sorted(getattr(tag, "name", tag) for tag in tags))


# --- Re-normalising stored tags -------------------------------------------


def tags_of(link_model, object_ids) -> dict[int, list[tuple[str, str]]]:
    """{object id: [(tag slug, name), ...] by name} of `link_model` (a
    taggit through model: ExpertiseTag, CommunityTag, ...) in one short
    query; taggit's prefetch of the same cost ~4.7 ms of CPU for a page of 20.
    Compiled once per process (config.compiled_queries): building the ORM's
    query cost ~0.8 ms of the directory's CPU, running it ~0.1 ms."""
    found = {pk: [] for pk in object_ids}
    if found:
        for pk, slug, name in compiled_queries.rows(
            f"tags-of:{link_model._meta.label}",
            lambda ids: _tags_query(link_model, ids),
            ids=compiled_queries.id_array(found),
        ):
            found[pk].append((slug, name))
    return found


def _tags_query(link_model, ids: str):
    return (
        link_model.objects.filter(compiled_queries.any_of("content_object_id", ids))
        .order_by("tag__name", "tag_id")
        .values_list("content_object_id", "tag__slug", "tag__name")
    )


def _links(tag_model) -> list:
    """Every foreign key to a tag (taggit's through models, whatever else):
    all of them, since deleting a merged tag would cascade to a link left
    behind."""
    return [
        (rel.related_model, rel.field)
        for rel in tag_model._meta.related_objects
        if rel.one_to_many
    ]


def _object_key(link_model) -> list[str]:
    """The columns naming the tagged object: a foreign key (TaggedItemBase
    subclasses) or taggit's generic content type and id; else the row."""
    names = {field.name for field in link_model._meta.concrete_fields}
    if "content_object" in names:
        return ["content_object_id"]
    if {"content_type", "object_id"} <= names:
        return ["content_type_id", "object_id"]
    return ["pk"]


def _free_slug(tag_model, name: str, *, pk) -> str:
    """taggit's slug for `name` (its own "_1" suffix on a clash)."""
    base = slugify(name, allow_unicode=True)[:90] or "tag"
    taken = set(
        tag_model.objects.filter(slug__startswith=base)
        .exclude(pk=pk)
        .values_list("slug", flat=True)
    )
    slug, i = base, 0
    while slug in taken:
        i += 1
        slug = f"{base}_{i}"
    return slug


def tags_renormalise(*, tag_model) -> dict:
    """Rename every stored tag to its canonical name. Tags that become the same
    name merge into one (the one already so named, else the oldest): their
    links move to it, except a link the object already has to it, which is
    dropped, so no object carries a tag twice. Tags with nothing left of
    their name are deleted with their links. Works on the real models and on
    a migration's historical ones (pass apps.get_model("taggit", "Tag")).
    Returns counts of what changed."""
    counts = defaultdict(int)
    links = _links(tag_model)
    groups = defaultdict(list)
    for tag in tag_model.objects.order_by("pk"):
        groups[tag_normalise(tag.name)].append(tag)

    empty = groups.pop("", [])
    if empty:
        tag_model.objects.filter(pk__in=[t.pk for t in empty]).delete()
        counts["deleted"] = len(empty)

    for name, tags in groups.items():
        if len(tags) == 1 and tags[0].name == name:
            continue
        keep = next((t for t in tags if t.name == name), tags[0])
        merged = [t.pk for t in tags if t is not keep]
        if merged:
            for link_model, field in links:
                moved, dropped = _links_move(link_model, field, merged, keep.pk)
                counts["links_moved"] += moved
                counts["links_dropped"] += dropped
            tag_model.objects.filter(pk__in=merged).delete()
            counts["merged"] += len(merged)
        # Merging may have freed the clean slug ("shift-handover" for a
        # survivor that had to take "shift-handover_1").
        slug = _free_slug(tag_model, name, pk=keep.pk)
        if keep.name != name:
            counts["renamed"] += 1
        if (keep.name, keep.slug) != (name, slug):
            keep.name, keep.slug = name, slug
            keep.save(update_fields=["name", "slug"])
    return {what: n for what, n in counts.items() if n}


def _links_move(link_model, field, from_tag_ids, to_tag_id) -> tuple[int, int]:
    key = _object_key(link_model)
    has = set(link_model.objects.filter(**{field.attname: to_tag_id}).values_list(*key))
    move, drop = [], []
    rows = link_model.objects.filter(**{f"{field.attname}__in": from_tag_ids})
    for pk, *obj in rows.order_by("pk").values_list("pk", *key):
        obj = tuple(obj)
        if obj in has:
            drop.append(pk)
        else:
            has.add(obj)
            move.append(pk)
    if move:
        link_model.objects.filter(pk__in=move).update(**{field.attname: to_tag_id})
    if drop:
        link_model.objects.filter(pk__in=drop).delete()
    return len(move), len(drop)
