"""The relevance judge: which candidate passage answers best, and whether any answers at all.

Two small logistic models, learned from questions written by people who never saw this code
(`python -m bot train relevance`), replace the hand-set weights and thresholds that ranked and
abstained before:
- the ranker scores each candidate passage from retrieval signals (the adapted encoder's cosines,
  BM25, rank fusion, word overlap with its quote);
- the answerability model reads the best candidates' scores and what the question asks for that
  no quote holds (words the corpus never uses, numbers, quantities), and gives the probability
  that the quotes answer the question. Below `threshold` the answer is "not in the sources".

The threshold is chosen on questions the models were not fitted on (see bot.train). A document
the training never saw (a file a user adds) scores lower, so its candidates' ranker scores are
raised by `unseen_offset`, and when the top quote comes from one, the answer is judged against
`unseen_threshold`; both are calibrated on documents left out of training (`python -m bot train
unseen`, stored in `unseen.json` beside the judge). Answering needs numpy
only; the weights live in `bot/data/relevance/judge.json`.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Config

log = logging.getLogger(__name__)

UNSEEN_FILE = "unseen.json"  # beside the judge: the threshold for documents training never saw

# Per candidate passage (bot.retrieve computes them).
CANDIDATE_FEATURES = (
    "sentence_cosine",  # best cosine of the question to one of the passage's sentences
    "quote_cosine",  # best cosine inside the quote that would be shown
    "passage_cosine",  # cosine to the passage as a whole
    "lexical",  # best BM25 of its sentences, as a share of the best in the corpus
    "overlap",  # share of the question's content words that the quote holds
    "fusion",  # rank-fusion score as a share of the best candidate's
    "fusion_rank",  # 1 / (1 + place in the fused order)
    "cosine_gap",  # sentence_cosine minus the best candidate's
)
# Per question, from its ranked candidates.
QUESTION_FEATURES = (
    "top_score",  # the ranker's logit for the best candidate
    "margin",  # how far ahead of the second it is
    "top_cosine",  # best sentence cosine among the candidates
    "top_overlap",  # share of content words the best quote holds
    "unknown_words",  # share of content words the corpus never uses
    "missing_words",  # share of content words, weighted by rarity, that no quote shown holds
    "rarest_missing",  # rarity of the rarest such word (a place, a law, a name)
    "bm25",  # log of the best BM25 score in the corpus
    "number_missing",  # the question names a number (a year, an age) the best quote lacks
    "quantity_missing",  # it asks how many / what share, and no quote shown has a figure
    "length",  # log of its number of content words
)

_NUMBER = re.compile(r"\b\d{2,}\b")
_ASKS_QUANTITY = re.compile(
    r"\b(?:how (?:many|much|often|common|likely)|percent(?:age)?|proportion|share of|"
    r"number of|statistics?|rate of|figures?)\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"\d|%|\b(?:hundreds?|thousands?|millions?|billions?|dozens?|half|third|quarter|percent|"
    r"majority|most)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Coverage:
    """What of the question's content words (stemmed, BM25's tokens) the corpus and quotes hold."""

    unknown: float  # share never used in the corpus
    missing: float  # share, weighted by IDF, in none of the quotes shown
    rarest_missing: float  # the highest IDF among those, over the highest possible
    bm25: float  # log(1 + best BM25 score of a sentence)
    words: int


def question_features(
    question: str,
    scores: np.ndarray,
    candidates: np.ndarray,
    quotes: list[str],
    coverage: Coverage,
) -> np.ndarray:
    """The answerability model's inputs, from the ranked candidates' logits and features."""
    top = float(scores[0]) if len(scores) else -10.0
    second = float(scores[1]) if len(scores) > 1 else top - 5.0
    cosine = CANDIDATE_FEATURES.index("sentence_cosine")
    overlap = CANDIDATE_FEATURES.index("overlap")
    best_quote = quotes[0] if quotes else ""
    numbers = _NUMBER.findall(question)
    return np.array(
        [
            top,
            top - second,
            float(candidates[:, cosine].max()) if len(candidates) else 0.0,
            float(candidates[0, overlap]) if len(candidates) else 0.0,
            coverage.unknown,
            coverage.missing,
            coverage.rarest_missing,
            coverage.bm25,
            float(any(n not in best_quote for n in numbers)),
            float(bool(_ASKS_QUANTITY.search(question)) and not any(map(_FIGURE.search, quotes))),
            math.log1p(coverage.words),
        ],
        dtype=np.float64,
    )


@dataclass(frozen=True)
class Logistic:
    """Standardise, then a linear score; `probability` is its sigmoid."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def score(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.score(x)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "bias": self.bias,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Logistic:
        return cls(
            np.asarray(d["mean"]), np.asarray(d["scale"]), np.asarray(d["weights"]), d["bias"]
        )


@dataclass(frozen=True)
class Judge:
    ranker: Logistic
    answerable: Logistic
    threshold: float
    record: dict[str, Any]  # how it was trained: data fingerprint, sizes, validation figures
    # For a top quote from a document outside `documents_seen` (file digests); None: one threshold.
    unseen_threshold: float | None = None
    documents_seen: frozenset[str] = frozenset()
    # Added to the ranker's score of a candidate from such a document.
    unseen_offset: float = 0.0

    def threshold_for(self, digest: str) -> float:
        """The confidence an answer needs when its top quote comes from the file `digest`."""
        if self.unseen_threshold is None or digest in self.documents_seen:
            return self.threshold
        return self.unseen_threshold

    def offset_for(self, digest: str) -> float:
        """What the ranker's score of a candidate from the file `digest` is raised by: the
        ranker learnt on the trained files and scores a file it never saw too low."""
        if not self.documents_seen or digest in self.documents_seen:
            return 0.0
        return self.unseen_offset

    @classmethod
    def load(cls, path: Path) -> Judge:
        """The judge of `path`, with the calibration for unseen documents when it is stored
        beside it."""
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        if (
            tuple(d["candidate_features"]) != CANDIDATE_FEATURES
            or tuple(d["question_features"]) != QUESTION_FEATURES
        ):
            raise ValueError(f"{path} was trained on other features; retrain the judge")
        unseen = Path(path).parent / UNSEEN_FILE
        calibration = json.loads(unseen.read_text(encoding="utf-8")) if unseen.exists() else {}
        return cls(
            Logistic.from_dict(d["ranker"]),
            Logistic.from_dict(d["answerable"]),
            float(d["threshold"]),
            d.get("record", {}),
            calibration.get("threshold"),
            frozenset(calibration.get("documents_seen", ())),
            float(calibration.get("offset", 0.0)),
        )

    def save(self, path: Path) -> None:
        d = {
            "candidate_features": list(CANDIDATE_FEATURES),
            "question_features": list(QUESTION_FEATURES),
            "ranker": self.ranker.to_dict(),
            "answerable": self.answerable.to_dict(),
            "threshold": self.threshold,
            "record": self.record,
        }
        Path(path).write_text(json.dumps(d, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_judge(config: Config) -> Judge | None:
    """The trained judge, or None (rank fusion alone, always answer) with a warning."""
    path = config.judge_file
    if path is None:
        return None
    try:
        return Judge.load(path)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("No relevance judge (%s); answering from rank fusion alone.", exc)
        return None
