"""Cleaning at ingest: decide which lines of a document are the article, without touching the text.

Web articles saved as text carry page furniture: navigation, image credits, cookie notices,
"Load More", "Comments", and lists of unrelated headlines with teasers. Cleaning never edits the
source; it returns the character spans worth keeping, so every offset downstream still points
into the original file. Two general rules, no per-file offsets:

1. Line rules: a line that is furniture by its own words (an image credit, a cookie notice, a
   button label, a reading-time or timestamp line) is dropped.
2. Listing rule: page furniture comes in runs of short lines between paragraphs of prose. A run
   that holds two or more listing markers (timestamps, image credits, truncated teasers ending
   in "...") is a list of other articles, and the whole run is dropped: the headlines in it are
   not part of this article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.records import Span

CACHED_LINE_CHARS = 4096  # the longest line whose split or verdict is kept (also bot.chunking)

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"  # month names
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?)"

# A line that is furniture whatever surrounds it.
_FURNITURE = [
    re.compile(r"^(?:image|photo|picture)\s+credits?\s*:", re.I),
    re.compile(r"^(?:credit|source|photo)\s*:\s*\S+(?:\s+\S+){0,4}$", re.I),
    re.compile(r"\bcookies?\b.*\b(?:accept|consent|use|agree|privacy|experience)\b", re.I),
    re.compile(
        r"^(?:load more|read more|show more|comments?|leave a comment|reply|share|share this"
        r"(?: article| post)?|tweet|print|email|subscribe|sign up|log ?in|sign in|advertisement|"
        r"sponsored|skip to (?:main )?content|table of contents|contents|related(?: articles| "
        r"posts| stories)?|you may also like|recommended|trending|menu|search|home|back to top|"
        r"next|previous|follow us|accept(?: all)?|reject(?: all)?)\s*:?$",
        re.I,
    ),
    re.compile(r"^-?\s*\d+\s+min(?:ute)?s?\s+read$", re.I),
    # A timestamp line, possibly glued to a category label ("TechJuly 29, 2025 at 10:00 AM").
    re.compile(rf"^[A-Za-z &]{{0,30}}{_DATE}(?:\s*(?:at|,)?\s*{_TIME})?$"),
]

_LISTING_MARKERS = [
    re.compile(r"^(?:image|photo|picture)\s+credits?\s*:", re.I),
    re.compile(rf"^[A-Za-z &]{{0,30}}{_DATE}(?:\s*(?:at|,)?\s*{_TIME})?$"),
    re.compile(r"(?:\.\.\.|…)\s*$"),  # a teaser cut off mid-sentence
]

PROSE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")
_PROSE_MIN_CHARS = 60


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    @property
    def is_prose(self) -> bool:
        """A paragraph of running text: long enough and ends like a sentence, not a teaser."""
        t = self.text
        return len(t) >= _PROSE_MIN_CHARS and bool(PROSE_END.search(t)) and not _TRUNCATED.search(t)


def lines(text: str) -> list[Line]:
    """Non-blank lines with their offsets, surrounding white space trimmed from the span."""
    out = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        out.append(Line(start, start + len(stripped), stripped))
    return out


def is_furniture(line: str) -> bool:
    # Large files repeat lines: each distinct short one is judged once (see bot.chunking).
    return _furniture(line) if len(line) <= CACHED_LINE_CHARS else _matches_furniture(line)


@lru_cache(maxsize=1024)
def _furniture(line: str) -> bool:
    return _matches_furniture(line)


def _matches_furniture(line: str) -> bool:
    return any(p.search(line) for p in _FURNITURE)


def _listing_runs(all_lines: list[Line]) -> set[int]:
    """Indexes of lines inside runs of non-prose lines that look like a list of other articles."""
    dropped: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*all_lines, None]):
        if line is not None and not line.is_prose:
            run.append(i)
            continue
        markers = sum(any(p.search(all_lines[j].text) for p in _LISTING_MARKERS) for j in run)
        if markers >= 2:
            dropped.update(run)
        run = []
    return dropped


def clean(text: str) -> list[Span]:
    """The spans of `text` that are the article itself, one per kept line, in order."""
    all_lines = lines(text)
    listing = _listing_runs(all_lines)
    return [
        Span(line.start, line.end)
        for i, line in enumerate(all_lines)
        if i not in listing and not is_furniture(line.text)
    ]
