"""similarity_refresh_many, the batch entry of the similarity job (bulk
loads such as the demo): the rows it writes are those refreshing each item
once all are saved would write, on both matching paths."""

import pytest

from knowledge import similarity
from knowledge.models import Item, ItemKind, ItemSignature, ItemSimilarity
from tests.communities.factories import CommunityFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "How do you hand over the night shift?",
    "Night shift handover checklist",
    "Changeover between the evening and overnight crews",
    "Lockout tagout on the packing line",
    "Kaizen boards that people actually read",
    "Five whys after a near miss",
]


@pytest.fixture
def items(make_item, member, community, private):
    """Items spread over three communities, one of them private."""
    third = CommunityFactory(name="Safety Circle", slug="safety-circle")
    places = [community, private, third]
    return [
        make_item(
            author=member,
            community=places[n % 3],
            kind=ItemKind.QUESTION if n % 2 else ItemKind.PRACTICE,
            title=title,
            tags=["shift-handover"] if "shift" in title.lower() else ["safety"],
        )
        for n, title in enumerate(TITLES)
    ]


def stored():
    signatures = dict(ItemSignature.objects.values_list("item_id", "signature"))
    return {
        row.item_id: (
            row.text_hash,
            row.embedding_model,
            row.related_ids,
            row.embedding,
            signatures.get(row.item_id),
        )
        for row in ItemSimilarity.objects.all()
    }


def assert_same(batch, single):
    assert batch.keys() == single.keys()
    for pk, (text_hash, model, related, vector, signature) in batch.items():
        assert single[pk][:2] == (text_hash, model)
        assert single[pk][4] == signature
        if vector is None:
            assert single[pk][2] == related
            assert single[pk][3] is None
        else:
            # Titles embedded in one padded batch or one by one differ by
            # float32 noise only, which may swap two items scored alike.
            assert (
                max(abs(a - b) for a, b in zip(vector, single[pk][3], strict=True))
                < 1e-5
            )
            assert sorted(single[pk][2]) == sorted(related)


@pytest.mark.parametrize("with_embeddings", [False, True])
def test_refresh_many_writes_what_refreshing_each_item_writes(
    items, settings, with_embeddings
):
    settings.SIMILARITY_EMBEDDINGS = with_embeddings
    ids = [item.pk for item in items]
    assert similarity.similarity_refresh_many(item_ids=ids) == len(ids)
    batch = stored()
    assert set(batch) == set(ids)
    # Ranked with every item's embedding and signature in place: exactly
    # what the ranking gives now.
    for item in items:
        _hash, _model, related, vector, _signature = batch[item.pk]
        assert related == similarity.related_compute(item=item, vector=vector)
    assert any(related for _hash, _model, related, *_rest in batch.values())
    assert ItemSignature.objects.count() == (len(ids) if with_embeddings else 0)
    # Nothing left for the per-item jobs (or a second batch) to do.
    assert similarity.similarity_refresh_many(item_ids=ids) == 0
    assert not any(similarity.similarity_refresh(item_id=pk) for pk in ids)
    # Each item refreshed again on its own, every other row in place.
    for pk in ids:
        assert similarity.similarity_refresh(item_id=pk, force=True) is True
    assert_same(batch, stored())


def test_refresh_many_follows_edits_and_the_setting(items, settings):
    settings.SIMILARITY_EMBEDDINGS = True
    ids = [item.pk for item in items]
    similarity.similarity_refresh_many(item_ids=ids)
    Item.objects.filter(pk=ids[0]).update(title="Visual management boards")
    assert similarity.similarity_refresh_many(item_ids=ids) == 1
    # Off: every row is stale, and the signatures go.
    settings.SIMILARITY_EMBEDDINGS = False
    assert similarity.similarity_refresh_many(item_ids=[*ids, 9_999_999]) == len(ids)
    assert not ItemSignature.objects.exists()
    assert set(ItemSimilarity.objects.values_list("embedding_model", flat=True)) == {""}


@pytest.mark.parametrize(
    ("with_embeddings", "weights"),
    [
        (False, similarity.WEIGHTS_EMBEDDING),
        (True, similarity.WEIGHTS_EMBEDDING),
        # Text features weighed beside the cosine: the nearest are scored too.
        (True, (0.3, 0.2, 0.5)),
    ],
)
def test_related_many_ranks_as_each_item_alone(
    items, make_item, member, community, settings, monkeypatch, with_embeddings, weights
):
    """The batch's candidates are read a few items to a statement without
    their embeddings: each item's still come from its own capped sources
    (monkeypatched down to two rows each, so the caps bite), and candidates
    outside the batch are ranked on their stored embeddings."""
    settings.SIMILARITY_EMBEDDINGS = with_embeddings
    monkeypatch.setattr(similarity, "WEIGHTS_EMBEDDING", weights)
    monkeypatch.setattr(similarity, "CANDIDATES", 2)
    monkeypatch.setattr(similarity, "NEIGHBOURS", 2)
    monkeypatch.setattr(similarity, "RELATED_CHUNK", 4)
    shared = make_item(author=member, community=community, title=TITLES[1])
    shared.shared_from = items[1]
    shared.save(update_fields=["shared_from"])
    ids = [item.pk for item in [*items, shared]]
    similarity.similarity_refresh_many(item_ids=ids)
    vectors = dict(ItemSimilarity.objects.values_list("item_id", "embedding"))
    batch = [Item.objects.get(pk=pk) for pk in ids[::2]]
    related = similarity.related_compute_many(
        items=batch, vectors=[vectors[item.pk] for item in batch]
    )
    assert related == [
        similarity.related_compute(item=item, vector=vectors[item.pk]) for item in batch
    ]
    assert all(len(ids) <= 4 for ids in related)
    assert any(related)
