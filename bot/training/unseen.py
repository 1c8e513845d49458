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
documents. The ranker learns on the trained documents too and scores a left-out one's passages
too low, so the folds also choose `offset`, added to the ranker's score of a candidate from a
document outside the training: the one of `OFFSETS` that best keeps the evidence in the top three
for the left-out documents' questions and the trained documents' judge-share questions alike
(the mean of the two pooled hit@3s; `choose_offset`), and the threshold is chosen with it in
place. The cost is recorded too: the out-of-scope questions the folds' encoders did not learn
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
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.adapter import data_fingerprint
from bot.config import Config
from bot.evaluation.scoring import covers
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
OFFSETS = tuple(i / 4 for i in range(13))  # 0 to 3: the ranker's logits span about 10
TOP = 3  # the quotes shown: hit@3

# A candidate as the offset's choice reads it: the ranker's score, whether it is in the left-out
# document, whether its quote covers the question's evidence.
Candidate = tuple[float, bool, bool]


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
    offset: float = 0.0
    # Without an offset: each left-out answerable question's and each trained-document
    # judge-share answerable question's ranked candidates (`choose_offset`).
    left_out_ranked: list[list[Candidate]] | None = None
    trained_ranked: list[list[Candidate]] | None = None


def fold_config(folder: Path) -> Config:
    """A fold's models and index (standalone questions only: no follow-up encoder)."""
    return Config.load(
        index_dir=folder / "index",
        adapter_dir=folder / "adapter",
        judge_file=folder / "judge.json",
        follow_up_dir="",
    )


def run_fold(
    data: list[Path],
    document: str,
    folder: Path,
    settings: Settings,
    limit: int,
    log: Any,
    offset: float = 0.0,
) -> Fold:
    """Train without `document` (unless `folder` already holds this fold for the same data and
    settings), index the corpus, ask its questions with `offset` in place (answers reused when
    asked before with it)."""
    key = {"data_fingerprint": data_fingerprint(data), "epochs": settings.epochs, "limit": limit}
    saved = folder / FOLD_FILE
    cached = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {}
    if cached.get("key") != key:
        log(f"{document}: training without it")
        train_relevance(data, folder, settings, leave_out=document, limit=limit, log=log)
        (folder / UNSEEN_FILE).unlink(missing_ok=True)  # the fold judges with its own threshold
        config = fold_config(folder)
        shutil.rmtree(config.index_dir, ignore_errors=True)
        from bot.index import build

        build(config, progress=False)
        cached = {"key": key, "asked": {}}
    cached.pop("fold", None)  # asked before offsets were chosen: asked again
    asked = cached.setdefault("asked", {})
    if str(offset) in asked:
        log(f"{document}: reusing the fold in {folder}")
        return Fold(**asked[str(offset)])
    fold = _ask(data, document, folder, offset)
    asked[str(offset)] = asdict(fold)
    saved.write_text(json.dumps(cached), encoding="utf-8")
    return fold


def _ask(data: list[Path], document: str, folder: Path, offset: float) -> Fold:
    """The fold's questions through the product's retrieval, its judge raising the left-out
    document's candidates by `offset`; without one, their ranked candidates too."""
    from bot.embedding import load_index_encoder
    from bot.index import IndexReader
    from bot.judge import Judge
    from bot.retrieve import Retriever

    config = fold_config(folder)
    seen = frozenset(corpus_digests(config, document))
    judge = replace(Judge.load(folder / "judge.json"), documents_seen=seen, unseen_offset=offset)
    index = IndexReader.open(config)
    retriever = Retriever(index, config, judge)
    examples = read_examples(data)
    answerable = [e for e in examples if e.kind == "answerable" and e.source == document]
    # Out-of-scope questions the fold's encoder did not learn from (its judge's share).
    asked = answerable + [e for e in examples if e.kind == "out_of_scope" and for_judge(e)]
    trained = (
        []
        if offset
        else [
            e for e in examples if e.kind == "answerable" and e.source != document and for_judge(e)
        ]
    )
    questions = as_searched(index, asked + trained)
    vectors = load_index_encoder(config).encode(questions)
    confidence, in_document, ranked = [], [], []
    for e, r in zip(asked + trained, _retrievals(retriever, questions, vectors), strict=True):
        confidence.append(round(r.confidence, 6))
        top = index.passages[r.ranked[0].passage].source if r.ranked else ""
        in_document.append(top == document)
        if not offset and e.kind == "answerable":
            ranked.append(_candidates(retriever, r, document, e.evidence))
    n, m = len(answerable), len(asked)
    return Fold(
        document,
        confidence[:n],
        confidence[n:m],
        in_document[n:m],
        round(judge.threshold, 6),
        offset,
        None if offset else ranked[:n],
        None if offset else ranked[n:],
    )


