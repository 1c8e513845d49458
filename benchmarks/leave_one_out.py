"""Leave-one-document-out: does the trained relevance hold on a document it never trained on?

For each corpus file, the adapter and the judge are retrained without any question whose evidence
is in that file, and without its sentences among the encoder's negatives, as for a file added
after training (the folds of `python -m bot train unseen`, bot.training.unseen); the corpus, that
file included, is indexed with them, and the file's answerable questions of the frozen test split
are asked, with the frozen out-of-scope questions. Twice: with the judge's own threshold, and
with the threshold for unseen documents calibrated on the *other* folds only (so the left-out
file's questions choose nothing), and with the offset for unseen documents chosen on them too
(bot.judge: the ranker's score of a candidate from a file the training never saw is raised).
The frozen questions about the four trained files are asked of each fold as well, with and
without it: what the offset costs them. Users add their own files, so this is what they can
expect.

    .venv/bin/python -m benchmarks.leave_one_out                    # 2-3 hours on 2 cores
    .venv/bin/python -m benchmarks.leave_one_out --folds /tmp/folds # reuse folds trained there

Output: docs/leave-one-out.md and .json, with the date, commit and machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, machine, offline

FROZEN = [ROOT / "eval" / "heldout.jsonl", ROOT / "eval" / "questions.jsonl"]


def _commit() -> str:
    out = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return out.stdout.strip() or "-"


def _score(folder: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    from bot import Bot
    from bot.evaluation import evaluate
    from bot.training.unseen import fold_config

    report, _ = evaluate(Bot(fold_config(folder), progress=False), items)
    return report["by_kind"]


def score_fold(
    fold: Any, others: list[Any], work: Path, items: list[dict[str, Any]], epochs: int
) -> dict:
    """The fold's questions with its own threshold, then with the others' calibration (offset
    and threshold); the trained files' questions without and with it."""
    from bot.judge import UNSEEN_FILE
    from bot.training.unseen import calibration, choose_offset, fold_config

    folder = work / fold.document
    mine = [q for q in items if q["kind"] == "out_of_scope" or q["source"] == fold.document]
    theirs = [q for q in items if q["kind"] == "answerable" and q["source"] != fold.document]
    (folder / UNSEEN_FILE).unlink(missing_ok=True)
    own, own_theirs = _score(folder, mine), _score(folder, theirs)
    record = {"left_out": fold.document}
    offset, _ = choose_offset(others)
    (folder / UNSEEN_FILE).write_text(
        json.dumps(
            calibration(_asked_with(others, offset, work, epochs), fold_config(folder), record)
        ),
        encoding="utf-8",
    )
    calibrated, calibrated_theirs = _score(folder, mine), _score(folder, theirs)
    kind = calibrated["answerable"]
    return {
        "file": fold.document,
        "questions": kind["n"],
        "hit1": kind["hit1"],
        "hit3": kind["hit3"],
        "mrr": kind["mrr"],
        "answered": kind["answered"],
        "abstained": calibrated["out_of_scope"]["ok"],
        "own_hit3": own["answerable"]["hit3"],
        "own_answered": own["answerable"]["answered"],
        "own_abstained": own["out_of_scope"]["ok"],
        "offset": offset,
        "trained_questions": calibrated_theirs["answerable"]["n"],
        "trained_hit3": calibrated_theirs["answerable"]["hit3"],
        "own_trained_hit3": own_theirs["answerable"]["hit3"],
    }


def _asked_with(folds: list[Any], offset: float, work: Path, epochs: int) -> list[Any]:
    """The folds asked again with `offset` in place (reused when they were)."""
    from bot.training.relevance import Settings, data_files
    from bot.training.unseen import cross_fit

    if not offset:
        return folds
    documents = [f.document for f in folds]
    return cross_fit(data_files(), work, Settings(epochs=epochs), documents, offset=offset)


