"""The installed model's files: its fingerprint, token limit, pooling and tokenizer."""

from __future__ import annotations

import hashlib
import inspect
import json
from functools import cache
from pathlib import Path
from typing import Any

INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")


@cache
def model_fingerprint(model_path: str) -> str:
    """A hash of the model's files, so a changed model invalidates the index and caches."""
    digest = hashlib.sha256()
    for path in sorted(Path(model_path).rglob("*")):
        if path.is_file() and path.suffix in {".json", ".safetensors", ".txt", ".bin"}:
            digest.update(path.relative_to(model_path).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def max_seq_length(model_path: str) -> int:
    """The token limit sentence-transformers truncates at, so questions are cut like passages."""
    root = Path(model_path)
    length = read_json(root / "sentence_bert_config.json").get("max_seq_length")
    if length is None:
        length = read_json(root / "tokenizer_config.json").get("model_max_length", 512)
    positions = read_json(root / "config.json").get("max_position_embeddings")
    return min(int(length), int(positions)) if positions else int(length)


def uses_mean_pooling(model_path: str) -> bool:
    """The ONNX encoder re-implements mean pooling only; other poolings stay with torch."""
    root = Path(model_path)
    modules = json.loads((root / "modules.json").read_text(encoding="utf-8"))
    pooling = next((m for m in modules if m.get("type", "").endswith(".Pooling")), None)
    if pooling is None:
        return False
    modes = read_json(root / pooling["path"] / "config.json")
    on = {k for k, v in modes.items() if k.startswith("pooling_mode_") and v is True}
    return on == {"pooling_mode_mean_tokens"}


def tokenizer(model_path: str) -> Any:
    """The model's fast tokenizer, truncating where sentence-transformers does, never padding
    (tokenizer.json ships with truncation at 128 and padding to 128)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_seq_length(model_path))
    tokenizer.no_padding()
    return tokenizer


def input_names(model: Any) -> list[str]:
    """The tokenizer outputs this transformers model's forward takes (some have no type ids)."""
    accepted = inspect.signature(model.forward).parameters
    return [n for n in INPUT_NAMES if n in accepted]
