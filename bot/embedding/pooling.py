"""Mean pooling over token states, and batches sized in tokens: shared by every encoder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from bot.embedding.model import INPUT_NAMES

# A batch holds at most this many texts, however short: past it the per-text work outweighs the
# larger matrix products.
MAX_BATCH_ROWS = 256
# Batches are padded to a multiple of this many tokens and, in a build, the last one to the full
# number of rows, so a build meets at most a few dozen batch shapes whatever the corpus size.
# oneDNN keeps kernels and the heap keeps buffers for every shape met: with exact shapes, an
# indexer's memory grew by about 7 MB per 2,048 texts embedded; with these, it stays flat, about
# 200 MB lower, at the same speed within noise (2,048-text steps of generated texts,
# 2026-12-05, docs/index-memory.md).
LENGTH_STEP = 8


def token_sums(hidden: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the sum of the real tokens' states and how many there are."""
    weights = mask.astype(np.float32)
    return np.einsum("bsd,bs->bd", hidden, weights), weights.sum(axis=1)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32."""
    norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return (vectors / norms).astype(np.float32, copy=False)


def mean_vectors(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Mean pooling, then L2 normalisation: what the Pooling and Normalize modules do."""
    return normalise(sums / np.maximum(counts, 1e-9)[:, None])


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return mean_vectors(*token_sums(hidden, mask))


def pad(encodings: list[Any], length: int) -> dict[str, np.ndarray]:
    arrays = {n: np.zeros((len(encodings), length), dtype=np.int64) for n in INPUT_NAMES}
    for row, e in enumerate(encodings):
        n = len(e.ids)
        arrays["input_ids"][row, :n] = e.ids
        arrays["attention_mask"][row, :n] = e.attention_mask
        arrays["token_type_ids"][row, :n] = e.type_ids
    return arrays


def padded_batches(
    encodings: list[Any], max_tokens: int, fill: bool = False
) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """Row indexes and padded input arrays, longest texts first, each batch at most `max_tokens`
    tokens with its padding: short sentences go many to a batch and long passages few, so every
    batch is one large matrix product with little padding (fixed-size batches of short
    sentences left this CPU half idle). A batch's shape depends only on its longest text's
    length, rounded up to `LENGTH_STEP`: with `fill`, a short last batch is filled with copies of
    its last text, so the arrays may have more rows than the indexes; those extra rows are not
    results. Only a build asks for it (its memory stays flat over thousands of batches); for the
    few texts of a question filling would multiply the work, so a batch holds only its texts."""
    order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
    start = 0
    while start < len(order):
        longest = max(len(encodings[order[start]].ids), 1)
        length = -(-longest // LENGTH_STEP) * LENGTH_STEP
        size = max(1, min(MAX_BATCH_ROWS, max_tokens // length))
        rows = order[start : start + size]
        start += len(rows)
        texts = [encodings[i] for i in rows]
        filler = texts[-1:] * (size - len(texts)) if fill else []
        yield rows, pad(texts + filler, length)


def batches(
    encodings: list[Any], max_tokens: int, progress: bool, fill: bool = False
) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """`padded_batches`, with a progress bar when asked (its total counts no padding)."""
    planned = padded_batches(encodings, max_tokens, fill)
    if not progress:
        return planned
    from tqdm import tqdm

    total = sum(len(e.ids) for e in encodings) // max_tokens + 1
    return tqdm(planned, desc="Embedding", unit="batch", total=total)
