"""The trained safety classifier: which of ordinary question, request to exploit or evade
(`harmful`) and person in danger (`crisis`) a message is.

An adapted all-MiniLM-L6-v2 (a LoRA adapter in `bot/data/triage/model/`, merged and exported to
ONNX at index time like the retrieval model) turns the message into a vector; a linear head
stored beside the adapter turns the vector into three probabilities. Thresholds chosen on a
validation split the model never trained on (bot.training.triage) turn those into a decision.
Answering needs numpy and onnxruntime only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import ROOT

DATA_DIR = ROOT / "bot" / "data" / "triage"
TRAIN_DIR = DATA_DIR / "train"
MODEL_DIR = DATA_DIR / "model"
HEAD_FILE = "head.json"
LABELS = ("ordinary", "harmful", "crisis")


@dataclass(frozen=True)
class Head:
    """Linear weights over the unit sentence vector, and the decision thresholds."""

    weights: np.ndarray  # (labels, dimension)
    bias: np.ndarray  # (labels,)
    thresholds: dict[str, float] = field(default_factory=dict)

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        logits = self.weights @ np.asarray(vector, dtype=np.float32).reshape(-1) + self.bias
        odds = np.exp(logits - logits.max())
        return odds / odds.sum()

    def decide(self, probabilities: np.ndarray, english: bool = True) -> str:
        """Harmful first, so a request is never answered with the crisis reply's passages.
        Messages in other languages have thresholds of their own: the model reads them less
        surely, so they were chosen on those messages alone."""
        suffix = "" if english else "_other"
        if probabilities[1] >= self.thresholds.get(f"harmful{suffix}", 0.5):
            return "harmful"
        if probabilities[2] >= self.thresholds.get(f"crisis{suffix}", 0.5):
            return "crisis"
        return "ordinary"

    def save(self, path: Path) -> None:
        data: dict[str, Any] = {
            "labels": list(LABELS),
            "weights": np.round(self.weights, 6).tolist(),
            "bias": np.round(self.bias, 6).tolist(),
            "thresholds": self.thresholds,
        }
        path.write_text(json.dumps(data) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Head:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if tuple(data["labels"]) != LABELS:
            raise ValueError(f"{path}: labels {data['labels']} are not {LABELS}")
        return cls(
            np.asarray(data["weights"], dtype=np.float32),
            np.asarray(data["bias"], dtype=np.float32),
            {k: float(v) for k, v in data["thresholds"].items()},
        )
