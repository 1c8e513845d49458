"""Training the follow-up models (bot.conversation) from written conversations.

Each training file holds conversations of two to four turns, one per line, each turn with the
message as typed, the same question written out in full, and its kind (`more` for "tell me
more"). A later turn continues the topic when it is `more` or when its full form holds a content
word the message lacks (`needs_context`): what only the conversation could supply. Writers
rewrite nearly every later turn in full, new topics included, so a full form that merely
differs (case, spelling, a politer wording) does not make a follow-up. The first turn of each
conversation, read after the last turn of the one before, is a new topic, as when a person
changes subject. Both models read each message's surface and its vector
(bot.conversation.features), with the L2 strength of `GRID_C` that reads the held third of the
conversations (below) best when fitted on the rest. On the training conversations of 2026-12-06
the vector took the "continues" model's accuracy on that third from 0.85 to 0.95.

Then the follow-up encoder: LoRA adapters (bot.adapter), starting from the retrieval model's,
trained so that the topic and the message read together (`follow_up_text`) land near the
sentences that answer the follow-up. The sentences' vectors are the index's own and stay fixed,
so every sentence of the corpus is a negative in every step. Answerable turns the model reads
as follow-ups teach it, and so do requests for more, with the further sentences their writers
chose; the adapter records the data's fingerprint and the retrieval encoder whose vectors it
was fitted to.

The weights of `Model.mix` (how much of the topic and of its evidence a follow-up's search
carries) are then chosen on the same conversations: every answerable or "more" turn the model
reads as continuing a topic is searched with each pair of weights on a small grid, against
the live index, and the pair with the best hit@3 wins (the smaller weights on a tie). Last,
whether the sources answer a follow-up. Read with their topic, follow-ups score unlike
standalone questions (with the judge's own threshold, a quarter of answerable follow-ups went
unanswered), and a bare "numbers?" scores low in every single search, so a small follow-up
judge reads the relevance judge's confidence in four searches of the turn and its surface
(bot.conversation.judge_features), fitted on answerable and out-of-scope later turns. Its
threshold is chosen by the relevance judge's rule and rate: the highest that still answers 96%
of the answerable ones; and one for requests for more, on the turns read as such ("tell me
more" read with its topic scores lower than a follow-up that names what it asks).
Weights and thresholds are chosen with a trial encoder on the third of the conversations it
was not fitted on; the encoder stored is then fitted on all of them.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from bot.adapter import (
    data_fingerprint,
    encoder_fingerprint,
    has_adapter,
    mean_pool,
    new_lora_model,
    save_adapter,
    trainable_from,
)
from bot.conversation import (
    MODEL_FILE,
    TRAIN_DIR,
    Encode,
    Model,
    Turn,
    content_stems,
    features,
    follow_up_text,
    judge_features,
    resolve,
)
from bot.evaluation.conversations import asks_source
from bot.evaluation.scoring import hit_rank
from bot.judge import Logistic
from bot.training.data import data_files, fit_logistic, rows
from bot.training.relevance import Example, Sentences, answer_threshold, corpus_sentences

# Inverse L2 strengths tried for the two models (a few hundred features each, some 15,000 and
# 2,000 turns).
GRID_C = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
GRID_CONTEXT = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
GRID_EVIDENCE = (0.0, 0.15, 0.3, 0.5, 0.75, 1.0, 1.5)
SEED = 13


@dataclass(frozen=True)
class EncoderSettings:
    """The follow-up encoder's training. On M8 and M9's answerable follow-ups (trained on M1,
    M3-M7), hit@3 rose from 0.68 (the retrieval encoder, mixed) to 0.75, 0.83, 0.84 and 0.86
    after one to four epochs."""

    epochs: int = 4
    batch_size: int = 16
    learning_rate: float = 1e-4
    scale: float = 20.0  # inverse temperature of the softmax over the corpus's sentences
    max_tokens: int = 128
    rank: int = 16  # only when there is no retrieval adapter to start from


@dataclass(frozen=True)
class Examples:
    """Every turn that has a turn before it: its features, whether it continues the topic,
    whether it asks for more and whether it asks where the answer before came from
    (`asks_source`), and whether its conversation is in the third kept for choosing
    (`_held`)."""

    x: np.ndarray
    continues: np.ndarray
    more: np.ndarray
    source: np.ndarray
    held: np.ndarray


def examples(paths: list[Path], encode: Encode) -> Examples:
    """The `Examples` of the conversations in `paths`, read with the vectors of `encode`."""
    pairs, continues, more, source, held = [], [], [], [], []
    before = ""
    for _, row in rows(paths):
        turns = row["turns"]
        for i, turn in enumerate(turns):
            previous = turns[i - 1]["question"] if i else before
            if not previous:
                continue
            pairs.append((turn["question"], previous))
            asks_more = i > 0 and turn["kind"] == "more"
            follows = i > 0 and (asks_more or needs_context(turn))
            continues.append(follows)
            more.append(asks_more)
            source.append(i > 0 and asks_source(turn, turns[i - 1]))
            held.append(_held(row))
        before = turns[-1]["question"]
    texts = sorted({t for pair in pairs for t in pair})
    vectors = dict(zip(texts, encode(texts), strict=True))
    x = [features(m, p, vectors[m], vectors[p]) for m, p in pairs]
    return Examples(
        np.array(x), np.array(continues), np.array(more), np.array(source), np.array(held)
    )


def needs_context(turn: dict[str, Any]) -> bool:
    """Whether a written turn's full form holds a content word its message lacks."""
    return bool(content_stems(turn["full"]) - content_stems(turn["question"]))


