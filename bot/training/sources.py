"""`python -m bot train sources`: the head that reads a request for the source
(bot.conversation.SourceHead), in about a minute.

Data: every later turn of the conversation training files (`bot/data/conversation/train/`) and
of the head's own files (`bot/data/conversation/sources/`), labelled by `asks_source`: an
answerable turn whose writer gave it the very evidence of the turn before. The writers of the
training conversations wrote few such turns (7 of some 10,700 later turns), so the head's own
files hold conversations written with a line asking for them. The head reads what the kind
models read (bot.conversation.features, with the retrieval encoder's vectors as answering makes
them), so it is retrained whenever the retrieval encoder is: it records that encoder's name.

Its L2 strength is the one of `GRID_C` whose fit on two thirds of the conversations reads the
held third's turns best (F1 at `THRESHOLD`); then it is fitted on all of them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from bot.adapter import data_fingerprint, encoder_fingerprint
from bot.config import Config
from bot.conversation import SOURCES_DIR, SOURCES_FILE, TRAIN_DIR, SourceHead
from bot.training.conversation import GRID_C, examples
from bot.training.data import data_files, fit_logistic

# A wrong reading repeats the answer before instead of answering a new point, a missed one
# searches afresh (and often finds the same quotes): neither costs more, so the even odds.
THRESHOLD = 0.5


def default_files(own: Path = SOURCES_DIR) -> list[Path]:
    """The conversation training files, then the head's own (those of the folder `own`)."""
    return [*data_files(TRAIN_DIR), *data_files(own)]


def _f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    hits = float((predicted & truth).sum())
    return 2 * hits / max(1.0, float(predicted.sum() + truth.sum()))


def _choose_c(x: np.ndarray, truth: np.ndarray, held: np.ndarray) -> tuple[float, dict[str, Any]]:
    """The L2 strength of `GRID_C` whose fit on the other turns reads the `held` ones best, and
    how it reads them; the middle of the grid when they are too few to choose on."""
    if not held.any() or len(set(truth[~held])) < 2:
        return GRID_C[len(GRID_C) // 2], {"turns": 0}
    scored = {}
    for c in GRID_C:
        fitted = fit_logistic(x[~held], truth[~held].astype(int), c)
        predicted = fitted.probability(x[held]) >= THRESHOLD
        scored[c] = (_f1(predicted, truth[held]), predicted)
    best = max(GRID_C, key=lambda c: (scored[c][0], -c))
    f1, predicted = scored[best]
    return best, {
        "turns": int(held.sum()),
        "asking_for_the_source": int(truth[held].sum()),
        "found": int((predicted & truth[held]).sum()),
        "read_so_wrongly": int((predicted & ~truth[held]).sum()),
        "f1": round(f1, 3),
    }


def train_sources(files: list[Path], out: Path = SOURCES_FILE, log: Any = print) -> dict[str, Any]:
    """Fit the head on the later turns of `files` and write it to `out`; returns the figures."""
    from bot.embedding import load_query_encoder

    started = time.time()
    config = Config.load()
    encoder = load_query_encoder(config, "retrieval")
    data = examples(files, encoder.encode)
    if not data.source.any():
        raise SystemExit("no turn asks where the answer before came from in the training files")
    y = data.source.astype(int)
    best, held_out = _choose_c(data.x, data.source, data.held)
    head = SourceHead(
        fit_logistic(data.x, y, best),
        THRESHOLD,
        data_fingerprint(files),
        encoder_fingerprint(config, "retrieval"),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(head.to_dict(), indent=1) + "\n", encoding="utf-8")
    record = {
        "files": [f.name for f in files],
        "turns": len(y),
        "asking_for_the_source": int(y.sum()),
        "c": best,
        "held_out": held_out,
        "seconds": round(time.time() - started),
    }
    log(f"L2 strength C={best}; held out {record['held_out']}")
    return record
