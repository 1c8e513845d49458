"""`python -m bot train unseen`: the judge's threshold for documents the training never saw.

Users add their own files, which the encoder and the judge were never trained on. There the
adapted encoder is less sure and the judge's confidence lower, so the threshold chosen on the
trained documents said "not in the sources" to 7% of the answerable questions on a left-out
document, 11% on one (leave-one-document-out, docs/quality.md), while its ranking still held the
evidence in the top three for most of them. Cross-fitting measures that shift directly: for each
corpus document, the adapter and the judge are retrained without its questions and without its
sentences (`train_relevance(leave_out=...)`, FOLD_EPOCHS), the corpus is indexed with them, and
every answerable training question on that document is asked. The threshold is the one that
answers ANSWER_RATE of those pooled questions, the same rule as the judge's own on the trained
documents. The cost is recorded too: the out-of-scope questions the folds' encoders did not learn
from (the judge's share, which the folds' judges were fitted on) are asked of each fold, and the
share abstained, with this threshold where the top quote is in the left-out document and the
fold's own elsewhere, is set beside the share with the fold's own threshold everywhere. The
leave-one-document-out benchmark measures both on the frozen split instead.

Written to `bot/data/relevance/unseen.json` with the data's fingerprint and the digests of the
corpus files the training saw (bot.judge reads it). Each fold takes about 10 minutes on 2 cores;
`--folds DIR` keeps the folds' models there and reuses those already trained on the same data.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.adapter import data_fingerprint
from bot.config import Config
from bot.judge import UNSEEN_FILE
from bot.training.relevance import (
    DATA_DIR,
    Settings,
    _retrievals,
    answer_threshold,
    as_searched,
    for_judge,
    read_examples,
    train_relevance,
)

FOLD_EPOCHS = 2  # half the main training's: five folds then take about 40 minutes
FOLD_FILE = "fold.json"


@dataclass(frozen=True)
class Fold:
    """What one left-out document showed: the judge's confidence on its answerable questions,
    and on the out-of-scope questions whether their top quote came from it, with the fold's
    own threshold."""

    document: str
    answerable: list[float]
    out_of_scope: list[float]
    out_of_scope_in_document: list[bool]
    threshold: float


def fold_config(folder: Path) -> Config:
    """A fold's models and index (standalone questions only: no follow-up encoder)."""
    return Config.load(
        index_dir=folder / "index",
        adapter_dir=folder / "adapter",
        judge_file=folder / "judge.json",
        follow_up_dir="",
    )


