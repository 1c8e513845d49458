"""The pair head: whether a follow-up, read after the message before it, asks to exploit people
or to evade detection when neither message does alone ("how would I word mine?" after a question
on how traffickers advertise).

The single-message classifier, given the two messages joined, rarely sees such a request: the
message before is an ordinary question and outweighs the few words that make the follow-up one
(docs/safety.md, "A learned reading of requests made in context"). This head is a logistic
regression over two vectors the triage encoder already makes when a follow-up is answered, the
pair's and the follow-up's alone, trained on harmful and ordinary follow-ups in context
(bot.training.pair). Answering needs numpy only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.judge import Logistic
from bot.safety.classifier import DATA_DIR

PAIR_FILE = DATA_DIR / "pair.json"
PAIR_TRAIN_DIR = DATA_DIR / "pairs"


def features(pair: np.ndarray, message: np.ndarray) -> np.ndarray:
    """The head's input: the pair's vector, then the follow-up's."""
    return np.concatenate([np.asarray(pair).reshape(-1), np.asarray(message).reshape(-1)])


@dataclass(frozen=True)
class PairHead:
    """The logistic model, the probability from which a pair is refused, and the fingerprint of
    the data (and triage model) it was trained on."""

    model: Logistic
    threshold: float
    fingerprint: str

    def probability(self, pair: np.ndarray, message: np.ndarray) -> float:
        return float(self.model.probability(features(pair, message)))

    def asks_harm(self, pair: np.ndarray, message: np.ndarray) -> bool:
        return self.probability(pair, message) >= self.threshold

    def save(self, path: Path, record: dict[str, object]) -> None:
        data = {"model": self.model.to_dict(), "threshold": self.threshold} | record
        data["fingerprint"] = self.fingerprint
        path.write_text(json.dumps(data) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = PAIR_FILE) -> PairHead:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(Logistic.from_dict(data["model"]), float(data["threshold"]), data["fingerprint"])
