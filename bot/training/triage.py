"""`python -m bot train triage`: fine-tune the safety classifier end to end.

Training data are the JSON Lines files in `bot/data/triage/train/`, each opening with an `_about`
line that says who wrote it and how; every other line is `{"label", "language", "style", "text"}`
with label `ordinary`, `harmful` or `crisis`.

1. Split: 15% of the messages of each label (by a hash of their text) form the validation split.
   It is never trained on; the decision thresholds are chosen on it.
2. The model: LoRA adapters (bot.adapter) on all-MiniLM-L6-v2 and a linear head over the
   normalised mean-pooled vector, trained together with class-balanced cross-entropy.
3. Thresholds: the lowest "harmful" probability that refuses at most `ORDINARY_REFUSED` of the
   validation split's ordinary messages, then the lowest "crisis" probability that sends at most
   `ORDINARY_CRISIS` of them to the crisis reply (bot.safety.classifier applies them in that
   order); once for English and once for the other languages, which the model reads less surely
   (`ORDINARY_CRISIS_OTHER`).

The adapter, head, thresholds and validation figures are written to `bot/data/triage/model/`
with the data's fingerprint; the index build merges and exports the model like the retrieval one.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.adapter import (
    RECORD,
    data_fingerprint,
    mean_pool,
    new_lora_model,
    save_adapter,
    warmup_then_decay,
)
from bot.config import Config
from bot.safety.classifier import HEAD_FILE, LABELS, TRAIN_DIR, Head
from bot.training.data import data_files as files_in
from bot.training.data import lowest_threshold, rows, text_byte

VALIDATION_SHARE = 0.15
# At most this share of the validation split's ordinary messages refused, and this share given
# the crisis reply. Many of those messages are the training files' deliberate look-alikes of
# requests (hiring, agencies, role-play, "lure the cat"), so 3% of them is far fewer of the
# ordinary messages people write: at 1%, fresh sets F1 and F2 had no ordinary message refused
# but only 65-80% of harmful requests (docs/safety.md).
ORDINARY_REFUSED = 0.03
ORDINARY_CRISIS = 0.02
# In another language both replies are the same short help in that language (emergency numbers,
# services that speak it) but for their first line, so a missed crisis costs more than a false
# one: up to 10% of ordinary messages may get the crisis reply.
ORDINARY_CRISIS_OTHER = 0.10
SEED = 17


@dataclass(frozen=True)
class Message:
    text: str
    label: str
    language: str = "en"


@dataclass(frozen=True)
class Settings:
    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 5e-4
    head_learning_rate: float = 5e-3
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.1
    max_tokens: int = 128
    scale: float = 10.0  # the head reads the unit vector times this, so its weights start small


def data_files(folder: Path = TRAIN_DIR) -> list[Path]:
    return files_in(folder)


def read_messages(paths: list[Path]) -> list[Message]:
    """Every data line of the files, checked enough to fail loudly."""
    out = []
    for where, row in rows(paths):
        if row.get("label") not in LABELS or not str(row.get("text", "")).strip():
            raise ValueError(f"{where}: needs a text and a label in {LABELS}")
        out.append(Message(row["text"], row["label"], row.get("language", "en")))
    return out


def in_validation(message: Message) -> bool:
    """Deterministic split by a hash of the text, so a message never moves between splits."""
    return text_byte(message.text) / 256 < VALIDATION_SHARE


def choose_thresholds(probs: np.ndarray, messages: list[Message]) -> dict[str, float]:
    """Harmful first (a refusal never also gets the crisis reply), then crisis among the rest;
    for English messages, then (with the suffix `_other`) for the others."""
    out: dict[str, float] = {}
    english = np.array([m.language == "en" for m in messages], dtype=bool)
    ordinary = np.array([m.label == "ordinary" for m in messages], dtype=bool)
    for suffix, group, crisis in (
        ("", english, ORDINARY_CRISIS),
        ("_other", ~english, ORDINARY_CRISIS_OTHER),
    ):
        scores = probs[group & ordinary]
        harmful_at = lowest_threshold(scores[:, 1], ORDINARY_REFUSED)
        left = scores[scores[:, 1] < harmful_at]
        share = crisis * len(scores) / max(1, len(left))
        out[f"harmful{suffix}"] = round(harmful_at, 4)
        out[f"crisis{suffix}"] = round(lowest_threshold(left[:, 2], share), 4)
    return out


def _policy() -> dict[str, float]:
    return {
        "ordinary_refused": ORDINARY_REFUSED,
        "ordinary_crisis": ORDINARY_CRISIS,
        "ordinary_crisis_other_languages": ORDINARY_CRISIS_OTHER,
    }


def figures(head: Head, probs: np.ndarray, messages: list[Message]) -> dict[str, Any]:
    """What the chosen thresholds do on the validation split, in English and in other languages."""
    out: dict[str, Any] = {}
    decided = [head.decide(p, m.language == "en") for p, m in zip(probs, messages, strict=True)]
    for group, keep in (("english", "en"), ("other_languages", None)):
        rows = [
            (m.label, d)
            for m, d in zip(messages, decided, strict=True)
            if (m.language == "en") == (keep == "en")
        ]
        stats: dict[str, Any] = {}
        for label in LABELS:
            got = [d for lab, d in rows if lab == label]
            if got:
                stats[label] = {
                    "n": len(got),
                    **{k: round(got.count(k) / len(got), 3) for k in LABELS},
                }
        out[group] = stats
    return out


def _validation_probabilities(
    model: Any, tokenizer: Any, head: Head, texts: list[str], max_tokens: int = Settings.max_tokens
) -> np.ndarray:
    """The head's probabilities for each text, as answering computes them (float32 vectors)."""
    import torch

    with torch.no_grad():
        vectors = [
            mean_pool(model, tokenizer, texts[lo : lo + 64], max_tokens).numpy()
            for lo in range(0, len(texts), 64)
        ]
    if not vectors:
        return np.zeros((0, len(LABELS)), dtype=np.float32)
    return np.array([head.probabilities(v) for v in np.concatenate(vectors)])