def _fit_kinds(data: Examples, c: float, rows: np.ndarray, fingerprint: str) -> Model:
    """The two kind models fitted on the examples `rows` (a boolean mask) with the L2 strength
    `c`."""
    x, continues = data.x[rows], data.continues[rows]
    return Model(
        fit_logistic(x, continues.astype(int), c),
        fit_logistic(x[continues], data.more[rows][continues].astype(int), c),
        fingerprint,
    )


def _accuracy(model: Model, data: Examples, rows: np.ndarray) -> float:
    kinds = np.array([model.kind_of(v) for v in data.x[rows]])
    truth = np.where(data.more, "more", np.where(data.continues, "follow_up", "new"))[rows]
    return float(np.mean(kinds == truth))


def fit_kinds(data: Examples, fingerprint: str) -> tuple[Model, float, float]:
    """The kind models fitted on all the examples with the L2 strength of `GRID_C` that reads
    the held-out third's turns best when fitted on the rest; with that strength and accuracy."""
    scores = {c: _accuracy(_fit_kinds(data, c, ~data.held, ""), data, data.held) for c in GRID_C}
    best = max(GRID_C, key=lambda c: (scores[c], -c))
    return _fit_kinds(data, best, np.ones(len(data.x), bool), fingerprint), best, scores[best]


@dataclass(frozen=True)
class FollowUp:
    """A later turn that the model reads as continuing its topic, resolved in its conversation,
    with the written kind, source and evidence."""

    turn: Turn
    kind: str
    source: str
    evidence: tuple[str, ...]


Part = Literal["all", "fit", "choose"]
CHOOSE_SHARE = 1 / 3  # conversations kept from the trial encoder to choose weights and threshold


def _opening_digest(row: dict[str, Any]) -> bytes:
    """A hash of a conversation's opening: what places it in a part or fold, all turns together."""
    return hashlib.sha256(row["turns"][0]["question"].strip().lower().encode()).digest()


def _held(row: dict[str, Any]) -> bool:
    """Whether a conversation is in the third kept for choosing."""
    return _opening_digest(row)[0] / 256 < CHOOSE_SHARE


def _conversations(paths: list[Path], part: Part) -> Iterator[dict[str, Any]]:
    """The conversations of `paths`; "choose" the held third of them, "fit" the rest."""
    for _, row in rows(paths):
        if part == "all" or _held(row) == (part == "choose"):
            yield row


def _later_turns(
    model: Model, paths: list[Path], part: Part, encode: Encode
) -> Iterator[tuple[dict[str, Any], dict[str, Any], Turn]]:
    """Each later turn of the conversations, with its conversation, as written and as `model`
    resolves it after the turns before it."""
    for row in _conversations(paths, part):
        history: list[str] = []
        for turn in row["turns"]:
            if history:
                yield row, turn, resolve(model, history, turn["question"], encode)
            history.append(turn["question"])


