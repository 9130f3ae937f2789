"""Similar and related items.

Candidates come from PostgreSQL: the newest items whose stored full-text
vector matches *any* of the words (a paraphrase rarely repeats all of
them). They are scored on their full-text rank and their title's trigram
similarity (pg_trgm), plus
the cosine of the titles' sentence embeddings when embeddings are on
(knowledge.embeddings), so everything still works on text alone.

- similar_items(viewer=, text=): "has this been asked?" across every
  community the viewer may see, answered ones first.
- related_for(item=, viewer=): "how others handle this", read from the
  neighbours a job stored (related_compute); the viewer's permissions are
  applied when reading, never when storing.
"""

import hashlib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.db import transaction
from django.db.models import F, Value
from django.utils import timezone

from knowledge import embeddings
from knowledge.models import Item, ItemKind, ItemSimilarity
from knowledge.selectors.visibility import LIST_RELATED, visible_items
from members.jobs import enqueue_on_commit

_WORD = re.compile(r"[^\W_]{2,}")
# Words of a text used for the candidate query; a title has fewer.
MAX_WORDS = 24
# Rows scored in Python per request: the cost is this, not the match count.
CANDIDATES = 60
# Matches of the words scored per request: the newest this many.
TEXT_CAP = 500
SIMILAR_SHOWN = 5
RELATED_STORED = 20
RELATED_SHOWN = 5
# A full-text rank (normalised by length) this high counts as a full match:
# most of the words in a title. Absolute, so one weak match stays weak.
RANK_FULL = 0.5
# Below this a "similar" item is noise, not worth interrupting an asker for.
SIMILAR_MIN_SCORE = 0.25
# Score weights: (full-text rank, trigram similarity, embedding cosine).
WEIGHTS_TEXT = (0.6, 0.4, 0.0)
WEIGHTS_EMBEDDING = (0.35, 0.25, 0.4)


@dataclass
class Match:
    item_id: int
    score: float


def _words(text: str) -> list[str]:
    seen = []
    for word in _WORD.findall(text.lower()):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def _any_word_query(text: str) -> SearchQuery | None:
    """`a | b | c` over the text's words, stemmed; only letters and digits
    reach the raw query, so nothing typed is read as an operator."""
    words = _words(text)
    if not words:
        return None
    return SearchQuery(" | ".join(words), search_type="raw", config="english")


def rank_candidates(pool, *, text: str, vector=None, limit: int) -> list[Match]:
    """The `limit` best items of the queryset `pool` for `text`, best first.
    One query; `vector` is the text's embedding (None: text only)."""
    text = " ".join(text.split())[:500]
    query = _any_word_query(text)
    if query is None:
        return []
    # Only the newest matches of the words are scored (an index walk that
    # stops early, as search does): an "any word" query can match most of
    # 300,000 items, and ranking them all takes seconds. Trigram similarity
    # is a feature of these candidates, not a source: a trigram index scan
    # for a sentence reads posting lists of every common trigram.
    newest = (
        pool.filter(search_vector=query)
        .order_by("-created_at", "-id")
        .values("id")[:TEXT_CAP]
    )
    rows = (
        Item.objects.filter(pk__in=newest)
        .annotate(
            # Normalised by document length: a long body matching many of the
            # words should not beat a title that says the same thing.
            rank=SearchRank(F("search_vector"), query, normalization=Value(1)),
            trigram=TrigramSimilarity("title", text),
        )
        .order_by((F("rank") + F("trigram")).desc(), "-id")
        .values_list("id", "rank", "trigram", "similarity__embedding")[:CANDIDATES]
    )
    rows = list(rows)
    if not rows:
        return []
    weights = WEIGHTS_EMBEDDING if vector else WEIGHTS_TEXT
    matches = []
    for pk, rank, trigram, embedding in rows:
        cosine = max(0.0, embeddings.cosine(vector, embedding)) if vector else 0.0
        score = (
            weights[0] * min(1.0, (rank or 0.0) / RANK_FULL)
            + weights[1] * (trigram or 0.0)
            + weights[2] * cosine
        )
        matches.append(Match(item_id=pk, score=score))
    matches.sort(key=lambda match: (-match.score, -match.item_id))
    return matches[:limit]


def _answered_tier(item: Item) -> int:
    """Accepted answers first, then what already holds knowledge (a reply,
    or a story, practice, lesson or resource), open unanswered questions last."""
    if item.accepted_reply_id is not None:
        return 0
    if item.kind != ItemKind.QUESTION or item.reply_count:
        return 1
    return 2