def write(results: list[dict[str, Any]], meta: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "leave-one-out.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=1)
    )
    lines = [
        "# Leave-one-document-out",
        "",
        f"{meta['date']}, commit {meta['commit']}, {meta['cpu']} ({meta['cores']} cores); "
        f"{meta['epochs']} epochs per training. Each row: the adapter and the judge retrained "
        "without any question on that file and without its sentences, then the file's "
        "answerable questions and every out-of-scope question of the frozen split "
        "(`eval/heldout.jsonl`, `eval/questions.jsonl`) asked over the whole corpus. First with "
        "the threshold for unseen documents calibrated on the other four folds (bot.judge, "
        "bot.training.unseen), with the offset for unseen documents chosen on them too, then "
        "with the judge's own threshold and no offset. Last, each fold's hit@3 on the frozen "
        "questions about the four files it trained on, without and with the offset.",
        "",
        "| left-out file | questions | hit@1 | hit@3 | MRR | answered | out of scope "
        "abstained | own threshold: hit@3 | answered | abstained | offset | trained files: "
        "questions | hit@3 without → with |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['file']} | {r['questions']} | {r['hit1']:.3f} | {r['hit3']:.3f} | "
        f"{r['mrr']:.3f} | {r['answered']:.3f} | {r['abstained']:.3f} | {r['own_hit3']:.3f} | "
        f"{r['own_answered']:.3f} | {r['own_abstained']:.3f} | {r['offset']} | "
        f"{r['trained_questions']} | {r['own_trained_hit3']:.3f} → {r['trained_hit3']:.3f} |"
        for r in results
    ]
    lines += [
        "",
        f"Pooled over {sum(r['questions'] for r in results)} questions: hit@3 "
        f"{_pooled(results, 'hit3'):.3f} (target ≥ 0.90), {_pooled(results, 'answered'):.3f} "
        "answered; with the judge's own threshold, hit@3 "
        f"{_pooled(results, 'own_hit3'):.3f}, {_pooled(results, 'own_answered'):.3f} answered. "
        "Out-of-scope questions abstained, mean over the folds: "
        f"{sum(r['abstained'] for r in results) / max(1, len(results)):.3f} calibrated, "
        f"{sum(r['own_abstained'] for r in results) / max(1, len(results)):.3f} own. "
        "The trained files' questions, pooled over the folds: hit@3 "
        f"{_pooled(results, 'own_trained_hit3', 'trained_questions'):.3f} without the offset, "
        f"{_pooled(results, 'trained_hit3', 'trained_questions'):.3f} with it.",
        "",
    ]
    (out / "leave-one-out.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def _pooled(results: list[dict[str, Any]], key: str, weight: str = "questions") -> float:
    """`key` over the folds, each weighted by its number of questions (`weight`)."""
    total = sum(r[weight] for r in results)
    return sum(r[key] * r[weight] for r in results) / max(1, total)


def main() -> None:
    offline()
    from bot.evaluation import load_questions
    from bot.training.relevance import Settings, data_files
    from bot.training.unseen import FOLD_EPOCHS, cross_fit

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=FOLD_EPOCHS)
    parser.add_argument("--folds", type=Path, help="keep the folds here; reuse those up to date")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    items = [q for path in FROZEN for q in load_questions(path)]
    items = [q for q in items if q["kind"] in ("answerable", "out_of_scope")]
    with tempfile.TemporaryDirectory(prefix="loo-") as temporary:
        work = args.folds or Path(temporary)
        t0 = time.perf_counter()
        folds = cross_fit(data_files(), work, Settings(epochs=args.epochs))
        trained = time.perf_counter() - t0
        results = []
        for fold in folds:
            others = [f for f in folds if f is not fold]
            results.append(score_fold(fold, others, work, items, args.epochs))
            print(json.dumps(results[-1]), flush=True)
    info = machine()
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "commit": _commit(),
        "cpu": info.get("cpu", "-"),
        "cores": info.get("cores", "-"),
        "epochs": args.epochs,
        "training_seconds": round(trained),
    }
    write(results, meta, args.out)


if __name__ == "__main__":
    main()
