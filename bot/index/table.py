"""The files of one build and how records are stored in them (the layout is in bot.index)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from bot.records import Passage, Source, Span

META = "meta.json"  # small: settings, file digests, failures; read to plan and check staleness
TABLE = "table.json"  # passages (id, source, offsets, text) and the distinct texts' keys
UNITS = "units.npy"  # one row per sentence ("unit"): passage, number, start, end, text row
TEXT_VECTORS = "text_vectors.npy"  # one row per distinct sentence text, in row order
PASSAGE_VECTORS = "passage_vectors.npy"  # one row per passage, in table order
LEXICAL = "bm25"
WORDS = "words.json"  # each word of the texts and its count: the speller's vocabulary
FILE_FIELDS = ("title", "publisher", "date", "url")


def current_build(index_dir: Path) -> Path | None:
    """The live build's folder (named by index/CURRENT), or None when there is none."""
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    build = index_dir / "builds" / pointer.read_text().strip()
    return build if (build / META).exists() and (build / TABLE).exists() else None


def read_json(path: Path) -> dict[str, Any] | None:
    """A build's JSON file, or None when it is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def passage_to_json(p: Passage) -> dict[str, Any]:
    """A passage as table.json keeps it; its sentences are rows of units.npy."""
    return {"id": p.id, "source": p.source, "start": p.start, "end": p.end, "text": p.text}


def passage_from_json(d: dict[str, Any], units: np.ndarray) -> Passage:
    """A passage from its table entry and its rows of units.npy."""
    return Passage(
        id=d["id"],
        source=d["source"],
        start=d["start"],
        end=d["end"],
        text=d["text"],
        sentences=tuple(Span(int(s), int(e)) for s, e in units[:, 2:4]),
    )


def passage_rows(units: np.ndarray, passages: int) -> np.ndarray:
    """Where each passage's rows of units start (units are stored passage by passage), with
    the end as a last entry."""
    return np.searchsorted(units[:, 0], np.arange(passages + 1))


def source_from_json(name: str, d: dict[str, Any]) -> Source:
    """A source as the index knows it: metadata only (the index keeps passages, not files)."""
    return Source(name=name, sha256=d.get("sha256", ""), **{k: d.get(k, "") for k in FILE_FIELDS})


def cut(p: Passage, span: Span) -> str:
    """Text of `span` (offsets into the source file) from the passage that holds it."""
    return p.text[span.start - p.start : span.end - p.start]
