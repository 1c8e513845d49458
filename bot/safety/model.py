"""A linear intent model over the message's embedding, trained on our labelled examples.

Rules catch the phrasings they name; nearest-neighbour similarity to a few intent examples is
topic-bound ("how do traffickers recruit" sits next to "how do I recruit"). A logistic regression
over the same sentence embedding learns which directions separate asking *how to exploit* from
asking *about* exploitation across every labelled message we have
(`bot/data/triage_examples.jsonl` and `bot/data/intents.json`). On a held-out set written by
someone who never saw the rules, of the 18 requests the rules missed it caught 5 (the
similarity step 2), and it wrongly refused 1 ordinary question (the similarity step 2).

Training needs scikit-learn (a dependency of sentence-transformers) and runs only when the
examples change: `python -m bot train-triage`. Answering needs numpy alone: the weights live in
`bot/data/intent_model.npz` with a fingerprint of the data they were trained on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.embedding import Encoder

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLES_PATH = DATA / "triage_examples.jsonl"
INTENTS_PATH = DATA / "intents.json"
MODEL_PATH = DATA / "intent_model.npz"
LABELS = ("question", "refused", "crisis")
_GROUP_LABEL = {"question": "question", "harmful": "refused", "crisis": "crisis"}
# Inverse regularisation strength; 1-8 gave the same held-out results, 2 is the middle.
C = 2.0


def load_examples(
    examples_path: Path = EXAMPLES_PATH, intents_path: Path = INTENTS_PATH
) -> list[tuple[str, str]]:
    """(message, label) pairs: the labelled triage examples, then the intent examples."""
    pairs = []
    for line in examples_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pairs.append((row["message"], row["expected"]))
    intents = json.loads(intents_path.read_text(encoding="utf-8"))
    for group, label in _GROUP_LABEL.items():
        pairs += [(str(m), label) for m in intents.get(group, [])]
    return pairs


def fingerprint(pairs: list[tuple[str, str]]) -> str:
    """Changes whenever an example or a label changes, so stale weights are noticed."""
    digest = hashlib.sha256()
    for message, label in pairs:
        digest.update(f"{label}\t{message}\n".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class IntentModel:
    weights: np.ndarray  # (labels, dimension)
    bias: np.ndarray  # (labels,)
    trained_on: str  # fingerprint of the examples

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        logits = self.weights @ np.asarray(vector, dtype=np.float32).reshape(-1) + self.bias
        odds = np.exp(logits - logits.max())
        return dict(zip(LABELS, (odds / odds.sum()).tolist(), strict=True))

    def save(self, path: Path = MODEL_PATH) -> None:
        np.savez(path, weights=self.weights, bias=self.bias, trained_on=np.array(self.trained_on))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> IntentModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                data["weights"].astype(np.float32),
                data["bias"].astype(np.float32),
                str(data["trained_on"]),
            )


def train(pairs: list[tuple[str, str]], vectors: np.ndarray) -> IntentModel:
    """Multinomial logistic regression, classes weighted so the smaller ones count as much."""
    from sklearn.linear_model import LogisticRegression

    labels = np.array([LABELS.index(label) for _, label in pairs])
    fitted = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(vectors, labels)
    return IntentModel(
        fitted.coef_.astype(np.float32), fitted.intercept_.astype(np.float32), fingerprint(pairs)
    )


def load_current(pairs: list[tuple[str, str]] | None = None) -> IntentModel | None:
    """The stored model if it was trained on the current examples; None (with a warning) if not,
    so triage falls back to the rules and the similarity step."""
    pairs = load_examples() if pairs is None else pairs
    try:
        model = IntentModel.load()
    except (OSError, KeyError, ValueError) as exc:
        log.warning("No usable intent model at %s (%s)", MODEL_PATH, exc)
        return None
    if model.trained_on != fingerprint(pairs):
        log.warning(
            "The intent model is older than the triage examples; retrain it with "
            "`python -m bot train-triage`. Triage uses the rules and similarity meanwhile."
        )
        return None
    return model


def retrain(encoder: Encoder, path: Path = MODEL_PATH) -> str:
    """Train on the current examples with the query encoder and store the weights."""
    pairs = load_examples()
    train(pairs, encoder.encode([m for m, _ in pairs])).save(path)
    counts = ", ".join(f"{sum(1 for _, x in pairs if x == k)} {k}" for k in LABELS)
    return f"Trained the intent model on {len(pairs)} examples ({counts}); wrote {path}"