def run_fold(
    data: list[Path], document: str, folder: Path, settings: Settings, limit: int, log: Any
) -> Fold:
    """Train without `document`, index the corpus, ask its questions (reused when `folder`
    already holds this fold for the same data and settings)."""
    from bot.embedding import load_index_encoder
    from bot.index import IndexReader, build
    from bot.judge import Judge
    from bot.retrieve import Retriever

    key = {"data_fingerprint": data_fingerprint(data), "epochs": settings.epochs, "limit": limit}
    saved = folder / FOLD_FILE
    if saved.exists():
        cached = json.loads(saved.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            log(f"{document}: reusing the fold in {folder}")
            return Fold(**cached["fold"])
    log(f"{document}: training without it")
    train_relevance(data, folder, settings, leave_out=document, limit=limit, log=log)
    (folder / UNSEEN_FILE).unlink(missing_ok=True)  # the fold judges with its own threshold
    config = fold_config(folder)
    shutil.rmtree(config.index_dir, ignore_errors=True)
    build(config, progress=False)
    judge = Judge.load(folder / "judge.json")
    index = IndexReader.open(config)
    retriever = Retriever(index, config, judge)
    examples = read_examples(data)
    asked = [e for e in examples if e.kind == "answerable" and e.source == document]
    # Out-of-scope questions the fold's encoder did not learn from (its judge's share).
    asked += [e for e in examples if e.kind == "out_of_scope" and for_judge(e)]
    questions = as_searched(index, asked)
    vectors = load_index_encoder(config).encode(questions)
    confidence, in_document = [], []
    for r in _retrievals(retriever, questions, vectors):
        confidence.append(round(r.confidence, 6))
        top = index.passages[r.ranked[0].passage].source if r.ranked else ""
        in_document.append(top == document)
    n = sum(e.kind == "answerable" for e in asked)
    fold = Fold(
        document, confidence[:n], confidence[n:], in_document[n:], round(judge.threshold, 6)
    )
    saved.write_text(json.dumps({"key": key, "fold": asdict(fold)}), encoding="utf-8")
    return fold


def cross_fit(
    data: list[Path],
    work: Path,
    settings: Settings,
    documents: Sequence[str] = (),
    limit: int = 0,
    log: Any = print,
) -> list[Fold]:
    """One fold per document with answerable questions (or per `documents`)."""
    names = documents or sorted({e.source for e in read_examples(data) if e.kind == "answerable"})
    return [run_fold(data, d, work / d, settings, limit, log) for d in names]


def unseen_threshold(folds: Sequence[Fold]) -> float:
    """The judge's rule applied to the left-out documents' questions, pooled."""
    return answer_threshold(np.array([c for f in folds for c in f.answerable]))


def abstained(folds: Sequence[Fold], threshold: float | None) -> float:
    """Share of the folds' out-of-scope questions abstained on, judged against `threshold`
    where the top quote is in the left-out document and the fold's own threshold elsewhere
    (everywhere when `threshold` is None)."""
    kept = [
        c < (threshold if inside and threshold is not None else f.threshold)
        for f in folds
        for c, inside in zip(f.out_of_scope, f.out_of_scope_in_document, strict=True)
    ]
    return float(np.mean(kept)) if kept else 0.0


def corpus_digests(config: Config, leave_out: str = "") -> list[str]:
    """The digests of the corpus files (but `leave_out`), which the training saw."""
    from bot.corpus import discover, file_digest

    files, _ = discover(config.corpus_dir)
    return sorted(file_digest(p) for p in files if p.name != leave_out)


def calibration(folds: Sequence[Fold], config: Config, record: dict[str, Any]) -> dict[str, Any]:
    """The contents of unseen.json for a judge trained on every corpus file but `left_out`."""
    threshold = unseen_threshold(folds)
    answered = [c >= threshold for f in folds for c in f.answerable]
    return record | {
        "threshold": round(threshold, 6),
        "documents_seen": corpus_digests(config, record.get("left_out", "")),
        "folds": {f.document: len(f.answerable) for f in folds},
        "answered": round(float(np.mean(answered)), 4),
        "out_of_scope_abstained": round(abstained(folds, threshold), 4),
        "out_of_scope_abstained_by_own_thresholds": round(abstained(folds, None), 4),
    }


def train_unseen(
    data: list[Path],
    out: Path = DATA_DIR,
    settings: Settings | None = None,
    folds_dir: Path | None = None,
    documents: Sequence[str] = (),
    limit: int = 0,
    log: Any = print,
) -> dict[str, Any]:
    """Cross-fit, then write `out`/unseen.json beside the judge it calibrates."""
    settings = settings or Settings(epochs=FOLD_EPOCHS)
    work = folds_dir or Path(tempfile.mkdtemp(prefix="unseen-"))
    try:
        folds = cross_fit(data, work, settings, documents, limit, log)
    finally:
        if folds_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    record = {
        "data_files": [p.name for p in data],
        "data_fingerprint": data_fingerprint(data),
        "fold_epochs": settings.epochs,
    }
    result = calibration(folds, Config.load(), record)
    out.mkdir(parents=True, exist_ok=True)
    (out / UNSEEN_FILE).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    log(
        f"unseen documents: threshold {result['threshold']:.3f}; {result['answered']:.3f} of "
        f"their answerable questions answered, {result['out_of_scope_abstained']:.3f} of "
        "out-of-scope questions abstained"
    )
    return result
