"""Similar and related items.

Candidates come from PostgreSQL: the newest items whose stored full-text
vector matches *any* of the words (a paraphrase rarely repeats all of
them) and, when embeddings are on (knowledge.embeddings), the nearest
neighbours of the text's embedding, found by a scan of the visible items'
signatures (ItemSignature; Hamming distance) and ranked on the exact cosine.
A paraphrase that shares no word with the original is found only by the
second. Candidates are scored on their full-text rank, their title's
trigram similarity (pg_trgm) and the cosine of the titles' embeddings, so
everything still works on text alone.

- similar_items(viewer=, text=, community_id=): "has this been asked?"
  across every community the viewer may see, answered ones first, the
  community it is asked in preferred.
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
from django.db.models import F, FloatField, Func, IntegerField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from communities.access import communities_visible_to
from config.union_reads import ids_by_count, rows_per_part
from knowledge import embeddings
from knowledge.models import (
    BitStringField,
    Item,
    ItemKind,
    ItemSignature,
    ItemSimilarity,
)
from knowledge.selectors.visibility import LIST_RELATED, visible_items
from members.jobs import enqueue_on_commit

_WORD = re.compile(r"[^\W_]{2,}")
# Words of a text used for the candidate query; a title has fewer.
MAX_WORDS = 24
# Rows scored in Python per request: the cost is this, not the match count.
CANDIDATES = 60
# Matches of the words scored per request: the newest this many.
TEXT_CAP = 500
# Matches of the words read from the full-text index before deciding how to
# find the newest TEXT_CAP (_text_candidates).
TEXT_PROBE = 5_000
# Nearest signatures (Hamming) ranked on the exact cosine per request.
NEIGHBOURS = 200
SIMILAR_SHOWN = 5
RELATED_STORED = 20
RELATED_SHOWN = 5
# A full-text rank (normalised by length) this high counts as a full match:
# most of the words in a title. Absolute, so one weak match stays weak.
RANK_FULL = 0.5
# Below this a "similar" item is noise, not worth interrupting an asker for:
# on text alone or MiniLM's cosine alone (knowledge.embeddings)...
SIMILAR_MIN_SCORE = 0.25
# ...and on the two models' cosine, where e5's share lifts every pair (the
# median title pair of the bench is 0.12 on MiniLM, 0.61 on both): as many
# of the bench's paraphrase x item pairs pass this as pass 0.25 on MiniLM
# (13 %), and about as many true duplicates (92.7 % against 92.2 %).
SIMILAR_MIN_SCORE_BOTH = 0.66
# Added to the score of items in the community a question is being asked in
# (for the order only, not the threshold): the same words mean the same
# thing there, and its answers are the asker's context.
SAME_COMMUNITY_BONUS = 0.15
# Hubness correction of the order (not the threshold) with embeddings: each
# candidate's cosine loses half the mean cosine of its CROWDING_K nearest
# fellow candidates (CSLS, Conneau et al. 2018). Questions in a dense topic
# are close to every query about it and otherwise crowd the first five.
CROWDING_K = 5
# Score weights: (full-text rank, trigram similarity, embedding cosine).
# With embeddings, the bonus, k and these were chosen on the even lines of
# bench/duplicates.jsonl and reported on the odd ones (bench.similar_recall):
# the text features added nothing there (its paraphrases share no words by
# design, and the cosine already rises with shared words); they still find
# candidates, and rank alone when the model is unavailable.
WEIGHTS_TEXT = (0.6, 0.4, 0.0)
WEIGHTS_EMBEDDING = (0.0, 0.0, 1.0)


@dataclass
class Match:
    item_id: int
    score: float
    # The order: `score`, less the crowding correction, plus
    # SAME_COMMUNITY_BONUS in the preferred community.
    order: float = 0.0


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


class HammingDistance(Func):
    """Bits that differ between two bit strings of the same length."""

    template = "bit_count(%(expressions)s)"
    arg_joiner = " # "
    output_field = IntegerField()


def _nearest(scope, vector):
    """A subquery: the ids of the NEIGHBOURS items of the ItemSignature
    queryset `scope` whose signatures are nearest `vector`'s. A scan of
    narrow rows (about 100 bytes each), no index."""
    bits = Cast(Value(embeddings.signature(vector)), BitStringField(length=384))
    return (
        scope.annotate(distance=HammingDistance(F("signature"), bits))
        .order_by("distance", "-item_id")
        .values("item_id")[:NEIGHBOURS]
    )


def rank_candidates(
    pool,
    *,
    text: str,
    vector=None,
    limit: int,
    scope=None,
    prefer_community_id: int | None = None,
) -> list[Match]:
    """The `limit` best items of the queryset `pool` for `text`, best first.
    `vector` is the text's embedding (None: text only: one query); with it,
    the nearest neighbours among the ItemSignature queryset `scope` (the
    communities `pool` may hold, or every signature when None) are added
    to the text's candidates (two queries). `pool` decides either way.
    Items of `prefer_community_id` are ordered SAME_COMMUNITY_BONUS higher;
    with embeddings, crowded candidates lower (CROWDING_K)."""
    text = _clean(text)
    sources = _candidate_sources(
        pool, text=text, query=_any_word_query(text), vector=vector, scope=scope
    )
    rows = [
        list(source.values_list(*_COLUMNS, "similarity__embedding"))
        if source is not None
        else []
        for source in sources
    ]
    return _ranked(
        *rows,
        embedding_of={row[0]: row[-1] for source in rows for row in source},
        vector=vector,
        limit=limit,
        prefer_community_id=prefer_community_id,
    )


# A candidate row; `text_order` is what the text's candidates are sorted on.
_COLUMNS = ("id", "rank", "trigram", "community_id", "text_order")


def _clean(text: str) -> str:
    return " ".join(text.split())[:500]


def _candidate_sources(pool, *, text: str, query, vector, scope) -> list:
    """rank_candidates' candidates, as querysets to read _COLUMNS from, in
    _ranked's order: the newest matches of the words (sliced, best first),
    then, with a vector, the items of the nearest signatures. Either is
    left out (None) when there are no words or no vector."""
    sources = [_text_candidates(pool, text=text, query=query) if query else None]
    if vector:
        nearest = pool.filter(
            pk__in=_nearest(
                ItemSignature.objects.all() if scope is None else scope, vector
            )
        )
        if any(WEIGHTS_EMBEDDING[:2]):
            nearest = _scored(nearest, text=text, query=query)
        else:
            # The text features weigh nothing beside the cosine: computing
            # them (ts_rank reads each body's vector) took most of the time.
            zero = Value(0.0, output_field=FloatField())
            nearest = nearest.annotate(rank=zero, trigram=zero, text_order=zero)
        sources.append(nearest)
    return sources


def _ranked(
    text_rows=(),
    nearest_rows=(),
    *,
    embedding_of: dict,
    vector,
    limit: int,
    prefer_community_id: int | None,
) -> list[Match]:
    """The `limit` best of the rows of _candidate_sources (read in any
    order), each candidate's embedding looked up in `embedding_of`."""
    have = {row[0] for row in text_rows}
    rows = sorted(text_rows, key=lambda row: (-row[4], -row[0])) + sorted(
        row for row in nearest_rows if row[0] not in have
    )
    if not rows:
        return []
    weights = WEIGHTS_EMBEDDING if vector else WEIGHTS_TEXT
    if vector:
        vectors = [embedding_of.get(row[0]) for row in rows]
        cosines = embeddings.cosines(vector, vectors)
        crowding = embeddings.crowding(vectors, CROWDING_K)
    else:
        cosines = crowding = [0.0] * len(rows)
    matches = []
    for (pk, rank, trigram, community_id, *_order), cosine, crowded in zip(
        rows, cosines, crowding, strict=True
    ):
        score = (
            weights[0] * min(1.0, (rank or 0.0) / RANK_FULL)
            + weights[1] * (trigram or 0.0)
            + weights[2] * max(0.0, cosine)
        )
        order = score - weights[2] * crowded / 2
        if community_id == prefer_community_id:
            order += SAME_COMMUNITY_BONUS
        matches.append(Match(item_id=pk, score=score, order=order))
    matches.sort(key=lambda match: (-match.order, -match.item_id))
    return matches[:limit]


