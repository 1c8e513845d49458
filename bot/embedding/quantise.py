"""The indexer's int8 graph: the retrieval model's ONNX export with its weights quantised.

onnxruntime's dynamic quantisation (int8 weights, one scale per output channel; activations
quantised per batch) runs the transformer at about 1.5x the speed of torch in bfloat16 on this
2-core CPU (731 against 483 sentences/s of the corpus), with vectors at cosine 0.994 on average
(0.988 at worst) to float32. Indexing the articles with it left retrieval where it was on the
sixteen fresh question sets E13-E28 (docs/scale.md, docs/quality.md). Questions are still
encoded with the float32 export: each is one short text, so int8 would save little there.
Per-tensor scales were faster by nothing and far less faithful (cosine 0.963 on average).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from bot.config import Config
from bot.embedding.export import index_model_path, query_model_path
from bot.files import write_beside

log = logging.getLogger(__name__)

# The quantised graph is checked against the float32 one before it is used: random token ids,
# the least natural input, stay above 0.97 (real sentences: 0.988 and above).
_INT8_MIN_COSINE = 0.95
_lock = threading.Lock()


def export_index_model(config: Config) -> Path | None:
    """Quantise the retrieval export once for the indexer; None (with a warning) when there is
    no export to start from or the result disagrees with it: the indexer then uses torch."""
    target = index_model_path(config)
    if target.exists():
        return target
    source = query_model_path(config, "retrieval")
    if not source.exists():
        return None
    with _lock:
        if target.exists():
            return target
        t0 = time.perf_counter()
        try:
            write_beside(target, lambda tmp: _quantise(source, tmp))
        except Exception as exc:
            log.warning(
                "Could not quantise the indexer's model (%s: %s); passages will be embedded "
                "with torch instead, which is slower.",
                type(exc).__name__,
                exc,
            )
            return None
        log.info("Quantised the indexer's model in %.1f s", time.perf_counter() - t0)
        return target


def _quantise(source: Path, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    # The recommended first step (shapes inferred, graph tidied): same speed and vectors here,
    # and without it onnxruntime logs a warning at every build.
    quant_pre_process(source, out, skip_symbolic_shape=True)
    quantize_dynamic(out, out, weight_type=QuantType.QInt8, per_channel=True)
    _check(source, out)


def _check(reference: Path, quantised: Path) -> None:
    """Reject a quantised graph whose mean-pooled vectors stray from the float32 graph's."""
    import numpy as np
    import onnxruntime as ort

    from bot.embedding.pooling import mean_pool

    rng = np.random.default_rng(0)
    ids = rng.integers(1000, 30000, size=(4, 48))
    mask = np.ones_like(ids)
    mask[1:, 30:] = 0
    inputs = {"input_ids": ids * mask, "attention_mask": mask, "token_type_ids": 0 * ids}
    pooled = []
    for path in (reference, quantised):
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]
        hidden = session.run(None, {n: inputs[n] for n in names})[0]
        pooled.append(mean_pool(hidden, mask))
    cosine = float((pooled[0] * pooled[1]).sum(axis=1).min())
    if not cosine >= _INT8_MIN_COSINE:
        raise ValueError(f"the quantised graph disagrees with float32 (cosine {cosine:.4f})")
