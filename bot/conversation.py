"""Follow-up questions without an LLM: what a short or referring message carries forward.

In a chat, "what about Snapchat?", "why?" or "tell me more" mean little alone. Peers rewrite
such messages with an LLM; here two small logistic models, trained on multi-turn conversations
written by separate writers (bot/data/conversation/), read a message's surface (its length, its
content words, back-references, a leading "and"/"what about", words asking for more, what it
shares with the message before), how close its meaning is to the message before, and its meaning
itself (its vector by the retrieval encoder), and decide:
- `new`: a self-contained question; searched alone;
- `follow_up`: it continues the topic; searched together with the topic's opening question and
  the message before, so "what about Snapchat?" after a question about Instagram asks about
  traffickers on Snapchat. Its dense search reads the topic and the message together
  (`follow_up_text`) with an encoder of its own, trained on the same conversations to land
  near the evidence that answers the follow-up (bot.training.conversation);
- `more`: "tell me more", "anything else on ...?": searched as a follow-up, quoting only
  sentences the topic's earlier answers have not shown (bot.retrieve), beside an earlier quote
  or in other passages;
- a request for the source ("which article says that?"), read by a head of its own
  (`SourceHead`): it asks where the answer before came from, so it is searched as the turn
  before, and its quotes and sources are shown again.

The history is the person's earlier messages in this chat, sent with each question and never
stored. Nothing here reads the index: the retrieval layer searches what this module resolves.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np

from bot.judge import Logistic
from bot.text import words

ROOT = Path(__file__).resolve().parent
DATA_DIR = ROOT / "data" / "conversation"
TRAIN_DIR = DATA_DIR / "train"
MODEL_FILE = DATA_DIR / "model.json"
SOURCES_DIR = DATA_DIR / "sources"
SOURCES_FILE = DATA_DIR / "sources.json"
MAX_HISTORY = 6  # earlier messages read; a topic older than that has been left
MAX_SHOWN = 4  # earlier answers of a topic that "tell me more" never repeats (then it may)

TurnKind = Literal["new", "follow_up", "more"]
Encode = Callable[[Sequence[str]], np.ndarray]  # texts to unit vectors (the retrieval encoder)

# The words the features count. They describe how people write follow-ups in any chat; what
# they weigh is learned from the conversations, not set here.
_QUESTION_WORDS = """
    what whats how why who whom whose which when where is are was were do does did can could
    should would will shall may might must a an the of to in on for with by from about as at be
    been being or and but if so than then i me my we our you your us any some much many really
    actually kind sort way ways thing things get got please ok okay yes no"""
_QUESTION = frozenset(_QUESTION_WORDS.split())
_BACK_WORDS = """
    it its that this these those they them their there he she him his her such same also too
    either one ones"""
_BACK = frozenset(_BACK_WORDS.split())
_MORE_WORDS = """
    more else explain elaborate simpler simply simple detail details example examples expand
    further another other continue go on again keep tell say mean means plain words"""
_MORE = frozenset(_MORE_WORDS.split())
_OPENERS = ("and ", "but ", "so ", "also ", "then ", "or ", "what about", "how about", "same ")
FEATURES = (
    "words",
    "content_words",
    "back_references",
    "opener",
    "more_words",
    "shared_with_previous",
    "no_content",
    "cosine_with_previous",
    "message_vector",  # the message's unit vector, one feature per dimension
)


def _content(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in _QUESTION and t not in _BACK and t not in _MORE]


def content_stems(text: str) -> set[str]:
    """The content words of `text` cut to their first five letters, so that "traffickers" and
    "trafficking" count as one: what two messages share, as the models read it."""
    return {t[:5] for t in _content(words(text))}


def features(
    message: str, previous: str, vector: np.ndarray, previous_vector: np.ndarray
) -> np.ndarray:
    """`message` as the models read it, beside the message before it: its surface, then the
    cosine of the two messages' unit vectors, then its own vector. The vector is what tells a
    request for more on a named point from a new question about it: on two conversation sets
    the surface alone misread half the requests for more as new follow-ups, which search afresh
    and quote the same sentences again (docs/quality.md), and it tells a new question that
    shares the topic's words from a follow-up."""
    tokens = words(message)
    content = _content(tokens)
    before = content_stems(previous)
    lowered = " ".join(message.lower().split())
    surface = [
        np.log1p(len(tokens)),
        np.log1p(len(content)),
        sum(t in _BACK for t in tokens),
        float(lowered.startswith(_OPENERS)),
        sum(t in _MORE for t in tokens) / max(1, len(tokens)),
        sum(t[:5] in before for t in content) / max(1, len(content)),
        float(not content),
        float(vector @ previous_vector),
    ]
    return np.concatenate([np.array(surface), vector]).astype(np.float64)


