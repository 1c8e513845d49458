"""`python -m bot train confirm`: the confirming heads (bot.safety.confirm), in about five minutes.

Data: the triage training files (`bot/data/triage/train/`, `{"text", "label"}`), every question
of the relevance training files (`bot/data/relevance/train/`) as ordinary, and the files of
`bot/data/triage/confirm/` (`{"text", "label"}`): messages the triage encoder never trained on.
Vectors come from the triage encoder as answering makes them (the ONNX export once the index is
built), so the heads must be retrained whenever the triage model is: the fingerprint covers its
files.

Each head's threshold is the highest at which at most `SHARE` of the confirm files' messages of
its label that the classifier flags would be cleared, scored out of fold (`FOLDS` folds by a hash
of the message): chosen on messages neither the classifier nor the head fitted.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Config
from bot.safety.classifier import MODEL_DIR
from bot.safety.confirm import LABELS, Confirm
from bot.training import data, relevance, triage

FOLDS = 6
C = 0.03  # chosen on the read safety and relevance sets split in two (docs/safety.md)
SHARE = 0.005  # of the requests and crisis messages the classifier flags, at most, cleared
_FLAG = {"refused": "harmful", "crisis": "crisis"}  # the triage's kinds as the labels


def labelled(paths: list[Path]) -> list[tuple[str, str]]:
    """(text, label) of labelled message files, read as the classifier's training reads them."""
    return [(m.text, m.label) for m in triage.read_messages(paths)]


def train_confirm(
    files: tuple[list[Path], list[Path], list[Path]],
    out: Path,
    *,
    limit: int = 0,
    log: Any = print,
) -> dict[str, Any]:
    """Train both heads on `files` (`default_files()`: labelled messages, relevance questions
    and the confirm files), choosing thresholds on the confirm files. `limit`: a quick check's
    sample of each."""
    from bot.embedding import load_query_encoder
    from bot.safety.triage import Safety

    started = time.time()
    message_files, question_files, confirm_files = files
    config = Config.load()
    triage_dir = config.triage_dir or MODEL_DIR
    questions = relevance.read_examples(question_files)
    base = labelled(message_files) + [(e.question, "ordinary") for e in questions]
    held = labelled(confirm_files)
    if limit:  # every n-th message, so each label is in the sample
        base, held = base[:: max(1, len(base) // limit)], held[:: max(1, len(held) // limit)]
    encoder = load_query_encoder(config, "triage")
    alone = Safety(encoder, triage_dir, confirm_file=None)  # the classifier's own flags

    log(f"encoding {len(base)} + {len(held)} messages with the triage encoder")
    x_base = encoder.encode([text for text, _ in base])
    x_held = encoder.encode([text for text, _ in held])
    kinds = [alone.triage(text, v).kind for (text, _), v in zip(held, x_held, strict=True)]
    flags = np.array([_FLAG.get(kind, "") for kind in kinds])
    labels = np.array([label for _, label in [*base, *held]])
    x = np.vstack([x_base, x_held])
    folds = np.array([data.text_byte(text) % FOLDS for text, _ in held])
    on_held = np.arange(len(base), len(x))

    models, thresholds, record = {}, {}, {}
    for label in LABELS:
        y = (labels == label).astype(int)
        scores = np.zeros(len(held))
        for k in range(FOLDS):
            fit = np.concatenate([np.ones(len(base), bool), folds != k])
            if (folds == k).any() and len(set(y[fit])) == 2:
                model = data.fit_logistic(x[fit], y[fit], C)
                scores[folds == k] = model.probability(x_held[folds == k])
        caught = (flags == label) & (y[on_held] == 1)
        mistaken = (flags == label) & (labels[on_held] == "ordinary")
        # Cleared below the threshold: the lowest -p that at most SHARE of those caught reach.
        threshold = -data.lowest_threshold(-scores[caught], SHARE)
        models[label] = data.fit_logistic(x, y, C)
        thresholds[label] = round(threshold, 4)
        record[label] = {
            "flagged_rightly": int(caught.sum()),
            "of_those_cleared": int((scores[caught] < threshold).sum()),
            "flagged_ordinary": int(mistaken.sum()),
            "of_those_cleared_ordinary": int((scores[mistaken] < threshold).sum()),
        }
    fingerprint = data.head_fingerprint([path for group in files for path in group], triage_dir)
    heads = Confirm(models, thresholds, fingerprint)
    summary = {
        "messages": len(x),
        "held": len(held),
        "c": C,
        "share": SHARE,
        "out_of_fold": record,
        "seconds": round(time.time() - started),
    }
    heads.save(out, summary)
    log(f"thresholds {heads.thresholds}; out of fold {record}")
    return summary | {"thresholds": heads.thresholds}


def default_files() -> tuple[list[Path], list[Path], list[Path]]:
    """The triage training files, the relevance training files and the confirm files."""
    from bot.safety.confirm import CONFIRM_TRAIN_DIR

    return (
        data.data_files(triage.TRAIN_DIR),
        data.data_files(relevance.TRAIN_DIR),
        data.data_files(CONFIRM_TRAIN_DIR),
    )