def _scored(queryset, *, text: str, query):
    """`queryset` annotated with its full-text rank and title trigram
    similarity (the text features of the score)."""
    # Normalised by document length: a long body matching many of the
    # words should not beat a title that says the same thing.
    rank = (
        SearchRank(F("search_vector"), query, normalization=Value(1))
        if query
        else Value(0.0)
    )
    return queryset.annotate(
        rank=rank,
        trigram=TrigramSimilarity("title", text),
        text_order=F("rank") + F("trigram"),
    )


def _text_candidates(pool, *, text: str, query):
    # Only the newest matches of the words are scored: an "any word" query
    # can match most of 300,000 items, and ranking them all takes seconds.
    # Trigram similarity is a feature of these candidates, not a source: a
    # trigram index scan for a sentence reads posting lists of every common
    # trigram.
    matches = pool.filter(search_vector=query)
    probe = matches.values("id", "created_at")
    walk = matches.order_by("-created_at", "-id").values("id")[:TEXT_CAP]
    # The newest are found one of two ways, decided on the real number of
    # matches (ids_by_count): up to TEXT_PROBE matches are read from the
    # full-text index and sorted; more are dense enough for a walk of
    # item_recent that stops at the TEXT_CAP-th. The walk alone read the
    # whole table for words that match little (0.8-1.0 s at 300,000 items,
    # every row's vector tested); the probe costs reading TEXT_PROBE rows
    # for words that match much (5 -> 20 ms).
    sorted_probe = (
        "SELECT id FROM probe ORDER BY created_at DESC, id DESC"  # noqa: S608
        f" LIMIT {TEXT_CAP:d}"
    )
    newest = ids_by_count(
        probe[: TEXT_PROBE + 1],
        [(sorted_probe, f"<= {TEXT_PROBE:d}"), (walk, f"> {TEXT_PROBE:d}")],
    )
    return _scored(Item.objects.filter(pk__in=newest), text=text, query=query).order_by(
        F("text_order").desc(), "-id"
    )[:CANDIDATES]


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


