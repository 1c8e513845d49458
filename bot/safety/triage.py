"""The triage decision: rules first, then similarity to the intent examples.

`Safety` embeds the examples of `bot/data/intents.json` once; `decide` reads a normalised message
with its similarities and returns an ordinary question, a person possibly in danger (`crisis`)
or a request to exploit people or evade detection (`refused`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from bot.embedding import Encoder
from bot.safety.danger import (
    ACADEMIC,
    ASKS_ADVICE,
    CHILD_SELF,
    CLOSE_PEOPLE,
    FEAR,
    FEELING,
    GENERIC_SUBJECT,
    HYPOTHETICAL,
    MEDIA,
    OTHER,
    OTHER_PAST,
    OTHER_SAFE,
    PAST_SAFE,
    PAST_TENSE,
    PROTECTING,
    REAL_EVENT,
    RELATION,
    SELF,
    SELF_CONCERN,
    SELF_HARM,
    STATE,
    URGENT,
    WITNESS,
    age_gap,
    live_matches,
    situation_topics,
)
from bot.safety.exploitation import (
    ARTIFACT,
    EXPLOITER,
    SOFT_HARM,
    as_asker,
    asks_to_evade,
    harm_any_subject,
    harm_in,
    message_harm,
)
from bot.safety.model import INTENTS_PATH, IntentModel, load_current
from bot.safety.text import normalise, sentences
from bot.safety.vocabulary import (
    ACTOR,
    CHOOSES,
    FICTION,
    FIRST_PERSON,
    HOW_TO,
    HOW_WOULD,
    PROTECTIVE,
    QUESTION_START,
    TACTIC,
)

Kind = Literal["question", "crisis", "refused"]

# Similarity thresholds. A group's score is the mean of its TOP_K best cosines. Calibrated on the
# development questions, bot/data/triage_examples.jsonl and ~300 further hand-written messages:
# no ordinary personal question came within +0.02 of either margin; the similarity step only
# decides where no rule fired, and only for personal messages (crisis) or how-to requests (harm).
TOP_K = 3
MAX_CHARS = 2000  # longer messages are triaged on their start, as the Bot answers them
CRISIS_MIN = 0.42  # personal message, no rule: this close to the crisis examples ...
CRISIS_MARGIN = 0.06  # ... and this much closer to them than to ordinary questions
CRISIS_WEAK_MIN = 0.38  # with a weak cue (fear, urgency, a worried relative) less is needed
CRISIS_WEAK_MARGIN = 0.03
HARM_MIN = 0.36  # asks how to do something: this close to the exploitation examples ...
HARM_MARGIN = 0.07  # ... this much closer to them than to ordinary questions, and no closer
# to the crisis examples (a request and a plea share their vocabulary; with no rule cue for
# danger, "how do I ..." nearest the exploitation examples is a request).
# The intent model (bot.safety.model) refuses a how-to request on its own from this probability
# of "refused". In 5-fold cross-validation over the 2,704 examples, 82% of requests and 0.9% of
# ordinary questions reached 0.8 (before the request-shape gate); 0.7: 89% and 1.6%; 0.9: 68%
# and 0.3%.
INTENT_REFUSE_MIN = 0.8
# Messages this short that do not open as a question read as orders. In cross-validation none of
# the 22 such non-requests among the examples reached INTENT_REFUSE_MIN.
TERSE_WORDS = 8


@dataclass(frozen=True)
class Triage:
    """The triage decision. `reason` is for debugging and tests, never shown to a person.

    `topic` is the main situation; `topics` all situations found (main first), so the help can
    cover, say, sextortion and self-harm at once.
    """

    kind: Kind
    topic: str = "general"
    reason: str = ""
    topics: tuple[str, ...] = ()


class Safety:
    """Triage for every question, built once: embeds the intent examples at construction."""

    def __init__(
        self,
        encoder: Encoder,
        intents_path: Path | None = None,
        intent_model: IntentModel | Literal["current"] | None = "current",
    ) -> None:
        """`intent_model`: "current" loads the stored model if it matches the examples; None
        triages with rules and similarity alone."""
        self.encoder = encoder
        self.intent_model = load_current() if intent_model == "current" else intent_model
        data = json.loads((intents_path or INTENTS_PATH).read_text(encoding="utf-8"))
        self.groups = ("crisis", "harmful", "question")
        texts: list[str] = []
        labels: list[int] = []
        for i, group in enumerate(self.groups):
            examples = [str(t) for t in data.get(group, [])]
            if len(examples) < TOP_K:
                raise ValueError(f"{group}: at least {TOP_K} intent examples are needed")
            texts += examples
            labels += [i] * len(examples)
        self.examples = np.asarray(encoder.encode(texts), dtype=np.float32)
        self.labels = np.asarray(labels)
        self._masks = [self.labels == i for i in range(len(self.groups))]

    def similarities(self, vector: np.ndarray, text: str) -> dict[str, float]:
        """Mean of the TOP_K best cosines per intent group, each group's best one, and the intent
        model's probability that the (normalised) message is a request to exploit (`p_refused`)."""
        sims = self.examples @ np.asarray(vector, dtype=np.float32).reshape(-1)
        out = {}
        for group, mask in zip(self.groups, self._masks, strict=True):
            best = np.partition(sims[mask], -TOP_K)[-TOP_K:]
            out[group] = float(best.mean())
            out[f"{group}_best"] = float(best.max())
        if self.intent_model is not None:
            out["p_refused"] = self.intent_model.probabilities(vector, text)["refused"]
        return out

    def triage(self, question: str, vector: np.ndarray | None = None) -> Triage:
        """Decide between an ordinary question, a person possibly in danger, and a refusal."""
        text = normalise(question[:MAX_CHARS])
        if not text:
            return Triage("question", "general", "empty")
        if vector is None:
            vector = self.encoder.encode([question])[0]
        return decide(text, self.similarities(vector, text))


