"""A cited source as the reader sees it: the cleaned document, cut from the index, never the disk.

"View in source" must show where a quote sits in its article. The index already holds every
passage that cleaning kept, verbatim and with offsets into the file, so the document is rebuilt
from there: no file is opened, so a name from a browser can never reach the file system (no path
traversal), and only documents that are indexed can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Part:
    """One kept stretch of the source text; `start`/`end` are offsets into the file as read."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Document:
    """An indexed source: its metadata and its kept passages in reading order."""

    name: str
    title: str
    publisher: str
    date: str
    url: str
    parts: tuple[Part, ...]


def cleaned_document(index: Any, name: str) -> Document | None:
    """The indexed document called `name` (a file name as given in a citation), or None.

    `index` is the loaded index (`bot.retriever.index`): anything with `files` (name -> metadata)
    and `passages` (dicts with source, start, end, text). Unknown names, paths and empty strings
    all give None.
    """
    if not isinstance(name, str) or not name or name not in index.files:
        return None
    meta = index.files[name]
    parts = sorted(
        (
            Part(int(p["start"]), int(p["end"]), str(p["text"]))
            for p in index.passages
            if p["source"] == name
        ),
        key=lambda part: part.start,
    )
    return Document(
        name=name,
        title=str(meta.get("title", "")),
        publisher=str(meta.get("publisher", "")),
        date=str(meta.get("date", "")),
        url=str(meta.get("url", "")),
        parts=tuple(parts),
    )
