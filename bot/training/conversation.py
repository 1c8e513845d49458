"""Training the follow-up models (bot.conversation) from written conversations.

Each training file holds conversations of two to four turns, one per line, each turn with the
message as typed, the same question written out in full, and its kind (`more` for "tell me
more"). A later turn continues the topic when it is `more` or when its full form differs from
what was typed; the first turn of each conversation, read after the last turn of the one
before, is a new topic, as when a person changes subject.

The weights of `Model.mix` (how much of the topic and of its evidence a follow-up's search
carries) are then chosen on the same conversations: every answerable or "more" turn the model
reads as continuing a topic is searched with each pair of weights on a small grid, against
the live index, and the pair with the best hit@3 wins (the smaller weights on a tie).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.adapter import data_fingerprint
from bot.conversation import MODEL_FILE, TRAIN_DIR, Model, Turn, features, resolve
from bot.evaluation.scoring import hit_rank
from bot.training.data import data_files, fit_logistic, rows

C = 1.0  # inverse L2 strength; a handful of features and a few hundred turns
GRID_CONTEXT = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
GRID_EVIDENCE = (0.0, 0.15, 0.3, 0.5, 0.75, 1.0, 1.5)


def examples(paths: list[Path]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, "continues the topic" and "asks for more" for every turn that has a turn
    before it."""
    x, continues, more = [], [], []
    before = ""
    for _, row in rows(paths):
        turns = row["turns"]
        for i, turn in enumerate(turns):
            previous = turns[i - 1]["question"] if i else before
            if not previous:
                continue
            x.append(features(turn["question"], previous))
            asks_more = i > 0 and turn["kind"] == "more"
            follows = i > 0 and (asks_more or " ".join(turn["full"].split()) != turn["question"])
            continues.append(follows)
            more.append(asks_more)
        before = turns[-1]["question"]
    return np.array(x), np.array(continues), np.array(more)


def follow_ups(model: Model, paths: list[Path]) -> list[tuple[Turn, list[str]]]:
    """Each answerable or "more" later turn that `model` reads as continuing its topic, as
    resolved in its conversation, with the evidence that answers it."""
    out = []
    for _, row in rows(paths):
        history: list[str] = []
        for turn in row["turns"]:
            if history and turn["kind"] in ("answerable", "more") and turn.get("evidence"):
                resolved = resolve(model, history, turn["question"])
                if resolved.context:
                    out.append((resolved, list(turn["evidence"])))
            history.append(turn["question"])
    return out


def choose_weights(bot: Any, model: Model, paths: list[Path]) -> tuple[Model, float, int]:
    """`model` with the grid's best mixing weights on the follow-ups of `paths`, their hit@3
    and the number of follow-ups."""
    retriever = bot.retriever
    cases = [(t, ev, bot.follow_up_vectors(retriever, t)) for t, ev in follow_ups(model, paths)]
    best, best_hit = model, -1.0
    for w_context in GRID_CONTEXT:
        for w_evidence in GRID_EVIDENCE:
            trial = replace(model, w_context=w_context, w_evidence=w_evidence)
            hits = 0
            for turn, evidence, vectors in cases:
                found = retriever.search(turn.query, trial.mix(*vectors), skip=turn.skip)
                quotes = [{"quote": retriever.quote_text(h)} for h in found.hits]
                hits += hit_rank(quotes, evidence) > 0
            hit = hits / max(1, len(cases))
            if hit > best_hit + 1e-9:
                best, best_hit = trial, hit
    return best, best_hit, len(cases)


def train_conversation(
    folder: Path = TRAIN_DIR, out: Path = MODEL_FILE, bot: Any = None
) -> dict[str, Any]:
    """Fit both models on the files of `folder`, choose the mixing weights against the index
    `bot` answers from (a `Bot` on the default configuration when None), write the model with
    the data's fingerprint to `out`, and return what was written with the training figures."""
    files = data_files(folder)
    if not files:
        raise SystemExit(f"no training files (*.jsonl) in {folder}")
    x, continues, more = examples(files)
    follow = x[continues]
    model = Model(
        fit_logistic(x, continues.astype(int), C),
        fit_logistic(follow, more[continues].astype(int), C),
        data_fingerprint(files),
    )
    if bot is None:
        from bot.assistant import Bot

        bot = Bot(progress=False)
    model, hit3, n_follow_ups = choose_weights(bot, model, files)
    out.parent.mkdir(parents=True, exist_ok=True)
    record = model.to_dict()
    out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    kinds = np.array([model.kind_of(v) for v in x])
    truth = np.where(more, "more", np.where(continues, "follow_up", "new"))
    return {
        "files": [f.name for f in files],
        "turns": len(x),
        "training_accuracy": round(float(np.mean(kinds == truth)), 3),
        "w_context": model.w_context,
        "w_evidence": model.w_evidence,
        "follow_ups": n_follow_ups,
        "follow_up_hit3": round(hit3, 3),
        "fingerprint": model.fingerprint,
    }