# What the follow-up judge (`Model.answers`) reads of a follow-up: the relevance judge's
# confidence in four searches of it, then the message's own surface.
JUDGE_FEATURES = (
    "with_topic",  # the message read with its topic, the topic's evidence left out
    "read_alone",  # the message's own vector, with the topic's words
    "with_evidence",  # the search that answers: the topic's evidence mixed in
    "message_only",  # the message as if it were asked alone
    "content_words",
    "asks_for_more",
)


def judge_features(confidences: Sequence[float], message: str, kind: TurnKind) -> np.ndarray:
    """A follow-up as the follow-up judge reads it: the four `confidences` (in the order of
    `JUDGE_FEATURES`) as log-odds, the message's content words (at most six) and whether it
    was read as a request for more. A bare "numbers?" scores low in every search, yet its topic
    answers it; the judge learns how much each counts from the training conversations."""
    p = np.clip(np.asarray(confidences, dtype=np.float64), 1e-4, 1 - 1e-4)
    surface = [min(len(content_stems(message)), 6), float(kind == "more")]
    return np.concatenate([np.log(p / (1 - p)), surface])


class Reading(NamedTuple):
    """A follow-up's vectors: the message (read with its topic by the follow-up encoder when
    there is one), the topic, the mean of the quotes the topic finds (None when it finds none)
    and, when the follow-up encoder read the message, the message's own vector by the retrieval
    encoder (`alone`), which the judge reads too."""

    message: np.ndarray
    context: np.ndarray
    evidence: np.ndarray | None
    alone: np.ndarray | None = None


@dataclass(frozen=True)
class Model:
    """P(the message continues the topic), then P(it asks for more | it continues), how much
    of the topic a follow-up's dense search carries (`mix`), P(the sources answer the
    follow-up) from its `judge_features` (`answers`; None when the conversations were too few
    to fit it: then the mean of the relevance judge's confidence in two readings), and the
    confidence above which a follow-up counts as answered (`threshold`; None: the relevance
    judge's own) and a request for more (`more_threshold`; None: `threshold`). A follow-up read
    with its topic scores differently from a question that stands alone, and "tell me more"
    from a follow-up that names what it asks, so each threshold is chosen on the training
    conversations' turns of its kind."""

    continues: Logistic
    more: Logistic
    fingerprint: str
    w_context: float = 0.0
    w_evidence: float = 0.0
    threshold: float | None = None
    more_threshold: float | None = None
    answers: Logistic | None = None

    def confidence(self, scores: Sequence[float], message: str, kind: TurnKind) -> float:
        """P(the sources answer a follow-up) from the relevance judge's confidence in its four
        searches (in the order of `JUDGE_FEATURES`): the follow-up judge's, or without one the
        mean of the first two readings'."""
        if self.answers is None:
            return (scores[0] + scores[1]) / 2
        return float(self.answers.probability(judge_features(scores, message, kind)))

    def threshold_for(self, kind: TurnKind) -> float | None:
        """The judge's confidence above which a turn of this kind counts as answered."""
        if kind == "more" and self.more_threshold is not None:
            return self.more_threshold
        return self.threshold

    def kind_of(self, x: np.ndarray) -> TurnKind:
        """The kind of a message from its `features`."""
        if float(self.continues.probability(x)) < 0.5:
            return "new"
        return "more" if float(self.more.probability(x)) >= 0.5 else "follow_up"

    def mix(
        self, message: np.ndarray, context: np.ndarray, evidence: np.ndarray | None
    ) -> np.ndarray:
        """The follow-up's search vector: the message (read with its topic by the follow-up
        encoder when there is one), the topic (the previous turn's query) and the topic's
        evidence (unit vectors; `evidence` the mean of the quotes' vectors, None when none was
        found or when judging whether the sources answer it). The two weights are chosen on the
        training conversations (bot.training.conversation)."""
        vector = message + self.w_context * context
        if evidence is not None and evidence.size:
            unit = evidence / max(float(np.linalg.norm(evidence)), 1e-9)
            vector = vector + self.w_evidence * unit
        return vector / max(float(np.linalg.norm(vector)), 1e-9)

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES),
            "continues": self.continues.to_dict(),
            "more": self.more.to_dict(),
            "w_context": self.w_context,
            "w_evidence": self.w_evidence,
            "threshold": self.threshold,
            "more_threshold": self.more_threshold,
            "judge_features": list(JUDGE_FEATURES),
            "answers": self.answers.to_dict() if self.answers is not None else None,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Model:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        answers = data.get("answers")  # None: fitted before there was a follow-up judge
        if data["features"] != list(FEATURES) or (
            answers and data.get("judge_features") != list(JUDGE_FEATURES)
        ):
            raise ValueError(f"{path} was trained on other features; run python -m bot train ...")
        return cls(
            Logistic.from_dict(data["continues"]),
            Logistic.from_dict(data["more"]),
            data["fingerprint"],
            float(data["w_context"]),
            float(data["w_evidence"]),
            data.get("threshold"),
            data.get("more_threshold"),
            Logistic.from_dict(answers) if answers else None,
        )


