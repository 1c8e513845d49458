"""The evaluation file (JSON Lines, format in CONTRACT.md): read and checked before any question
is asked, so a typo fails loudly instead of scoring as a miss."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.evaluation.scoring import KINDS
from bot.text import words


class EvalFileError(ValueError):
    """The evaluation file cannot be used; the message names the line and the problem."""


def json_objects(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """("file:line", object) for each non-blank line; a line that is not a JSON object fails
    loudly, naming it."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFileError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise EvalFileError(f"{where}: not a JSON object ({exc})") from exc
        if not isinstance(item, dict):
            raise EvalFileError(f"{where}: not a JSON object")
        yield where, item


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Read and check an eval file, so a typo fails loudly instead of scoring as a miss."""
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for where, item in json_objects(path):
        for key in ("id", "kind", "question"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise EvalFileError(f"{where}: missing or empty {key!r}")
        if item["kind"] not in KINDS:
            raise EvalFileError(f"{where}: kind {item['kind']!r} is not one of {', '.join(KINDS)}")
        if item["id"] in seen:
            raise EvalFileError(f"{where}: id {item['id']!r} is used twice")
        seen.add(item["id"])
        evidence = item.get("evidence")
        if item["kind"] == "answerable" and (
            not isinstance(evidence, list)
            or not evidence
            or not all(isinstance(e, str) and words(e) for e in evidence)
        ):
            raise EvalFileError(f"{where}: an answerable question needs a list of evidence strings")
        items.append(item)
    if not items:
        raise EvalFileError(f"{path} holds no questions")
    return items