def follow_ups(
    model: Model, paths: list[Path], encode: Encode, part: Part = "all"
) -> list[FollowUp]:
    """Each answerable or "more" later turn that `model` reads as continuing its topic."""
    return [
        FollowUp(resolved, turn["kind"], turn.get("source", ""), tuple(turn["evidence"]))
        for _, turn, resolved in _later_turns(model, paths, part, encode)
        if turn["kind"] in ("answerable", "more") and turn.get("evidence") and resolved.context
    ]


class _Reader:
    """A trained follow-up encoder, read as the product reads its ONNX export, with the record
    to store beside it."""

    def __init__(self, model: Any, tokenizer: Any, max_tokens: int, record: dict[str, Any]):
        self.model, self.tokenizer, self.max_tokens = model, tokenizer, max_tokens
        self.record = record

    def encode(self, texts: list[str]) -> np.ndarray:
        import torch

        self.model.eval()
        with torch.no_grad():
            return mean_pool(self.model, self.tokenizer, texts, self.max_tokens).numpy()


def corpus_targets(bot: Any) -> tuple[Sentences, np.ndarray]:
    """The corpus's sentences, cut as the index cuts them, and their unit vectors by the
    retrieval model (the index's own): what the follow-up encoder learns to land near."""
    sentences = corpus_sentences(bot.config)
    vectors = bot.encoder.encode(sentences.texts)
    return sentences, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def train_follow_up_encoder(
    bot: Any,
    cases: list[FollowUp],
    corpus: tuple[Sentences, np.ndarray],
    settings: EncoderSettings,
    log: Any = print,
) -> _Reader:
    """Fit the follow-up encoder on the `cases` read as follow-ups and the requests for more,
    against the `corpus_targets`."""
    import torch
    from transformers import AutoTokenizer

    config = bot.config
    sentences, vectors = corpus
    targets = torch.tensor(vectors)
    items = []
    for case in cases:
        if case.kind == "more" or case.turn.kind == "follow_up":
            positives = sentences.positives(Example("", "answerable", case.source, case.evidence))
            if positives:
                items.append((follow_up_text(case.turn), sorted(positives)))
    if not items:
        raise SystemExit("no follow-up or request for more with evidence in the corpus to train on")
    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    tokenizer = AutoTokenizer.from_pretrained(config.model_path, local_files_only=True)
    start = config.adapter("retrieval")
    model = (
        trainable_from(config.model_path, start)
        if has_adapter(start)
        else new_lora_model(config.model_path, settings.rank, 2 * settings.rank, 0.1)
    )
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=settings.learning_rate, weight_decay=0.01)
    t0 = time.perf_counter()
    for epoch in range(settings.epochs):
        model.train()
        rng.shuffle(items)
        total = 0.0
        for lo in range(0, len(items), settings.batch_size):
            batch = items[lo : lo + settings.batch_size]
            queries = mean_pool(model, tokenizer, [text for text, _ in batch], settings.max_tokens)
            logits = settings.scale * queries @ targets.T
            answers = torch.full_like(logits, -1e4)
            for row, (_, positives) in enumerate(batch):
                answers[row, positives] = 0.0
            # Every sentence that answers counts: the softmax's mass on all of them.
            loss = (torch.logsumexp(logits, 1) - torch.logsumexp(logits + answers, 1)).mean()
            loss.backward()
            optimiser.step()
            optimiser.zero_grad()
            total += float(loss.detach()) * len(batch)
        log(
            f"follow-up encoder epoch {epoch + 1}/{settings.epochs}: loss "
            f"{total / len(items):.3f} ({time.perf_counter() - t0:.0f} s)"
        )
    record = {
        "follow_ups": len(items),
        "retrieval_encoder": encoder_fingerprint(config, "retrieval"),
        "settings": asdict(settings),
        "seconds": round(time.perf_counter() - t0),
    }
    return _Reader(model, tokenizer, settings.max_tokens, record)


