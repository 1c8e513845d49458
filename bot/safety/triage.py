"""The triage decision: a few rules from a data file, then the trained classifier.

Every message is normalised (bot.safety.text), checked against the rules (bot.safety.rules; a
harmful rule before a crisis rule), and otherwise decided by the classifier's probabilities and
the thresholds chosen on its validation split (bot.safety.classifier); an English message the
classifier would refuse or send to the crisis reply is read a second time (bot.safety.confirm),
and is so only if that reading agrees. Its language is detected
(bot.safety.language) so that a message in another language is answered in that language and
never with English quotes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from bot.embedding import Encoder
from bot.safety.classifier import HEAD_FILE, Head
from bot.safety.confirm import CONFIRM_FILE, LABELS, Confirm
from bot.safety.language import detect
from bot.safety.pair import PAIR_FILE, PairHead
from bot.safety.rules import Rulebook, load_rules
from bot.safety.text import normalise

log = logging.getLogger(__name__)

Kind = Literal["question", "crisis", "refused"]
MAX_CHARS = 2000  # longer messages are triaged on their start, as the Bot answers them
_KIND = {"ordinary": "question", "harmful": "refused", "crisis": "crisis"}


@dataclass(frozen=True)
class Triage:
    """The triage decision. `reason` is for debugging and tests, never shown to a person.

    `topic` is the main situation; `topics` all situations found (main first), so the help can
    cover, say, sextortion and self-harm at once. `language` is "en" or the code of the language
    the reply must be written in.
    """

    kind: Kind
    topic: str = "general"
    reason: str = ""
    topics: tuple[str, ...] = ()
    language: str = "en"


class Safety:
    """Triage for every message: the rules, the classifier's head and its encoder, loaded once."""

    def __init__(
        self,
        encoder: Encoder,
        model_dir: Path | None,
        rules: Rulebook | None = None,
        pair_file: Path = PAIR_FILE,
        confirm_file: Path | None = CONFIRM_FILE,
    ) -> None:
        """`model_dir`: the trained classifier (bot/data/triage/model); None triages by the
        rules alone (every message they do not catch is an ordinary question). `pair_file`:
        the pair head (bot.safety.pair), read with the classifier; `confirm_file`: the
        confirming heads (bot.safety.confirm), None to decide by the classifier alone."""
        self.encoder = encoder
        self.rules = rules or load_rules()
        self.head: Head | None = None
        self.pair: PairHead | None = None
        self.confirm: Confirm | None = None
        if model_dir is not None:
            try:
                self.head = Head.load(Path(model_dir) / HEAD_FILE)
            except (OSError, ValueError, KeyError) as exc:
                log.warning("No usable safety classifier in %s (%s); rules only", model_dir, exc)
            try:
                self.pair = PairHead.load(pair_file)
            except (OSError, ValueError, KeyError) as exc:
                log.warning("No usable pair head in %s (%s)", pair_file, exc)
            try:
                self.confirm = Confirm.load(confirm_file) if confirm_file else None
            except (OSError, ValueError, KeyError) as exc:
                log.warning("No usable confirming heads in %s (%s)", confirm_file, exc)

    def probabilities(self, question: str, vector: np.ndarray | None = None) -> np.ndarray:
        """The classifier's (ordinary, harmful, crisis) probabilities for a message."""
        if self.head is None:
            return np.array([1.0, 0.0, 0.0], dtype=np.float32)
        if vector is None:
            vector = self.encoder.encode([question[:MAX_CHARS]])[0]
        return self.head.probabilities(vector)

    def asks_harm_in_context(self, pair: np.ndarray, message: np.ndarray) -> bool:
        """Whether a follow-up asks for harm read after the message before it: `pair` and
        `message` are the encoder's vectors of the two joined and of the follow-up alone."""
        return self.pair is not None and self.pair.asks_harm(pair, message)

    def triage(self, question: str, vector: np.ndarray | None = None, before: str = "") -> Triage:
        """Decide between an ordinary question, a person possibly in danger, and a refusal.
        `vector`: the message as the classifier's encoder embeds it, if already computed;
        `before`: what the person wrote before it in the conversation, which a short message's
        language is read with."""
        text = normalise(question[:MAX_CHARS])
        if not text:
            return Triage("question", reason="empty")
        language = detect(question[:MAX_CHARS], before[:MAX_CHARS])
        rule = self.rules.first(text)
        if rule is not None:
            label, reason = rule.kind, f"rule {rule.name}"
        elif self.head is not None:
            if vector is None:
                vector = self.encoder.encode([question[:MAX_CHARS]])[0]
            probs = self.probabilities(question, vector)
            label = self.head.decide(probs, english=language == "en")
            reason = "classifier " + " ".join(f"{p:.2f}" for p in probs)
            # Only English: the heads learned ordinary questions from English ones.
            second = self.confirm
            if label in LABELS and language == "en" and second and not second.agrees(label, vector):
                label, reason = "ordinary", f"{reason}; second reading: not {label}"
        else:
            label, reason = "ordinary", "no rule; no classifier"
        kind: Kind = _KIND[label]  # type: ignore[assignment]
        if kind == "crisis":
            topics = self.rules.topics(text)
        elif kind == "question" and self.rules.worried_about_self(text):
            topics = ("perpetrator",)
        else:
            topics = ("exploitation",) if kind == "refused" else ("general",)
        return Triage(kind, topics[0], reason, topics, language)
