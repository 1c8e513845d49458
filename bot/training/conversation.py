"""Training the follow-up models (bot.conversation) from written conversations.

Each training file holds conversations of two to four turns, one per line, each turn with the
message as typed, the same question written out in full, and its kind (`more` for "tell me
more"). A later turn continues the topic when it is `more` or when its full form differs from
what was typed; the first turn of each conversation, read after the last turn of the one
before, is a new topic, as when a person changes subject.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from bot.adapter import data_fingerprint
from bot.conversation import MODEL_FILE, TRAIN_DIR, Model, features
from bot.training.data import data_files, fit_logistic, rows

C = 1.0  # inverse L2 strength; a handful of features and a few hundred turns


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


def train_conversation(folder: Path = TRAIN_DIR, out: Path = MODEL_FILE) -> dict[str, Any]:
    """Fit both models on the files of `folder`, write them with the data's fingerprint to
    `out`, and return what was written with the training accuracy."""
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
    out.parent.mkdir(parents=True, exist_ok=True)
    record = model.to_dict()
    out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    kinds = np.array([model.kind_of(v) for v in x])
    truth = np.where(more, "more", np.where(continues, "follow_up", "new"))
    return {
        "files": [f.name for f in files],
        "turns": len(x),
        "training_accuracy": round(float(np.mean(kinds == truth)), 3),
        "fingerprint": model.fingerprint,
    }