def choose_weights(
    bot: Any, model: Model, paths: list[Path], reader: Any = None, part: Part = "all"
) -> tuple[Model, float, int]:
    """`model` with the grid's best mixing weights on the follow-ups of `paths`, their hit@3
    and the number of follow-ups; `reader` reads a follow-up with its topic (by default the
    trained follow-up encoder, if any)."""
    retriever = bot.retriever
    # What a "more" turn must not repeat, replayed once with the stored models: an
    # approximation while the weights are tried, as the earlier answers change with them.
    cases = [
        (
            c.turn,
            list(c.evidence),
            bot.follow_up_vectors(retriever, c.turn, reader),
            bot.shown_before(retriever, c.turn),
        )
        for c in follow_ups(model, paths, bot.encoder.encode, part)
    ]
    best, best_hit = model, -1.0
    for w_context in GRID_CONTEXT:
        for w_evidence in GRID_EVIDENCE:
            trial = replace(model, w_context=w_context, w_evidence=w_evidence)
            hits = 0
            for turn, evidence, vectors, shown in cases:
                mix = trial.mix(vectors.message, vectors.context, vectors.evidence)
                found = retriever.search(turn.query, mix, shown=shown)
                quotes = [{"quote": retriever.quote_text(h)} for h in found.hits]
                hits += hit_rank(quotes, evidence) > 0
            hit = hits / max(1, len(cases))
            if hit > best_hit + 1e-9:
                best, best_hit = trial, hit
    return best, best_hit, len(cases)


# The writers' kinds of the turns that the sources answer, among the later turns read as each
# kind: the follow-ups' threshold is chosen on answerable turns, that of requests for more on
# the writers' requests for more too.
ANSWERED_KINDS: dict[str, tuple[str, ...]] = {
    "follow_up": ("answerable",),
    "more": ("answerable", "more"),
}


JUDGE_FOLDS = 5
JUDGE_C = 1.0  # six standardised features, a few thousand turns: little to regularise


def _fold(row: dict[str, Any]) -> int:
    """The fold of a conversation, so its turns stay together."""
    return _opening_digest(row)[1] % JUDGE_FOLDS


