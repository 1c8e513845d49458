"""Passages that follow the text's structure, and the sentences inside them, all with offsets.

A passage is a paragraph, with the short heading or list lead-in before it and, for runs of very
short lines (bullets, numbered lists), its neighbours, up to `max_chars`. A passage never
straddles text that cleaning dropped, so it is always one verbatim stretch of the source.
Sentences come from llama-index's bundled Punkt tokenizer (offline); an over-long sentence is cut
at clause boundaries so that any quote fits the 600-character limit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache

from bot.clean import CACHED_LINE_CHARS, PROSE_END, Line
from bot.records import Passage, Source, Span

# A passage with this much running text is complete; the next paragraph starts a new one.
_FULL_PASSAGE_CHARS = 300
_LIST_MARKER = re.compile(r"^\(?(?:\d{1,3}|[a-zA-Z]|[ivx]+)[.)]$|^[•*\-–]$")
_CLAUSE_BREAK = re.compile(r"[;:,]\s+|\s+[-–—]\s+")


def _punkt():
    from llama_index.core.utils import globals_helper

    return globals_helper.punkt_tokenizer


def sentence_spans(text: str, start: int, end: int, max_chars: int) -> list[Span]:
    """Sentences of text[start:end], line by line, each at most `max_chars` long."""
    spans: list[Span] = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + match.start()
        line = match.group()
        split = _line_sentences if len(line) <= CACHED_LINE_CHARS else _split_line
        spans += [Span(line_start + s, line_start + e) for s, e in split(line, max_chars)]
    return spans


# Reports, exports and mail archives repeat lines (signatures, boilerplate, whole paragraphs):
# each distinct line is split once (Punkt is most of a build's time on a large text). Only lines
# up to CACHED_LINE_CHARS are kept, so the cache stays under about 20 MB.
@lru_cache(maxsize=1024)
def _line_sentences(line: str, max_chars: int) -> tuple[tuple[int, int], ...]:
    return _split_line(line, max_chars)


def _split_line(line: str, max_chars: int) -> tuple[tuple[int, int], ...]:
    """The sentences of one line, as offsets into it (see `sentence_spans`)."""
    spans: list[Span] = []
    pending = None  # a bare list marker ("1.", "•") joins the sentence after it
    for s, e in _punkt().span_tokenize(line):
        if pending is not None:
            s, pending = pending, None
        if _LIST_MARKER.match(line[s:e]):
            pending = s
            continue
        spans.extend(_cap(line, s, e, max_chars))
    if pending is not None:
        spans.append(Span(pending, len(line)))
    return tuple(
        (span.start, span.end)
        for span in (_strip(line, s) for s in spans if line[s.start : s.end].strip())
    )


def _cap(text: str, start: int, end: int, max_chars: int) -> list[Span]:
    """Cut a too-long sentence at the last clause break that keeps each piece short enough."""
    pieces = []
    while end - start > max_chars:
        window = text[start : start + max_chars]
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(window)]
        cut = start + (breaks[-1] if breaks else window.rfind(" ") + 1 or max_chars)
        pieces.append(Span(start, _rstrip(text, start, cut)))
        start = cut
    pieces.append(Span(start, end))
    return pieces


def _strip(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    return Span(start, _rstrip(text, start, end))


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _is_heading(line: Line) -> bool:
    """A title, section heading or list lead-in: short and not ending like a sentence."""
    return len(line.text) < 120 and not PROSE_END.search(line.text)


def passages(
    source: Source, max_chars: int = 1500, max_quote_chars: int = 600
) -> Iterator[Passage]:
    """Group the kept lines of a source into passages, yielded as they are made, so a build can
    write, and give way to questions, while a large file is still being split."""
    text = source.text
    groups: list[list[Span]] = []
    current: list[Span] = []
    prose_chars = 0
    previous_end = None
    for span in source.spans:
        line = Line(span.start, span.end, text[span.start : span.end])
        contiguous = previous_end is not None and not text[previous_end : span.start].strip()
        too_long = current and span.end - current[0].start > max_chars
        starts_new = (_is_heading(line) and prose_chars > 0) or prose_chars >= _FULL_PASSAGE_CHARS
        if current and (not contiguous or too_long or starts_new):
            groups.append(current)
            current, prose_chars = [], 0
        current.append(span)
        prose_chars += len(line.text) if line.is_prose else 0
        previous_end = span.end
    if current:
        groups.append(current)

    for group in groups:
        start, end = group[0].start, group[-1].end
        # Headings stay in the passage for context but are never quoted as evidence.
        sentences = [
            sentence
            for span in group
            if not _is_heading(Line(span.start, span.end, text[span.start : span.end]))
            for sentence in sentence_spans(text, span.start, span.end, max_quote_chars)
        ]
        if not sentences:
            continue
        for piece_start, piece_end, piece_sentences in _fit(sentences, start, end, max_chars):
            yield _passage(source, piece_start, piece_end, piece_sentences)


def _fit(sentences: list[Span], start: int, end: int, max_chars: int):
    """Split a group longer than `max_chars` (one huge paragraph) at sentence boundaries."""
    if end - start <= max_chars:
        yield start, end, sentences
        return
    bucket: list[Span] = []
    for s in sentences:
        if bucket and s.end - bucket[0].start > max_chars:
            yield bucket[0].start, bucket[-1].end, bucket
            bucket = []
        bucket.append(s)
    if bucket:
        yield bucket[0].start, bucket[-1].end, bucket


def _passage(source: Source, start: int, end: int, sentences: list[Span]) -> Passage:
    text = source.text[start:end]
    digest = hashlib.sha1(f"{source.name}:{start}:{end}".encode()).hexdigest()[:12]
    return Passage(
        id=f"{source.name}#{digest}",
        source=source.name,
        start=start,
        end=end,
        text=text,
        sentences=tuple(sentences),
    )