@dataclass(frozen=True)
class SourceHead:
    """P(a later message asks where the answer before came from) from its `features`, trained
    on written conversations (bot.training.sources). A separate head, because the follow-up
    encoder taught such turns moved the other follow-ups (docs/quality.md). `fingerprint`
    covers its data; `retrieval_encoder` names the encoder whose vectors it read."""

    model: Logistic
    threshold: float
    fingerprint: str
    retrieval_encoder: str

    def asks_source(self, x: np.ndarray) -> bool:
        return float(self.model.probability(x)) >= self.threshold

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES),
            "model": self.model.to_dict(),
            "threshold": self.threshold,
            "fingerprint": self.fingerprint,
            "retrieval_encoder": self.retrieval_encoder,
        }

    @classmethod
    def load(cls, path: Path = SOURCES_FILE) -> SourceHead:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data["features"] != list(FEATURES):
            raise ValueError(f"{path} was trained on other features; run python -m bot train ...")
        return cls(
            Logistic.from_dict(data["model"]),
            float(data["threshold"]),
            data["fingerprint"],
            data["retrieval_encoder"],
        )


@dataclass(frozen=True)
class Turn:
    """What to search for one message.

    `query` is the text the lexical search and the judge read; the dense search reads `message`
    mixed with `context` (the previous turn's query) and the evidence that context finds
    (`mix`). "More" is searched as a follow-up, and never quotes what the topic's earlier
    turns (`after`, oldest first) showed: so "anything else?" reads on, and a request for more
    on a named point finds that point without repeating the answer before. A request for the
    source (`asks_source`) is the turn before with the new message as its `question`: searched
    as that turn was.
    """

    question: str
    kind: TurnKind
    query: str
    message: str
    context: str = ""
    after: tuple[Turn, ...] = ()
    asks_source: bool = False


def follow_up_text(turn: Turn) -> str:
    """What the follow-up encoder reads: the topic, then the message. Training and answering
    both build it here, so the two never differ."""
    return f"{turn.context} [SEP] {turn.message}"


def _topic_words(query: str) -> str:
    return " ".join(dict.fromkeys(_content(words(query))))


def resolve(
    model: Model | None,
    history: Sequence[str],
    question: str,
    encode: Encode | None = None,
    sources: SourceHead | None = None,
) -> Turn:
    """The turn for `question` after `history` (the person's earlier messages, oldest first);
    `encode` gives the messages' vectors, which the models read (needed with a model).

    Replays the history so a chain of follow-ups keeps its topic: each follow-up's query is
    its own words and the content words of the previous turn's query; "more" is a follow-up
    that reads on after the topic's earlier answers; a message the `sources` head reads as
    asking where the answer before came from repeats the turn before.
    """
    if model is None or not history:
        return Turn(question, "new", question, question)
    if encode is None:
        raise ValueError("the follow-up models read the messages' vectors: pass `encode`")
    messages = [*history[-MAX_HISTORY:], question]
    # One at a time: the query encoder keeps single texts' vectors, so a chat's earlier
    # messages are not encoded again at each question.
    vectors = [encode([m])[0] for m in messages]
    turn: Turn | None = None
    for i, message in enumerate(messages):
        before = turn.question if turn is not None else ""
        kind: TurnKind = "new"
        if turn is not None:
            x = features(message, before, vectors[i], vectors[i - 1])
            if sources is not None and sources.asks_source(x):
                turn = replace(turn, question=message, asks_source=True)
                continue
            kind = model.kind_of(x)
        if turn is None or kind == "new":
            turn = Turn(message, "new", message, message)
        else:
            query = f"{message} {_topic_words(turn.query)}"
            after = (*turn.after, replace(turn, after=()))[-MAX_SHOWN:] if kind == "more" else ()
            turn = Turn(message, kind, query, message, turn.query, after)
    assert turn is not None
    return turn


def load_model(path: Path = MODEL_FILE) -> Model | None:
    """The trained follow-up models, or None when not trained (every message stands alone)."""
    try:
        return Model.load(path)
    except (OSError, ValueError, KeyError):
        return None


def load_sources(path: Path = SOURCES_FILE) -> SourceHead | None:
    """The trained source head, or None when not trained (no message is read as one)."""
    try:
        return SourceHead.load(path)
    except (OSError, ValueError, KeyError):
        return None
