"""`python -m bot.evaluation.fresh NEW.jsonl OUT.jsonl`: a fresh set, ready to be scored once.

A set written by a helper session is scored at first sight only on what it does not share with
our files: every line that nearly repeats (bot.training.data.near_duplicate) a message of any
training or evaluation file is dropped first, and every conversation with a follow-up that
repeats one of theirs after nearly the same turn. Separate writers often type the same common
question; scoring it again would measure memory.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.config import ROOT
from bot.training.data import Seen


def our_files(root: Path = ROOT) -> list[Path]:
    """Every training file and every evaluation file of the repository."""
    return sorted(root.glob("bot/data/**/*.jsonl")) + sorted(root.glob("eval/**/*.jsonl"))


def unseen(rows: Sequence[dict[str, Any]], seen: Seen) -> list[dict[str, Any]]:
    """The rows (questions, messages or conversations) that repeat nothing `seen` holds."""
    keep = []
    for row in rows:
        if "turns" in row:
            repeated = seen.repeats_conversation([t["question"] for t in row["turns"]])
        else:
            repeated = seen.repeats(row.get("question") or row.get("text") or "")
        if not repeated:
            keep.append(row)
    return keep


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].split(": ", 1)[1])
    parser.add_argument("new", type=Path, help="the set as its writer gave it (JSON Lines)")
    parser.add_argument("out", type=Path, help="where the set to score is written")
    args = parser.parse_args(argv)
    lines = args.new.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    kept = unseen(rows, Seen([p for p in our_files() if p.resolve() != args.out.resolve()]))
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), "utf-8")
    print(f"{len(kept)} of {len(rows)} kept; {len(rows) - len(kept)} repeat our files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
