"""A cited source as the reader sees it: the cleaned document, cut from the index, never the disk.

"View in source" must show where a quote sits in its article. The index already holds every
passage that cleaning kept, verbatim and with offsets into the file, so the document is rebuilt
from there: no file is opened, so a name from a browser can never reach the file system (no path
traversal), and only documents that are indexed can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.index import IndexReader


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


def cleaned_document(index: IndexReader, name: str) -> Document | None:
    """The indexed document called `name` (a file name as given in a citation), or None.

    Unknown names, paths and empty strings all give None.
    """
    if not isinstance(name, str) or not name or name not in index.sources:
        return None
    source = index.sources[name]
    parts = sorted(
        (Part(p.start, p.end, p.text) for p in index.passages if p.source == name),
        key=lambda part: part.start,
    )
    return Document(
        name=name,
        title=source.title,
        publisher=source.publisher,
        date=source.date,
        url=source.url,
        parts=tuple(parts),
    )