def similar_items(
    *, viewer, text: str, community_id: int | None = None, limit: int = SIMILAR_SHOWN
) -> list[Item]:
    """Items `viewer` may see closest to `text` (a question's title being
    typed in `community_id`, whose items are preferred), answered ones
    first. Two queries, three with embeddings (none for an empty text). Any
    `community_id` is safe: it only orders items the viewer may see."""
    if not _words(text):
        return []
    vector = embeddings.embed_one(text)
    minimum = (
        SIMILAR_MIN_SCORE_BOTH
        if vector and len(vector) > embeddings.DIMENSIONS
        else SIMILAR_MIN_SCORE
    )
    scope = ItemSignature.objects.filter(
        community_id__in=communities_visible_to(viewer).values("pk")
    )
    matches = [
        match
        for match in rank_candidates(
            visible_items(viewer),
            text=text,
            vector=vector,
            limit=limit,
            scope=scope,
            prefer_community_id=community_id,
        )
        if match.score >= minimum
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


def _related_pool(item: Item):
    """The items `item` may be related to, whoever may see them: those of
    other communities, less copies of it (shared from or to it)."""
    family = [pk for pk in (item.pk, item.shared_from_id) if pk is not None]
    return (
        Item.objects.filter(hidden_at__isnull=True)
        .exclude(community_id=item.community_id)
        .exclude(pk__in=family)
        .exclude(shared_from_id__in=family)
    )


def _related_scope(item: Item):
    return ItemSignature.objects.exclude(community_id=item.community_id)


def related_compute(*, item: Item, vector=None) -> list[int]:
    """Ids of the items closest to `item` in other communities, best first,
    whoever may see them: permissions are applied when a viewer reads them.
    Copies of the item (shared from or to it) are not "related"."""
    matches = rank_candidates(
        _related_pool(item),
        text=_related_text(item),
        vector=vector,
        limit=RELATED_STORED,
        scope=_related_scope(item),
    )
    return [match.item_id for match in matches]


# Items whose candidates are read in one statement (two parts each).
RELATED_CHUNK = 50


def related_compute_many(*, items: list[Item], vectors: list) -> list[list[int]]:
    """related_compute for each of `items`, whose embeddings are `vectors`
    (None each when embeddings are off): the same candidates, ranked the
    same way, but read RELATED_CHUNK items to a statement and without their
    embeddings, which are the batch's own or read once for the rest."""
    embedding_of = {
        item.pk: vector
        for item, vector in zip(items, vectors, strict=True)
        if vector is not None
    }
    parts, owners = [], []
    for item, vector in zip(items, vectors, strict=True):
        text = _clean(_related_text(item))
        for n, source in enumerate(
            _candidate_sources(
                _related_pool(item),
                text=text,
                query=_any_word_query(text),
                vector=vector,
                scope=_related_scope(item),
            )
        ):
            if source is not None:
                parts.append(source.values_list(*_COLUMNS))
                owners.append((item.pk, n))
    rows = {item.pk: ([], []) for item in items}
    for (item_id, n), found in zip(
        owners, rows_per_part(parts, per_statement=2 * RELATED_CHUNK), strict=True
    ):
        rows[item_id][n].extend(found)
    missing = {
        row[0]
        for found in rows.values()
        for source in found
        for row in source
        if row[0] not in embedding_of
    }
    embedding_of.update(
        ItemSimilarity.objects.filter(item_id__in=missing).values_list(
            "item_id", "embedding"
        )
    )
    return [
        [
            match.item_id
            for match in _ranked(
                *rows[item.pk],
                embedding_of=embedding_of,
                vector=vector,
                limit=RELATED_STORED,
                prefer_community_id=None,
            )
        ]
        for item, vector in zip(items, vectors, strict=True)
    ]


@transaction.atomic
def similarity_refresh(*, item_id: int, force: bool = False) -> bool:
    """Compute an item's embedding, signature and related items. Idempotent: with the
    same title, tags, community and model it does nothing unless `force`
    (the sweep uses it to take newer items into account). Returns whether
    it wrote."""
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        return False
    model = embeddings.model_name()
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
    if vector:
        ItemSignature.objects.update_or_create(
            item_id=item_id,
            defaults={
                "community_id": item.community_id,
                "signature": embeddings.signature(vector),
            },
        )
    else:
        ItemSignature.objects.filter(item_id=item_id).delete()
    return True


@transaction.atomic
def similarity_refresh_many(*, item_ids, force: bool = False) -> int:
    """similarity_refresh for many items at once (a bulk load: the demo):
    their titles embedded in one batch, and every embedding and signature
    written before any related items are ranked, so each item's neighbours
    include the others of the batch. The same rows as refreshing each item
    once all are saved; the per-item jobs then find nothing to do. Returns
    how many it wrote."""
    items = list(Item.objects.filter(pk__in=list(item_ids)).order_by("pk"))
    model = embeddings.model_name()
    stored = dict(
        ItemSimilarity.objects.select_for_update()
        .filter(item_id__in=[item.pk for item in items])
        .values_list("item_id", "text_hash")
    )
    hashes = {item.pk: _text_hash(item, model) for item in items}
    items = [item for item in items if force or stored.get(item.pk) != hashes[item.pk]]
    if not items:
        return 0
    ids = [item.pk for item in items]
    vectors = (embeddings.embed([item.title for item in items]) if model else None) or [
        None
    ] * len(items)
    if model:
        ItemSignature.objects.bulk_create(
            [
                ItemSignature(
                    item_id=item.pk,
                    community_id=item.community_id,
                    signature=embeddings.signature(vector),
                )
                for item, vector in zip(items, vectors, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["item"],
            update_fields=["community", "signature"],
        )
    else:
        ItemSignature.objects.filter(item_id__in=ids).delete()
    # Embeddings first: ranking reads the candidates' vectors from these rows.
    rows = ItemSimilarity.objects.bulk_create(
        [
            ItemSimilarity(
                item_id=item.pk,
                text_hash=hashes[item.pk],
                embedding_model=model,
                embedding=vector,
                related_ids=[],
                computed_at=timezone.now(),
            )
            for item, vector in zip(items, vectors, strict=True)
        ],
        update_conflicts=True,
        unique_fields=["item"],
        update_fields=[
            "text_hash",
            "embedding_model",
            "embedding",
            "related_ids",
            "computed_at",
        ],
    )
    related = related_compute_many(items=items, vectors=vectors)
    for row, related_ids in zip(rows, related, strict=True):
        row.related_ids = related_ids
    ItemSimilarity.objects.bulk_update(rows, ["related_ids"], batch_size=500)
    return len(items)


def similarity_refresh_later(*, item_id: int) -> None:
    """Enqueue the refresh in the caller's transaction (the outbox)."""
    enqueue_on_commit("knowledge.similarity_refresh", item_id=item_id)


def items_needing_similarity(*, limit: int) -> list[int]:
    """Items without a similarity row, or with one from another model
    setting: what the sweep and `similarity_backfill` compute."""
    model = embeddings.model_name()
    missing = Item.objects.filter(similarity__isnull=True)
    stale = Item.objects.filter(similarity__isnull=False).exclude(
        similarity__embedding_model=model
    )
    ids = list(missing.order_by("-id").values_list("pk", flat=True)[:limit])
    if len(ids) < limit:
        ids += stale.order_by("-id").values_list("pk", flat=True)[: limit - len(ids)]
    return ids


def related_for(
    *, item: Item, viewer, limit: int = RELATED_SHOWN, stored=None
) -> list[Item]:
    """ "How others handle this": the stored neighbours of `item` that
    `viewer` may see now, in other communities, best first. Two queries
    (one when the caller passes the `stored` ids, none when there are none)."""
    if stored is None:
        stored = (
            ItemSimilarity.objects.filter(item_id=item.pk)
            .values_list("related_ids", flat=True)
            .first()
        )
    if not stored:
        return []
    visible = visible_items(viewer).exclude(community_id=item.community_id)
    return _rows_in_order(stored, visible.select_related("community"))[:limit]
