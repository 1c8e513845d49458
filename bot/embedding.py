"""Sentence embeddings: the indexer's encoder (torch) and the query encoder (onnxruntime).

Passages are embedded with the model's transformer through torch when the index is built.
Questions are encoded with onnxruntime + tokenizers from an ONNX export of the same model, made
once by the index build and cached beside the index: `import sentence_transformers` alone costs
about 5 s on this CPU and a query through torch 7-15 ms, against 0.1 s and about 2-4 ms here.
Only the export and the indexer use torch and transformers, and they import them inside
functions, so importing this module and answering a question never loads them.
sentence-transformers is the reference both are tested against, and the fallback for questions.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import os
import tempfile
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from bot.config import Config, Model

log = logging.getLogger(__name__)

# The legacy TorchScript exporter supports up to opset 20 and onnxruntime 1.32 runs up to 23;
# 17 is the first with a native LayerNormalization and is what the export is tested with.
ONNX_OPSET = 17
QUERY_CACHE_SIZE = 1024
# A batch holds at most this many texts, however short: past it the per-text work outweighs the
# larger matrix products.
MAX_BATCH_ROWS = 256
# The export is checked against torch before it is used; same tokens, so only float noise differs.
_EXPORT_MIN_COSINE = 0.99999
_STALE_TEMP_SECONDS = 3600
_INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
_export_lock = threading.Lock()


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text."""
        ...


