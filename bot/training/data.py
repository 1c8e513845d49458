"""Reading training files: JSON Lines, each opening with an `_about` line that says who wrote the
file and how (skipped here, kept for people)."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from bot.judge import Logistic
from bot.text import words

# Two messages this alike (shared words over all words, for messages of at least NEAR_WORDS
# words; shorter ones must have the same words) count as one: separate writers often type
# the same common question with other punctuation or a word changed, and a frozen split that
# holds such a copy of a training message measures memory, not quality.
NEAR_OVERLAP = 0.8
NEAR_WORDS = 4


def data_files(folder: Path) -> list[Path]:
    """The training files of a folder, in name order (the fingerprint's order too)."""
    return sorted(Path(folder).glob("*.jsonl"))


def rows(paths: list[Path]) -> Iterator[tuple[str, dict[str, Any]]]:
    """("file:line", row) for every data line, so a bad line can be named when it fails."""
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                if "_about" not in row:
                    yield f"{path}:{number}", row


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float) -> Logistic:
    """A standardised, L2-regularised logistic regression (scikit-learn, at training only)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return Logistic(mean, scale, model.coef_[0].astype(np.float64), float(model.intercept_[0]))


def head_fingerprint(paths: list[Path], model_dir: Path) -> str:
    """A head's training data's and the encoder model's files: a head reads that model's
    vectors, so a retrained model needs a retrained head."""
    from bot.adapter import data_fingerprint

    model_files = sorted(p for p in Path(model_dir).iterdir() if p.is_file())
    return data_fingerprint([*paths, *model_files])


def text_byte(text: str) -> int:
    """A byte of the text's hash (case and outer spaces aside): the same on every run, so a
    message never moves between a split's or a fold's parts."""
    return hashlib.sha256(text.strip().lower().encode()).digest()[0]


def lowest_threshold(scores: np.ndarray, share: float) -> float:
    """The lowest threshold that at most `share` of these (negative) scores reach."""
    if len(scores) < 20:  # too few to choose by: the plain argmax-like default
        return 0.5
    allowed = math.floor(share * len(scores))
    ordered = np.sort(scores)[::-1]
    return float(min(0.99, ordered[allowed] + 1e-6)) if allowed < len(ordered) else 0.0


def near_duplicate(a: str, b: str) -> bool:
    """Whether two messages are the same but for punctuation, case or a word or so."""
    return _near(words(a), words(b))


def _near(x: list[str], y: list[str]) -> bool:
    if x == y:
        return True
    if min(len(x), len(y)) < NEAR_WORDS:
        return False
    left, right = set(x), set(y)
    return len(left & right) / len(left | right) >= NEAR_OVERLAP


class NearDuplicates:
    """The messages of a collection that a new message nearly repeats, found through the words
    they share rather than by comparing every pair."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self._words = [words(t) for t in texts]
        self._by_word: dict[str, set[int]] = {}
        for i, said in enumerate(self._words):
            for word in set(said):
                self._by_word.setdefault(word, set()).add(i)

    def of(self, text: str) -> list[str]:
        """The collection's messages that `text` nearly repeats."""
        said = words(text)
        found = set().union(*(self._by_word.get(w, set()) for w in set(said)))
        return [self.texts[i] for i in sorted(found) if _near(said, self._words[i])]


class Seen:
    """What our files hold, for the checks that keep a measurement honest: every message (an
    evaluation question, a training message, each turn of a conversation) and every follow-up
    beside the turn before it. A generic follow-up ("why?") is no repeat in a new context; the
    same follow-up after the same question is."""

    def __init__(self, paths: Sequence[Path]) -> None:
        messages: list[str] = []
        self._before: dict[str, list[str]] = {}
        for _, row in rows(list(paths)):
            if "turns" in row:
                said = [t["question"] for t in row["turns"]]
                messages += said
                for previous, message in pairwise(said):
                    self._before.setdefault(message, []).append(previous)
            elif row.get("message"):  # a follow-up with the turn before it (bot.training.pair)
                messages += [row["previous"], row["message"]]
                self._before.setdefault(row["message"], []).append(row["previous"])
            elif row.get("question") or row.get("text"):
                messages.append(row.get("question") or row["text"])
        self.messages = NearDuplicates(messages)
        self._follow_ups = NearDuplicates(list(self._before))

    def repeats(self, message: str) -> bool:
        """Whether a message nearly repeats one of the files'."""
        return bool(self.messages.of(message))

    def repeats_follow_up(self, previous: str, message: str) -> bool:
        """Whether the files hold this follow-up, nearly, after nearly this turn."""
        return any(
            near_duplicate(previous, earlier)
            for same in self._follow_ups.of(message)
            for earlier in self._before[same]
        )

    def repeats_conversation(self, turns: Sequence[str]) -> bool:
        """Whether any later turn of a conversation, with the turn before it, is a repeat."""
        return any(self.repeats_follow_up(a, b) for a, b in pairwise(turns))