def _candidates(
    retriever: Any, retrieval: Any, document: str, evidence: Sequence[str]
) -> list[Candidate]:
    """A retrieval's ranked candidates as `choose_offset` reads them."""
    index = retriever.index
    return [
        (
            round(h.score, 4),
            index.passages[h.passage].source == document,
            any(covers(retriever.quote_text(h), ev) for ev in evidence),
        )
        for h in retrieval.ranked
    ]


def cross_fit(
    data: list[Path],
    work: Path,
    settings: Settings,
    documents: Sequence[str] = (),
    limit: int = 0,
    log: Any = print,
    offset: float = 0.0,
) -> list[Fold]:
    """One fold per document with answerable questions (or per `documents`)."""
    names = documents or sorted({e.source for e in read_examples(data) if e.kind == "answerable"})
    return [run_fold(data, d, work / d, settings, limit, log, offset) for d in names]


def hit3(ranked: Sequence[Sequence[Candidate]], offset: float) -> float:
    """Share of questions whose evidence is in the top three once the left-out document's
    candidates are raised by `offset`."""
    hits = [
        any(c[2] for c in sorted(cands, key=lambda c: -(c[0] + offset * c[1]))[:TOP])
        for cands in ranked
    ]
    return float(np.mean(hits)) if hits else 0.0


def choose_offset(folds: Sequence[Fold]) -> tuple[float, dict[str, list[float]]]:
    """The offset of `OFFSETS` with the best mean of the left-out and the trained documents'
    pooled hit@3 (the smaller on a tie), and both hit@3s for every offset."""
    left = [c for f in folds for c in f.left_out_ranked or ()]
    trained = [c for f in folds for c in f.trained_ranked or ()]
    figures = {
        "left_out_hit3": [round(hit3(left, o), 4) for o in OFFSETS],
        "trained_hit3": [round(hit3(trained, o), 4) for o in OFFSETS],
    }
    means = [(a + b) / 2 for a, b in zip(*figures.values(), strict=True)]
    best = max(range(len(OFFSETS)), key=lambda i: (round(means[i], 6), -i))
    return OFFSETS[best], figures


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
    """The contents of unseen.json for a judge trained on every corpus file but `left_out`,
    from folds asked with the chosen offset."""
    threshold = unseen_threshold(folds)
    answered = [c >= threshold for f in folds for c in f.answerable]
    return record | {
        "threshold": round(threshold, 6),
        "offset": folds[0].offset if folds else 0.0,
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
        offset, figures = choose_offset(folds)
        if offset:
            folds = cross_fit(data, work, settings, documents, limit, log, offset)
    finally:
        if folds_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    record = {
        "data_files": [p.name for p in data],
        "data_fingerprint": data_fingerprint(data),
        "fold_epochs": settings.epochs,
        "offsets": list(OFFSETS),
        **figures,
    }
    result = calibration(folds, Config.load(), record)
    out.mkdir(parents=True, exist_ok=True)
    (out / UNSEEN_FILE).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    log(
        f"unseen documents: offset {result['offset']}, threshold {result['threshold']:.3f}; "
        f"{result['answered']:.3f} of "
        f"their answerable questions answered, {result['out_of_scope_abstained']:.3f} of "
        "out-of-scope questions abstained"
    )
    return result
