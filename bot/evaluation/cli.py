"""`python -m bot eval FILE.jsonl`: the command's arguments, the run, and its exit code.

FILE is a question set, or a set of multi-turn conversations (bot.evaluation.conversations).

The report is a table for people or JSON for scripts; `--min-*` and `--max-*` thresholds turn it
into a gate: exit 1 when one is not met, 0 otherwise, 2 on usage errors (bad arguments, an
unreadable or malformed eval file), 3 when the corpus or index cannot be used (the CLI's
convention).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.evaluation.conversations import (
    evaluate_conversations,
    format_conversation_report,
    is_conversation_file,
    load_conversations,
)
from bot.evaluation.questions import EvalFileError, load_questions
from bot.evaluation.report import format_report
from bot.evaluation.runner import evaluate
from bot.evaluation.scoring import CEILINGS, THRESHOLDS, check_thresholds


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def add_eval_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `eval` on the CLI's subparsers (the CLI adds --corpus, --index, --chroma-url)."""
    p = subparsers.add_parser(
        "eval",
        help="score the bot on an evaluation file (hit@k, MRR, abstention, safety, latency)",
        description="Ask every question of an eval file (format in CONTRACT.md) and score the "
        "answers. Exit 1 when a --min-*/--max-* threshold is not met, 2 on usage errors.",
    )
    p.add_argument("file", type=Path, help="evaluation questions, JSON Lines")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.add_argument(
        "--answers",
        type=Path,
        metavar="OUT.jsonl",
        help="also write the answers (JSON Lines, same order as the questions)",
    )
    p.add_argument("--region", help="region for hotlines (default: the configured one)")
    p.add_argument(
        "--misses",
        type=int,
        default=40,
        metavar="N",
        help="misses shown in the table (default 40; --json lists all)",
    )
    for bounds, relation in ((THRESHOLDS, ">="), (CEILINGS, "<=")):
        for flag, key in bounds.items():
            p.add_argument(
                f"--{flag.replace('_', '-')}",
                dest=flag,
                type=_fraction,
                metavar="X",
                help=f"exit 1 unless {key} {relation} X (0 to 1)",
            )
    return p


def run_eval(args: argparse.Namespace, bot: Any = None) -> int:
    """Run the `eval` command; `bot` lets a caller that already holds one reuse it."""
    items: list[dict[str, Any]] = []
    conversations = None
    try:
        if is_conversation_file(args.file):
            conversations = load_conversations(args.file)
        else:
            items = load_questions(args.file)
    except EvalFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    if bot is None:
        from bot import Bot
        from bot.corpus import CorpusError
        from bot.index import IndexUnusable

        overrides = {k: getattr(args, k, None) for k in ("corpus_dir", "index_dir", "chroma_url")}
        try:
            bot = Bot(**overrides)
        except (CorpusError, IndexUnusable) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 3
    ready = time.perf_counter() - t0
    limits = {f: getattr(args, f, None) for f in [*THRESHOLDS, *CEILINGS]}
    if conversations is not None:
        report = evaluate_conversations(bot, conversations)
        report["thresholds"] = check_thresholds(report, limits)
        report["passed"] = all(row["ok"] for row in report["thresholds"])
        print(json.dumps(report) if args.json else format_conversation_report(report))
        return 0 if report["passed"] else 1
    report, answers = evaluate(bot, items, getattr(args, "region", None))
    report = {"file": str(args.file), "ready_s": round(ready, 2), **report}
    report["thresholds"] = check_thresholds(report, limits)
    report["passed"] = all(row["ok"] for row in report["thresholds"])
    if getattr(args, "answers", None):
        _write_jsonl(args.answers, answers)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(format_report(report, max_misses=getattr(args, "misses", 40)))
    return 0 if report["passed"] else 1


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
