"""Leave-one-document-out: does the trained relevance hold on a document it never trained on?

For each corpus file, the adapter and the judge are retrained without any question whose evidence
is in that file (`python -m bot train relevance --leave-out FILE`), and without its sentences
among the encoder's negatives, as for a file added after training; the corpus (that file
included) is indexed with them, and the file's answerable questions of the frozen test split are
asked. Users add their own files, so this is the figure that says what they can expect.

    .venv/bin/python -m benchmarks.leave_one_out            # all five files, about 30 minutes
    .venv/bin/python -m benchmarks.leave_one_out --epochs 1 --files 004_666c7d9dab9df42a.txt

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


def run_one(name: str, items: list[dict[str, Any]], epochs: int, work: Path) -> dict[str, Any]:
    from bot import Bot
    from bot.config import Config
    from bot.evaluation import evaluate
    from bot.training.relevance import Settings, data_files, train_relevance

    out = work / name
    t0 = time.perf_counter()
    train_relevance(data_files(), out, Settings(epochs=epochs), leave_out=name, log=lambda _: None)
    trained = time.perf_counter() - t0
    # Standalone questions only: no follow-up encoder (it is fitted to the full model's vectors).
    config = Config.load(
        index_dir=out / "index",
        adapter_dir=out / "adapter",
        judge_file=out / "judge.json",
        follow_up_dir="",
    )
    report, _ = evaluate(Bot(config, progress=False), items)
    kind = report["by_kind"]["answerable"]
    return {
        "file": name,
        "questions": kind["n"],
        "hit1": kind["hit1"],
        "hit3": kind["hit3"],
        "mrr": kind["mrr"],
        "answered": kind["answered"],
        "train_seconds": round(trained),
    }


def write(results: list[dict[str, Any]], meta: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "leave-one-out.json").write_text(
        json.dumps({"meta": meta, "results": results}, indent=1)
    )
    total = sum(r["questions"] for r in results)
    hit3 = sum(r["hit3"] * r["questions"] for r in results) / max(1, total)
    lines = [
        "# Leave-one-document-out",
        "",
        f"{meta['date']}, commit {meta['commit']}, {meta['cpu']} ({meta['cores']} cores); "
        f"{meta['epochs']} epochs per training. Each row: the adapter and the judge retrained "
        "without any question on that file, then the file's answerable questions of the frozen "
        "split (`eval/heldout.jsonl`, `eval/questions.jsonl`) asked over the whole corpus.",
        "",
        "| left-out file | questions | hit@1 | hit@3 | MRR | answered | training (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['file']} | {r['questions']} | {r['hit1']:.3f} | {r['hit3']:.3f} | "
        f"{r['mrr']:.3f} | {r['answered']:.3f} | {r['train_seconds']} |"
        for r in results
    ]
    lines += ["", f"Pooled over {total} questions: hit@3 {hit3:.3f} (target ≥ 0.90).", ""]
    (out / "leave-one-out.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    offline()
    from bot.evaluation import load_questions

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--files", default="", help="comma-separated corpus files (default all)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    items = [q for path in FROZEN for q in load_questions(path) if q["kind"] == "answerable"]
    names = args.files.split(",") if args.files else sorted({q["source"] for q in items})
    results = []
    with tempfile.TemporaryDirectory(prefix="loo-") as work:
        for name in names:
            mine = [q for q in items if q["source"] == name]
            results.append(run_one(name, mine, args.epochs, Path(work)))
            print(json.dumps(results[-1]), flush=True)
    info = machine()
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "commit": _commit(),
        "cpu": info.get("cpu", "-"),
        "cores": info.get("cores", "-"),
        "epochs": args.epochs,
    }
    write(results, meta, args.out)


if __name__ == "__main__":
    main()