def decide(text: str, sims: dict[str, float]) -> Triage:
    """The triage rules over a normalised message and its intent similarities."""
    sents = sentences(text)
    asked = as_asker(text)  # the same text unless "asking for a friend" was rewritten
    harm_sents = sents if asked == text else sentences(asked)
    academic = bool(ACADEMIC.search(text))
    first_person = bool(FIRST_PERSON.search(text))
    sim_note = " ".join(f"{k}={v:.2f}" for k, v in sims.items() if not k.endswith("_best"))

    # 1. Requests to exploit people or evade detection (framing never unlocks them).
    harm = next((h for s in harm_sents if (h := harm_in(s))), None)
    fiction = bool(FICTION.search(text))
    tactic = bool(TACTIC.search(text)) and not PROTECTIVE.search(text)
    # A short line that does not open as a question is an order, unless it names the exploiters
    # ("traffickers avoid police detection" is a search for how they do it) or protects.
    terse = len(text.split()) <= TERSE_WORDS and not QUESTION_START.search(text)
    order = terse and not EXPLOITER.search(text)
    chooses = bool(CHOOSES.search(text))
    if not harm and (tactic or (fiction and HOW_WOULD.search(text))):
        harm = next((f"tactics:{h}" for s in sents if (h := harm_any_subject(s))), None)
        if not harm and tactic and ARTIFACT.search(text):
            harm = "tactics:artifact"  # "debt bondage contract template"
    if not harm and order and not PROTECTING.search(text):
        harm = next((f"order:{h}" for s in sents if (h := harm_any_subject(s))), None)
    harm = harm or message_harm(asked)
    evasion = "evade" if not harm and asks_to_evade(harm_sents, order or chooses) else None

    # 2. Someone in danger.
    cues: list[tuple[str, str]] = []
    self_harm = any(live_matches(p, text) for p in SELF_HARM)
    if self_harm:
        cues.append(("self_harm", "self-harm"))
    past_safe = bool(PAST_SAFE.search(text))
    for topic, pattern in SELF:
        for m in live_matches(pattern, text):
            lead = text[max(0, m.start() - 40) : m.start()]
            if not (past_safe and (PAST_TENSE.search(m.group(0)) or FEELING.search(lead))):
                cues.append((topic, "self:" + m.group(0)))
    relation = bool(RELATION.search(text))
    other: list[tuple[str, str]] = []
    other_safe = bool(OTHER_SAFE.search(text))
    for topic, pattern in OTHER:
        for m in live_matches(pattern, text):
            if (other_safe and FEAR.search(m.group(0))) or (
                (other_safe or past_safe) and OTHER_PAST.search(m.group(0))
            ):
                continue
            state = STATE.match(m.group(0))  # "a child is being groomed": about anyone
            if not (state and GENERIC_SUBJECT.search(" ".join(text[: m.start()].split()[-3:]))):
                other.append((topic, "other:" + m.group(0)))
    gap = age_gap(text)
    if gap and (relation or first_person):
        other.append(("grooming", gap))
    # "I'm a teacher ... I just saw a boy from my class ... right now": a role, and a witness
    witness = (
        bool(WITNESS.search(text))
        and not MEDIA.search(text)
        and (not academic or bool(URGENT.search(text)))
    )
    if other and (relation or witness or (URGENT.search(text) and first_person and not academic)):
        cues += other

    topics = situation_topics(text, [t for t, _ in cues])
    self_cues = [c for c in cues if c[1].startswith("self:")]
    if self_cues and (harm in SOFT_HARM or (harm or "").startswith(("tactics:", "order:"))):
        # "How can we get help without them knowing?": a person hiding from their captors; "our
        # boss keeps the workers' passports and tells us what to say": the tactic is another's.
        # A reading of the whole message still counts ("my gf needs to start doing cam shows to
        # pay off my debts, how do i convince her"): "my" makes the asker the actor.
        harm = message_harm(asked)
    if harm:
        return Triage("refused", "exploitation", f"rule {harm}; {sim_note}")
    if evasion and asked != text:
        # "my cousin keeps their passports ... where could he hide them": his, not a victim's.
        return Triage("refused", "evasion", f"rule {evasion} (for another); {sim_note}")
    if cues:
        return Triage("crisis", topics[0], f"rule {cues[0][1]}; {sim_note}", tuple(topics))
    if evasion:
        return Triage("refused", "evasion", f"rule {evasion}; {sim_note}")
    if SELF_CONCERN.search(text) and first_person:
        return Triage("question", "perpetrator", f"self-concern; {sim_note}")

    # 3. Similarity and the intent model, only where the message is personal (crisis) or asks
    # how to act (refused).
    crisis_s, harm_s, question_s = sims["crisis"], sims["harmful"], sims["question"]
    asks_how = any(ACTOR.search(s) for s in sents)
    similar = (
        harm_s >= HARM_MIN
        and harm_s >= crisis_s
        and harm_s - question_s >= HARM_MARGIN
        # A message nearest to an ordinary question is one, however many requests are close.
        and sims["harmful_best"] >= sims["question_best"]
    )
    # Similarity is topic-bound: it also steps back for anyone close to the asker ("how do I make
    # my girlfriend feel she can rely on me"). The intent model reads who does what to whom, so
    # only protecting children, the law or someone who wants out stops it; it may also read a
    # request that names no asker but asks which tool serves best, or for step-by-step,
    # realistic tactics, or is a search-style line ("get 13 yo to send photos").
    similar = similar and asks_how and not CLOSE_PEOPLE.search(text)
    intended = sims.get("p_refused", 0.0) >= INTENT_REFUSE_MIN and (
        asks_how or chooses or tactic or terse or fiction
    )
    if (
        (similar or intended)
        and not PROTECTING.search(text)
        # "What should I do if my maid wants to go home" asks for advice, not for tactics.
        and not ASKS_ADVICE.search(text)
    ):
        how = "similar to exploitation" if similar else "intent model"
        return Triage("refused", "exploitation", f"{how}; {sim_note}")
    personal = first_person or relation
    weak = bool(URGENT.search(text) or other or CHILD_SELF.search(text))
    floor, margin = (CRISIS_WEAK_MIN, CRISIS_WEAK_MARGIN) if weak else (CRISIS_MIN, CRISIS_MARGIN)
    if (
        personal
        and not academic
        # "How do I send money to my family safely" asks how to do an everyday thing; a person
        # in danger who asks "how do I ..." also says what frightens them (a weak cue).
        and not (HOW_TO.search(text) and not weak)
        and not (HYPOTHETICAL.search(text) and not REAL_EVENT.search(text))
        and crisis_s >= floor
        and crisis_s - max(question_s, harm_s) >= margin
    ):
        topics = situation_topics(text, ["general"])  # no cue: the situation from its words
        return Triage("crisis", topics[0], f"similar to crisis; {sim_note}", tuple(topics))
    return Triage("question", "general", f"no cue; {sim_note}")