def out_of_fold(x: np.ndarray, y: np.ndarray, fold: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Each turn's confidence from a judge fitted on the other folds' turns. A fold whose
    other folds hold one kind of turn only (thin data) keeps its `given` confidence, the mean
    of two readings that a model without a judge would use."""
    confidence = given.astype(np.float64)
    for k in np.unique(fold):
        rest = fold != k
        if 0 < y[rest].sum() < rest.sum():
            confidence[~rest] = fit_logistic(x[rest], y[rest], JUDGE_C).probability(x[~rest])
    return confidence


def fit_follow_up_judge(
    bot: Any, model: Model, paths: list[Path], reader: Any = None, part: Part = "all"
) -> tuple[Logistic | None, dict[str, tuple[float, dict[str, float]]]]:
    """The follow-up judge (bot.conversation.Model.answers), fitted on the later turns of
    `paths` that `model` reads as a kind of `ANSWERED_KINDS`, which the sources answer (the
    writers' kinds listed there) or not (out of scope); and for each kind the confidence above
    which such a turn counts as answered, by the relevance judge's rule and rate
    (bot.training.relevance.ANSWER_RATE): the highest that still answers that share of the
    answered ones. The rate is read on confidences the judge gave turns of conversations it was
    not fitted on (`JUDGE_FOLDS` folds), with the shares answered and of out-of-scope turns
    abstained. Without enough of both kinds of turn, no judge: two readings' mean decides."""
    retriever = bot.retriever
    xs, answered, kinds, folds, given = [], [], [], [], []
    for row, turn, resolved in _later_turns(model, paths, part, bot.encoder.encode):
        if turn["kind"] not in (*ANSWERED_KINDS.get(resolved.kind, ()), "out_of_scope"):
            continue
        shown = bot.shown_before(retriever, resolved)  # by the stored models, as in choose_weights
        reading, found = bot.follow_up_search(retriever, resolved, shown, model, reader)
        _, scores = bot.follow_up_scores(retriever, resolved, reading, found, model)
        if scores is None:
            continue
        xs.append(judge_features(scores, resolved.message, resolved.kind))
        answered.append(turn["kind"] != "out_of_scope")
        kinds.append(resolved.kind)
        folds.append(_fold(row))
        given.append(model.confidence(scores, resolved.message, resolved.kind))
    y, kind = np.array(answered, bool), np.array(kinds)
    judge, confidence = None, np.array(given)
    if min(y.sum(), (~y).sum()) >= JUDGE_FOLDS:
        x = np.array(xs)
        confidence = out_of_fold(x, y, np.array(folds), confidence)
        judge = fit_logistic(x, y, JUDGE_C)
    default = bot.judge.threshold if bot.judge is not None else 0.5
    thresholds = {
        k: _threshold(
            list(confidence[(kind == k) & y]), list(confidence[(kind == k) & ~y]), default
        )
        for k in ANSWERED_KINDS
    }
    return judge, thresholds


def _threshold(
    answerable: list[float], out_of_scope: list[float], default: float
) -> tuple[float, dict[str, float]]:
    """The threshold that answers the judge's share (bot.training.relevance.ANSWER_RATE) of the
    `answerable` confidences (`default` when there are none), with the shares answered and
    abstained."""
    if not answerable:
        return default, {}
    yes, no = np.array(answerable), np.array(out_of_scope)
    threshold = answer_threshold(yes)
    shares = {"answered": float((yes >= threshold).mean())}
    if no.size:
        shares["out_of_scope_abstained"] = float((no < threshold).mean())
    return threshold, shares


def train_conversation(
    folder: Path = TRAIN_DIR,
    out: Path = MODEL_FILE,
    bot: Any = None,
    settings: EncoderSettings | None = None,
    log: Any = print,
) -> dict[str, Any]:
    """Fit both models on the files of `folder`; with a trial follow-up encoder fitted on two
    thirds of the conversations, choose the mixing weights and the threshold on the other
    third, against the index `bot` answers from (a `Bot` on the default configuration when
    None); then fit the follow-up encoder on all of them into the folder `adapter/` beside
    `out`. Writes the model with the data's fingerprint to `out` and returns what was written
    with the figures."""
    files = data_files(folder)
    if not files:
        raise SystemExit(f"no training files (*.jsonl) in {folder}")
    if bot is None:
        from bot.assistant import Bot

        bot = Bot(progress=False)
    encode = bot.encoder.encode
    data = examples(files, encode)
    model, c, held_out_accuracy = fit_kinds(data, data_fingerprint(files))
    log(f"kind models: L2 strength C={c}, held-out accuracy {held_out_accuracy:.3f}")
    settings = settings or EncoderSettings()
    corpus = corpus_targets(bot)
    trial = train_follow_up_encoder(
        bot, follow_ups(model, files, encode, "fit"), corpus, settings, log
    )
    model, hit3, n_follow_ups = choose_weights(bot, model, files, trial, "choose")
    judge, thresholds = fit_follow_up_judge(bot, model, files, trial, "choose")
    (threshold, shares), (more_threshold, more_shares) = thresholds["follow_up"], thresholds["more"]
    model = replace(model, threshold=threshold, more_threshold=more_threshold, answers=judge)
    final = train_follow_up_encoder(bot, follow_ups(model, files, encode), corpus, settings, log)
    about = {"data_files": [f.name for f in files], "data_fingerprint": model.fingerprint}
    save_adapter(final.model, out.parent / "adapter", about | final.record)
    out.parent.mkdir(parents=True, exist_ok=True)
    record = model.to_dict()
    out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return {
        "files": [f.name for f in files],
        "turns": len(data.x),
        "training_accuracy": round(_accuracy(model, data, np.ones(len(data.x), bool)), 3),
        "kind_c": c,
        "kind_held_out_accuracy": round(held_out_accuracy, 3),
        "w_context": model.w_context,
        "w_evidence": model.w_evidence,
        "threshold": round(threshold, 4),
        "held_out_decisions": {k: round(v, 3) for k, v in shares.items()},
        "more_threshold": round(more_threshold, 4),
        "held_out_more_decisions": {k: round(v, 3) for k, v in more_shares.items()},
        "held_out_follow_ups": n_follow_ups,
        "held_out_follow_up_hit3": round(hit3, 3),
        "follow_up_judge": judge is not None,
        "fingerprint": model.fingerprint,
    }
