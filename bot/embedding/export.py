"""The ONNX export of a model's transformer, made at index time so questions never need torch."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from bot.config import Config, Model
from bot.embedding.model import input_names
from bot.embedding.pooling import mean_pool
from bot.files import remove_abandoned, write_beside

log = logging.getLogger(__name__)

# The legacy TorchScript exporter supports up to opset 20 and onnxruntime 1.32 runs up to 23;
# 17 is the first with a native LayerNormalization and is what the export is tested with.
ONNX_OPSET = 17

# The export is checked against torch before it is used; same tokens, so only float noise differs.
_EXPORT_MIN_COSINE = 0.99999
_export_lock = threading.Lock()


def query_model_path(config: Config, model: Model = "retrieval") -> Path:
    """Where an export lives: beside the index, named by the model's hash (base plus adapter),
    so a new model never reuses an old graph."""
    from bot.adapter import encoder_fingerprint

    return config.index_dir / "encoder" / f"{encoder_fingerprint(config, model)}.onnx"


def index_model_path(config: Config) -> Path:
    """The indexer's int8 graph (bot.embedding.quantise): beside the retrieval model's export it
    is made from, named by the same model hash."""
    export = query_model_path(config, "retrieval")
    return export.with_name(f"{export.stem}.int8.onnx")


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
        try:
            method = write_beside(target, lambda tmp: _export(model_path(config, model), tmp))
        except Exception as exc:
            log.warning(
                "Could not export the query encoder to ONNX (%s: %s); questions will be encoded "
                "with sentence-transformers instead, which starts and answers more slowly.",
                type(exc).__name__,
                exc,
            )
            log.debug("ONNX export failure", exc_info=True)
            return None
        keep = {query_model_path(config, m) for m in config.models()}
        _remove_stale_exports(keep | {index_model_path(config)})
        log.info(
            "Exported the query encoder to %s (%s exporter) in %.1f s",
            target,
            method,
            time.perf_counter() - t0,
        )
        return target


def _remove_stale_exports(keep: set[Path]) -> None:
    """Exports of other model versions and temp files left by a killed export are dead weight."""
    folder = next(iter(keep)).parent
    for path in folder.glob("*.onnx"):
        if path not in keep:
            with contextlib.suppress(OSError):  # in use elsewhere or read-only: no harm kept
                path.unlink()
    remove_abandoned(folder, ".onnx")


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
    names = input_names(model)

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
    cosine = float((mean_pool(expected, mask) * mean_pool(got, mask)).sum(axis=1).min())
    if not cosine >= _EXPORT_MIN_COSINE:
        raise ValueError(f"the exported graph disagrees with torch (cosine {cosine:.6f})")
