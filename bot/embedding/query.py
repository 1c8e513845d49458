"""The query encoder: questions through onnxruntime from the export, sentence-transformers as
the reference and the fallback."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.config import Config, Model
from bot.embedding.export import query_model_path
from bot.embedding.model import max_seq_length, tokenizer, uses_mean_pooling
from bot.embedding.pooling import batches, mean_pool, pad

log = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 1024


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        ...


class SentenceTransformerEncoder:
    """The reference encoder (sentence-transformers, float32): what the other two are tested
    against, and what questions fall back to when there is no ONNX export."""

    def __init__(self, model_path: str, batch_size: int = 16) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32)


class OnnxEncoder:
    """Questions through onnxruntime + tokenizers: sentence-transformers' vectors without torch.

    Same truncation as the indexer (max_seq_length), mean pooling over the attention mask and L2
    normalisation. A single text is run unpadded and its vector kept in a bounded LRU, so example
    questions and repeats cost nothing; batches are sorted by length and padded per batch.
    Thread safe: onnxruntime sessions and tokenizers allow concurrent calls, the cache is locked.
    """

    def __init__(
        self,
        onnx_path: str | Path,
        model_path: str,
        batch_tokens: int = 2048,
        threads: int = 2,
        cache_size: int = QUERY_CACHE_SIZE,
    ) -> None:
        import onnxruntime as ort

        if not uses_mean_pooling(model_path):
            raise ValueError(f"{model_path} does not use plain mean pooling")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        # Two sessions answer each question (retrieval and safety): threads that spin after a
        # run starve the other session's on 2 cores (22 against 11 ms for both, one after the
        # other; 8 against 6 ms run side by side with a thread each).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        self.max_length = max_seq_length(model_path)
        self.tokenizer = tokenizer(model_path)
        self.batch_tokens = batch_tokens
        self.cache_size = cache_size
        self.hits = 0
        self.misses = 0
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """One L2-normalised float32 row per text, shape (len(texts), dimension)."""
        if isinstance(texts, str):
            texts = [texts]
        texts = list(texts)
        if len(texts) == 1:
            return self._encode_one(texts[0])[None, :].copy()
        return self._encode_batch(texts, progress)

    def _encode_one(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._cache.get(text)
            if vector is not None:
                self._cache.move_to_end(text)
                self.hits += 1
                return vector
            self.misses += 1
        encoding = self.tokenizer.encode(text)
        vector = self._run(pad([encoding], len(encoding.ids)))[0]
        vector.flags.writeable = False
        with self._lock:
            self._cache[text] = vector
            self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return vector

    def _encode_batch(self, texts: list[str], progress: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(texts)
        for rows, arrays in batches(encodings, self.batch_tokens, progress):
            out[rows] = self._run(arrays)
        return out

    def _run(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        hidden = self.session.run(None, {n: arrays[n] for n in self.input_names})[0]
        return mean_pool(hidden, arrays["attention_mask"])


def _fallback_encoder(config: Config, model: Model) -> Encoder:
    from bot.adapter import model_path

    return SentenceTransformerEncoder(model_path(config, model))


def load_query_encoder(config: Config, model: Model = "retrieval", threads: int = 2) -> Encoder:
    """The ONNX encoder when the index build exported one, else sentence-transformers.

    `model`: "retrieval" (questions are searched with it) or "triage" (the safety classifier
    reads its vectors). Never exports: that needs torch, which is exactly what the query path
    avoids loading.
    """
    path = query_model_path(config, model)
    if not path.exists():
        log.warning(
            "No ONNX query encoder at %s (it is exported when the index is built); encoding "
            "questions with sentence-transformers, which loads torch and is slower.",
            path,
        )
        return _fallback_encoder(config, model)
    try:
        return OnnxEncoder(path, config.model_path, config.batch_tokens, threads=threads)
    except Exception as exc:
        log.warning(
            "Could not load the ONNX query encoder %s (%s: %s); encoding questions with "
            "sentence-transformers, which loads torch and is slower.",
            path,
            type(exc).__name__,
            exc,
        )
        return _fallback_encoder(config, model)