def _rows_in_order(ids: list[int], queryset) -> list[Item]:
    by_id = {item.pk: item for item in queryset.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def similar_items(*, viewer, text: str, limit: int = SIMILAR_SHOWN) -> list[Item]:
    """Items `viewer` may see closest to `text` (a question's title being
    typed), answered ones first. Two queries (none for an empty text)."""
    if not _words(text):
        return []
    vector = embeddings.embed_one(text)
    matches = [
        match
        for match in rank_candidates(
            visible_items(viewer), text=text, vector=vector, limit=limit
        )
        if match.score >= SIMILAR_MIN_SCORE
    ]
    items = _rows_in_order(
        [match.item_id for match in matches],
        Item.objects.select_related(*LIST_RELATED),
    )
    # sorted() is stable: within a tier, the closest first.
    return sorted(items, key=_answered_tier)


# --- Related across communities ----------------------------------------------


def _related_text(item: Item) -> str:
    return f"{item.title} {item.tag_names.replace('-', ' ')}"


def _text_hash(item: Item, model: str) -> str:
    text = f"{model}\n{item.title}\n{item.tag_names}\n{item.community_id}"
    return hashlib.sha256(text.encode()).hexdigest()


def related_compute(*, item: Item, vector=None) -> list[int]:
    """Ids of the items closest to `item` in other communities, best first,
    whoever may see them: permissions are applied when a viewer reads them.
    Copies of the item (shared from or to it) are not "related"."""
    family = [pk for pk in (item.pk, item.shared_from_id) if pk is not None]
    pool = (
        Item.objects.filter(hidden_at__isnull=True)
        .exclude(community_id=item.community_id)
        .exclude(pk__in=family)
        .exclude(shared_from_id__in=family)
    )
    matches = rank_candidates(
        pool, text=_related_text(item), vector=vector, limit=RELATED_STORED
    )
    return [match.item_id for match in matches]


@transaction.atomic
def similarity_refresh(*, item_id: int, force: bool = False) -> bool:
    """Compute an item's embedding and related items. Idempotent: with the
    same title, tags, community and model it does nothing unless `force`
    (the sweep uses it to take newer items into account). Returns whether
    it wrote."""
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        return False
    model = embeddings.MODEL_NAME if embeddings.enabled() else ""
    text_hash = _text_hash(item, model)
    row = ItemSimilarity.objects.select_for_update().filter(item_id=item_id).first()
    if not force and row is not None and row.text_hash == text_hash:
        return False
    vector = embeddings.embed_one(item.title) if model else None
    ItemSimilarity.objects.update_or_create(
        item_id=item_id,
        defaults={
            "text_hash": text_hash,
            "embedding_model": model,
            "embedding": vector,
            "related_ids": related_compute(item=item, vector=vector),
            "computed_at": timezone.now(),
        },
    )
    return True


def similarity_refresh_later(*, item_id: int) -> None:
    """Enqueue the refresh in the caller's transaction (the outbox)."""
    enqueue_on_commit("knowledge.similarity_refresh", item_id=item_id)


def items_needing_similarity(*, limit: int) -> list[int]:
    """Items without a similarity row, or with one from another model
    setting: what the sweep and `similarity_backfill` compute."""
    model = embeddings.MODEL_NAME if embeddings.enabled() else ""
    missing = Item.objects.filter(similarity__isnull=True)
    stale = Item.objects.filter(similarity__isnull=False).exclude(
        similarity__embedding_model=model
    )
    ids = list(missing.order_by("-id").values_list("pk", flat=True)[:limit])
    if len(ids) < limit:
        ids += stale.order_by("-id").values_list("pk", flat=True)[: limit - len(ids)]
    return ids


def related_for(*, item: Item, viewer, limit: int = RELATED_SHOWN) -> list[Item]:
    """ "How others handle this": the stored neighbours of `item` that
    `viewer` may see now, in other communities, best first. Two queries."""
    stored = (
        ItemSimilarity.objects.filter(item_id=item.pk)
        .values_list("related_ids", flat=True)
        .first()
    )
    if not stored:
        return []
    visible = visible_items(viewer).exclude(community_id=item.community_id)
    return _rows_in_order(stored, visible.select_related("community"))[:limit]