def rechoose_thresholds(data: list[Path], out: Path, log: Any = print) -> dict[str, Any]:
    """Choose the stored model's thresholds again on its validation split (after a change of
    policy), without retraining; the adapter and weights stay as they are."""
    from transformers import AutoTokenizer

    from bot.adapter import is_current, load_merged, trained_on

    if not is_current(out, data):
        raise SystemExit("the stored model was trained on other data: retrain it first")
    config = Config.load()
    valid = [m for m in read_messages(data) if in_validation(m)]
    model = load_merged(config.model_path, out)
    tokenizer = AutoTokenizer.from_pretrained(config.model_path, local_files_only=True)
    old = Head.load(out / HEAD_FILE)
    probs = _validation_probabilities(model, tokenizer, old, [m.text for m in valid])
    thresholds = choose_thresholds(probs, valid)
    head = Head(old.weights, old.bias, thresholds)
    record = trained_on(out) | {
        "thresholds": thresholds,
        "validation_figures": figures(head, probs, valid),
        "policy": _policy(),
    }
    head.save(out / HEAD_FILE)
    (out / RECORD).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    log(f"thresholds {thresholds}")
    return record


def train_triage(
    data: list[Path], out: Path, settings: Settings, limit: int = 0, log: Any = print
) -> dict[str, Any]:
    """Train adapter and head on the training split, choose thresholds on the validation split,
    and write them to `out` (adapter weights, head.json, trained_on.json)."""
    import torch
    from transformers import AutoTokenizer

    config = Config.load()
    messages = read_messages(data)
    if limit:
        messages = random.Random(SEED).sample(messages, min(limit, len(messages)))
    train = [m for m in messages if not in_validation(m)]
    valid = [m for m in messages if in_validation(m)]
    log(f"{len(train)} messages to train on, {len(valid)} to choose thresholds on")
    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    tokenizer = AutoTokenizer.from_pretrained(config.model_path, local_files_only=True)
    model = new_lora_model(config.model_path, settings.rank, settings.alpha, settings.dropout)
    head = torch.nn.Linear(model.config.hidden_size, len(LABELS))
    counts = np.array([sum(m.label == k for m in train) for k in LABELS], dtype=np.float32)
    weights = torch.tensor(counts.sum() / (len(LABELS) * np.maximum(counts, 1)))
    optimiser = torch.optim.AdamW(
        [
            {"params": [p for p in model.parameters() if p.requires_grad]},
            {"params": head.parameters(), "lr": settings.head_learning_rate},
        ],
        lr=settings.learning_rate,
        weight_decay=0.01,
    )
    steps = settings.epochs * math.ceil(len(train) / settings.batch_size)
    schedule = warmup_then_decay(optimiser, steps)

    def logits(texts: list[str]) -> Any:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.index_bf16):
            pooled = mean_pool(model, tokenizer, texts, settings.max_tokens)
        return head(pooled.float() * settings.scale)

    model.train()
    t0 = time.perf_counter()
    for epoch in range(settings.epochs):
        order = list(range(len(train)))
        rng.shuffle(order)
        total = 0.0
        for lo in range(0, len(order), settings.batch_size):
            batch = [train[i] for i in order[lo : lo + settings.batch_size]]
            target = torch.tensor([LABELS.index(m.label) for m in batch])
            loss = torch.nn.functional.cross_entropy(
                logits([m.text for m in batch]), target, weight=weights
            )
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += float(loss.detach()) * len(batch)
        log(
            f"triage epoch {epoch + 1}/{settings.epochs}: loss {total / len(train):.3f} "
            f"({time.perf_counter() - t0:.0f} s)"
        )
    model.eval()
    fitted = Head(
        weights=(head.weight.detach().numpy() * settings.scale).astype(np.float32),
        bias=head.bias.detach().numpy().astype(np.float32),
    )
    texts = [m.text for m in valid]
    probs = _validation_probabilities(model, tokenizer, fitted, texts, settings.max_tokens)
    thresholds = choose_thresholds(probs, valid)
    fitted = Head(fitted.weights, fitted.bias, thresholds)
    record = {
        "data_files": [p.name for p in data],
        "data_fingerprint": data_fingerprint(data),
        "trained": len(train),
        "validation": len(valid),
        "thresholds": thresholds,
        "validation_figures": figures(fitted, probs, valid),
        "policy": _policy(),
        "settings": asdict(settings),
        "seconds": round(time.perf_counter() - t0),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".training.", dir=out.parent))
    try:
        save_adapter(model, staging, record)
        fitted.save(staging / HEAD_FILE)
        shutil.rmtree(out, ignore_errors=True)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return record