@cache
def model_fingerprint(model_path: str) -> str:
    """A hash of the model's files, so a changed model invalidates the index and caches."""
    digest = hashlib.sha256()
    for path in sorted(Path(model_path).rglob("*")):
        if path.is_file() and path.suffix in {".json", ".safetensors", ".txt", ".bin"}:
            digest.update(path.relative_to(model_path).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def max_seq_length(model_path: str) -> int:
    """The token limit sentence-transformers truncates at, so questions are cut like passages."""
    root = Path(model_path)
    length = _read_json(root / "sentence_bert_config.json").get("max_seq_length")
    if length is None:
        length = _read_json(root / "tokenizer_config.json").get("model_max_length", 512)
    positions = _read_json(root / "config.json").get("max_position_embeddings")
    return min(int(length), int(positions)) if positions else int(length)


def _uses_mean_pooling(model_path: str) -> bool:
    """The ONNX encoder re-implements mean pooling only; other poolings stay with torch."""
    root = Path(model_path)
    modules = json.loads((root / "modules.json").read_text(encoding="utf-8"))
    pooling = next((m for m in modules if m.get("type", "").endswith(".Pooling")), None)
    if pooling is None:
        return False
    modes = _read_json(root / pooling["path"] / "config.json")
    on = {k for k, v in modes.items() if k.startswith("pooling_mode_") and v is True}
    return on == {"pooling_mode_mean_tokens"}


def _token_sums(hidden: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return mean_vectors(*_token_sums(hidden, mask))


def _tokenizer(model_path: str) -> Any:
    """The model's fast tokenizer, truncating where sentence-transformers does, never padding
    (tokenizer.json ships with truncation at 128 and padding to 128)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_seq_length(model_path))
    tokenizer.no_padding()
    return tokenizer


def _input_names(model: Any) -> list[str]:
    """The tokenizer outputs this transformers model's forward takes (some have no type ids)."""
    accepted = inspect.signature(model.forward).parameters
    return [n for n in _INPUT_NAMES if n in accepted]


def _pad(encodings: list[Any], length: int) -> dict[str, np.ndarray]:
    arrays = {n: np.zeros((len(encodings), length), dtype=np.int64) for n in _INPUT_NAMES}
    for row, e in enumerate(encodings):
        n = len(e.ids)
        arrays["input_ids"][row, :n] = e.ids
        arrays["attention_mask"][row, :n] = e.attention_mask
        arrays["token_type_ids"][row, :n] = e.type_ids
    return arrays


def padded_batches(
    encodings: list[Any], max_tokens: int
) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """Row indexes and padded input arrays, longest texts first, each batch at most `max_tokens`
    tokens with its padding: short sentences go many to a batch and long passages few, so every
    batch is one large matrix product with little padding (fixed-size batches of short
    sentences left this CPU half idle)."""
    order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
    start = 0
    while start < len(order):
        length = max(len(encodings[order[start]].ids), 1)
        rows = order[start : start + max(1, min(MAX_BATCH_ROWS, max_tokens // length))]
        start += len(rows)
        yield rows, _pad([encodings[i] for i in rows], length)


def _batches(
    encodings: list[Any], max_tokens: int, progress: bool
) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """`padded_batches`, with a progress bar when asked (its total counts no padding)."""
    batches = padded_batches(encodings, max_tokens)
    if not progress:
        return batches
    from tqdm import tqdm

    total = sum(len(e.ids) for e in encodings) // max_tokens + 1
    return tqdm(batches, desc="Embedding", unit="batch", total=total)


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


class IndexEncoder:
    """The indexer: the model's transformer through torch, mean pooled here.

    Not sentence-transformers' `encode`, for two reasons. The store needs each text's token sums,
    not only its vector: a passage's vector is pooled from its sentences' token states (see
    bot.store). And it is faster here: batches sized in tokens (`padded_batches`) with the whole
    transformer in bfloat16 embed the sentences of 1,000 synthetic passages at 169 passages/s
    against 93 for sentence-transformers' `encode` of the same bfloat16 model in batches of 16
    (median of 3 alternating runs on this 2-core CPU; docs/scale.md has the current figures).

    `bf16` runs the transformer in bfloat16, where the CPU does it natively (AVX512-BF16/AMX),
    and pools in float32: about 2.5x the speed of float32, vectors at cosine >= 0.9998 to float32
    ones (tests/test_embedding.py) and the same retrieval on both question sets. In bfloat16 a
    text's vector depends slightly on the batch it is padded in; float32 (`BOT_INDEX_BF16=0`)
    makes incremental builds equal fresh ones exactly.
    """

    def __init__(self, model_path: str, batch_tokens: int = 2048, bf16: bool = False) -> None:
        import torch
        from transformers import AutoModel

        if not _uses_mean_pooling(model_path):
            raise ValueError(f"{model_path} does not use plain mean pooling")
        model = AutoModel.from_pretrained(model_path, local_files_only=True).eval()
        self.model = model.to(torch.bfloat16) if bf16 else model
        self.input_names = _input_names(model)
        self.dimension = int(model.config.hidden_size)
        self.tokenizer = _tokenizer(model_path)
        self.batch_tokens = batch_tokens

    def token_sums(
        self, texts: Sequence[str], progress: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per text, the sum of its tokens' final states (float32) and its number of tokens."""
        import torch

        sums = np.zeros((len(texts), self.dimension), dtype=np.float32)
        counts = np.zeros(len(texts), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts)) if texts else []
        with torch.inference_mode():
            for rows, arrays in _batches(encodings, self.batch_tokens, progress):
                inputs = {n: torch.from_numpy(arrays[n]) for n in self.input_names}
                hidden = self.model(**inputs).last_hidden_state.float().numpy()
                sums[rows], counts[rows] = _token_sums(hidden, arrays["attention_mask"])
        return sums, counts

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return mean_vectors(*self.token_sums(texts, progress))


def load_index_encoder(config: Config) -> IndexEncoder:
    """The indexer (the retrieval model, adapter merged in), loaded only to embed passages."""
    from bot.adapter import model_path

    return IndexEncoder(model_path(config), config.batch_tokens, config.index_bf16)


# --- the query encoder: ONNX export (index time) and onnxruntime (query time) -------------------


def query_model_path(config: Config, model: Model = "retrieval") -> Path:
    """Where an export lives: beside the index, named by the model's hash (base plus adapter),
    so a new model never reuses an old graph."""
    from bot.adapter import encoder_fingerprint

    return config.index_dir / "encoder" / f"{encoder_fingerprint(config, model)}.onnx"


def export_query_model(config: Config, model: Model = "retrieval") -> Path | None:
    """Export the model's transformer to ONNX once, so that questions never need torch.

    Idempotent and cheap when the export exists. The graph is written to a temporary file,
    checked against torch on inputs of another shape than the traced ones, and only then renamed
    into place, so readers never see half a file or a wrong graph. Returns None, with a warning,
    when the export fails; questions are then encoded with sentence-transformers.
    """
    from bot.adapter import model_path

    target = query_model_path(config, model)
    if target.exists():
        return target
    with _export_lock:
        if target.exists():
            return target
        t0 = time.perf_counter()
        tmp: Path | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(
                prefix=f".{target.stem}.", suffix=".onnx.tmp", dir=target.parent
            )
            os.close(fd)
            tmp = Path(name)
            os.chmod(tmp, 0o644)  # mkstemp makes it private; the index is shared like its files
            method = _export(model_path(config, model), tmp)
            os.replace(tmp, target)
        except Exception as exc:
            log.warning(
                "Could not export the query encoder to ONNX (%s: %s); questions will be encoded "
                "with sentence-transformers instead, which starts and answers more slowly.",
                type(exc).__name__,
                exc,
            )
            log.debug("ONNX export failure", exc_info=True)
            return None
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        _remove_stale_exports({query_model_path(config, m) for m in config.models()})
        log.info(
            "Exported the query encoder to %s (%s exporter) in %.1f s",
            target,
            method,
            time.perf_counter() - t0,
        )
        return target


def _remove_stale_exports(keep: set[Path]) -> None:
    """Exports of other model versions and temp files left by a killed export are dead weight."""
    now = time.time()
    for path in next(iter(keep)).parent.iterdir():
        try:
            other_model = path.suffix == ".onnx" and path not in keep
            abandoned = path.name.endswith(".onnx.tmp") and (
                now - path.stat().st_mtime > _STALE_TEMP_SECONDS
            )
            if other_model or abandoned:
                path.unlink()
        except OSError:
            pass


def _export(model_path: str, out: Path) -> str:
    """Trace the transformer to `out`; returns which exporter succeeded.

    The legacy TorchScript exporter comes first: on this machine it takes about 2 s against 6.5 s
    for the dynamo one. Either way the sample batch has a padded row: traced with an all-ones
    mask, transformers skips the mask and the dynamo graph came out wrong.
    """
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(
        model_path, local_files_only=True, attn_implementation="eager"
    ).eval()
    names = _input_names(model)

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(names, inputs, strict=True))).last_hidden_state

    wrapper = LastHiddenState().eval()
    vocab = int(model.config.vocab_size)
    sample = _sample_inputs(torch, names, vocab, batch=2, length=16, seed=0)
    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]}
    batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence")
    shapes = (tuple({0: batch, 1: sequence} for _ in names),)  # one entry: forward(*inputs)
    common = {"input_names": names, "output_names": ["last_hidden_state"]}
    errors: list[str] = []
    for method, extra in (
        ("legacy", {"dynamo": False, "opset_version": ONNX_OPSET, "dynamic_axes": axes}),
        ("dynamo", {"dynamo": True, "dynamic_shapes": shapes, "external_data": False}),
    ):
        try:
            with warnings.catch_warnings(), torch.no_grad():
                warnings.simplefilter("ignore")
                torch.onnx.export(wrapper, sample, str(out), verbose=False, **common, **extra)
            _check_export(torch, wrapper, names, vocab, out)
            return method
        except Exception as exc:
            first_line = next(iter(str(exc).strip().splitlines()), "")
            errors.append(f"{method}: {type(exc).__name__}: {first_line}")
            log.debug("ONNX export with the %s exporter failed", method, exc_info=True)
    raise RuntimeError("; ".join(errors))


def _sample_inputs(
    torch: Any, names: list[str], vocab: int, batch: int, length: int, seed: int
) -> tuple:
    """Token ids with every row but the first padded to a different length."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(min(1000, vocab - 1), vocab, (batch, length), generator=generator)
    mask = torch.ones_like(ids)
    for row in range(1, batch):
        mask[row, length - 1 - 3 * row :] = 0
    ids = ids * mask
    tensors = {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}
    return tuple(tensors[n] for n in names)


def _check_export(torch: Any, wrapper: Any, names: list[str], vocab: int, path: Path) -> None:
    """Run the graph and torch on a batch of another shape; reject it if they disagree."""
    import onnxruntime as ort

    sample = _sample_inputs(torch, names, vocab, batch=3, length=37, seed=1)
    with torch.no_grad():
        expected = wrapper(*sample).numpy()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, {n: t.numpy() for n, t in zip(names, sample, strict=True)})[0]
    mask = sample[names.index("attention_mask")].numpy()
    cosine = float((_mean_pool(expected, mask) * _mean_pool(got, mask)).sum(axis=1).min())
    if not cosine >= _EXPORT_MIN_COSINE:
        raise ValueError(f"the exported graph disagrees with torch (cosine {cosine:.6f})")


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

        if not _uses_mean_pooling(model_path):
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
        self.tokenizer = _tokenizer(model_path)
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
        vector = self._run(_pad([encoding], len(encoding.ids)))[0]
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
        for rows, arrays in _batches(encodings, self.batch_tokens, progress):
            out[rows] = self._run(arrays)
        return out

    def _run(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        hidden = self.session.run(None, {n: arrays[n] for n in self.input_names})[0]
        return _mean_pool(hidden, arrays["attention_mask"])


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
