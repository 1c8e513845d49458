"""`python -m bot train pair`: the pair head (bot.safety.pair), in about five minutes.

Data: the JSON Lines files of `bot/data/triage/pairs/` (`{"previous", "message", "label"}`, label
`harmful` or `ordinary`, first line `_about`), and, as ordinary pairs, every later turn of the
conversation training files (`bot/data/conversation/train/`) that is answerable, a request for
more or out of scope, read after the turn before it. Vectors come from the triage encoder as
answering makes them (the ONNX export once the index is built), so the head must be retrained
whenever the triage model is: its fingerprint covers that model's files too.

The threshold is the lowest probability that refuses at most `ORDINARY_REFUSED` of the ordinary
pairs the single-message triage lets through, scored out of fold (`FOLDS` folds by a hash of the
follow-up), so it is chosen on pairs the model did not fit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Config
from bot.safety.classifier import MODEL_DIR
from bot.safety.pair import PairHead, features
from bot.training.data import (
    data_files,
    fit_logistic,
    head_fingerprint,
    lowest_threshold,
    rows,
    text_byte,
)

FOLDS = 6
C = 0.01  # chosen on H1-H6 held out one set at a time (docs/safety.md)
ORDINARY_REFUSED = 0.002  # of ordinary follow-ups the message alone lets through
_ORDINARY_TURNS = ("answerable", "more", "out_of_scope")


@dataclass(frozen=True)
class Pair:
    previous: str
    message: str
    harmful: bool


def read_pairs(pair_files: list[Path], conversation_files: list[Path]) -> list[Pair]:
    """The labelled pairs, then the ordinary later turns of the conversations."""
    out = []
    for where, row in rows(pair_files):
        if row.get("label") not in ("harmful", "ordinary") or not row.get("message"):
            raise ValueError(f"{where}: needs a message, the previous one and a label")
        out.append(Pair(row["previous"], row["message"], row["label"] == "harmful"))
    for _, row in rows(conversation_files):
        turns = row.get("turns", [])
        for before, turn in pairwise(turns):
            if turn.get("kind") in _ORDINARY_TURNS:
                out.append(Pair(before["question"], turn["question"], False))
    return out


def fingerprint(pair_files: list[Path], conversation_files: list[Path], triage: Path) -> str:
    """The data's and the triage model's: new vectors need a new head."""
    return head_fingerprint([*pair_files, *conversation_files], triage)


def _sample(pairs: list[Pair], limit: int) -> list[Pair]:
    """A quick check's sample: half harmful, half ordinary."""
    harmful = [p for p in pairs if p.harmful][: limit // 2]
    return harmful + [p for p in pairs if not p.harmful][: limit - len(harmful)]


def train_pair(
    pair_files: list[Path],
    conversation_files: list[Path],
    out: Path,
    limit: int = 0,
    log: Any = print,
) -> dict[str, Any]:
    from bot.embedding import load_query_encoder
    from bot.safety.triage import Safety

    started = time.time()
    config = Config.load()
    triage_dir = config.triage_dir or MODEL_DIR
    pairs = read_pairs(pair_files, conversation_files)
    pairs = _sample(pairs, limit) if limit else pairs
    encoder = load_query_encoder(config, "triage")
    safety = Safety(encoder, triage_dir)

    log(f"encoding {len(pairs)} pairs with the triage encoder")
    together = encoder.encode([f"{p.previous}\n{p.message}" for p in pairs])
    alone = encoder.encode([p.message for p in pairs])
    x = np.array([features(t, a) for t, a in zip(together, alone, strict=True)])
    y = np.array([p.harmful for p in pairs], dtype=int)
    passes = np.array(
        [safety.triage(p.message, v).kind == "question" for p, v in zip(pairs, alone, strict=True)]
    )
    folds = np.array([text_byte(p.message) % FOLDS for p in pairs])
    scores = np.zeros(len(pairs))
    for k in range(FOLDS):
        held = folds == k
        if held.any() and len(set(y[~held])) == 2:
            scores[held] = fit_logistic(x[~held], y[~held], C).probability(x[held])
    ordinary = (y == 0) & passes
    threshold = lowest_threshold(scores[ordinary], ORDINARY_REFUSED)
    caught = (y == 1) & passes
    record = {
        "pairs": len(pairs),
        "harmful": int(y.sum()),
        "c": C,
        "ordinary_refused_policy": ORDINARY_REFUSED,
        "out_of_fold": {
            "harmful_the_message_alone_lets_through": int(caught.sum()),
            "of_those_refused": int((scores[caught] >= threshold).sum()),
            "ordinary_refused": round(float((scores[ordinary] >= threshold).mean()), 4),
        },
        "seconds": round(time.time() - started),
    }
    head = PairHead(
        fit_logistic(x, y, C),
        round(threshold, 4),
        fingerprint(pair_files, conversation_files, triage_dir),
    )
    head.save(out, record)
    log(f"threshold {head.threshold}; out of fold {record['out_of_fold']}")
    return record | {"threshold": head.threshold}


def default_files() -> tuple[list[Path], list[Path]]:
    from bot.conversation import TRAIN_DIR as CONVERSATION_TRAIN_DIR
    from bot.safety.pair import PAIR_TRAIN_DIR

    return data_files(PAIR_TRAIN_DIR), data_files(CONVERSATION_TRAIN_DIR)
