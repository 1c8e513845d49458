"""The confirming heads: a second reading before an English message is refused or given the
crisis reply.

The classifier (bot.safety.classifier) learned what an ordinary message is from a few thousand
examples, and flags too many ordinary questions that use the words of exploitation or tell of a
child's online life (docs/safety.md, "A second reading before a refusal or a crisis reply"). Two
logistic regressions over the vector the classifier already reads, one for requests to exploit
or evade and one for danger, trained on many more ordinary questions (every relevance training
question) and on messages the classifier never trained on (bot.training.confirm), must agree
before it refuses or sends to the crisis reply. Answering needs numpy only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.judge import Logistic
from bot.safety.classifier import DATA_DIR

CONFIRM_FILE = DATA_DIR / "confirm.json"
CONFIRM_TRAIN_DIR = DATA_DIR / "confirm"
LABELS = ("harmful", "crisis")  # the classifier's labels that a head confirms


@dataclass(frozen=True)
class Confirm:
    """A head per label, the probability below which it clears the classifier's flag, and the
    fingerprint of the data (and triage model) it was trained on."""

    models: dict[str, Logistic]
    thresholds: dict[str, float]
    fingerprint: str

    def probability(self, label: str, vector: np.ndarray) -> float:
        return float(self.models[label].probability(np.asarray(vector).reshape(-1)))

    def agrees(self, label: str, vector: np.ndarray) -> bool:
        """Whether the head for the classifier's `label` reads the message so too."""
        if label not in self.models:
            return True
        return self.probability(label, vector) >= self.thresholds[label]

    def save(self, path: Path, record: dict[str, object]) -> None:
        data = {
            "models": {label: model.to_dict() for label, model in self.models.items()},
            "thresholds": self.thresholds,
        }
        data |= record
        data["fingerprint"] = self.fingerprint
        path.write_text(json.dumps(data) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = CONFIRM_FILE) -> Confirm:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        models = {label: Logistic.from_dict(d) for label, d in data["models"].items()}
        thresholds = {label: float(t) for label, t in data["thresholds"].items()}
        return cls(models, thresholds, data["fingerprint"])
