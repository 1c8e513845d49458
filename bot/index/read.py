"""Reading the live build: what a question needs, loaded once per process, as typed records.

The passage table and BM25 are plain files and the vectors memory-mapped arrays, because the
query path must answer in milliseconds without re-reading metadata per question; Chroma answers
the nearest-neighbour search.

A distinct sentence text is one row (one vector, one BM25 document) however often it occurs;
each row is represented by its first occurrence, so a paragraph repeated a thousand times is one
candidate, not a thousand. A unit is one occurrence: a sentence of a passage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import numpy as np

from bot.config import Config
from bot.index.chroma import Vectors, open_vectors
from bot.index.table import (
    LEXICAL,
    META,
    PASSAGE_VECTORS,
    TABLE,
    TEXT_VECTORS,
    UNITS,
    WORDS,
    current_build,
    cut,
    passage_from_json,
    passage_rows,
    read_json,
    source_from_json,
)
from bot.records import Passage, Source, Span


class IndexUnusable(Exception):
    """The index is missing, stale or unreadable (with a message a person can act on)."""


class Passages(Sequence[Passage]):
    """The table's passages as records, each made when first read: the reader of a large
    corpus opens without building tens of thousands of records a question never looks at."""

    def __init__(self, entries: list[dict[str, Any]], units: np.ndarray, rows: np.ndarray):
        self._entries, self._units, self._rows = entries, units, rows
        self._made: list[Passage | None] = [None] * len(entries)

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> list[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | list[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        made = self._made[i]
        if made is None:
            lo, hi = self._rows[i], self._rows[i + 1]
            made = self._made[i] = passage_from_json(self._entries[i], self._units[lo:hi])
        return made


@dataclass
class IndexReader:
    """The live build: passages, sources, BM25, vectors and their Chroma collections."""

    build: Path
    passages: Passages
    sources: dict[str, Source]
    units: np.ndarray  # one row per unit: passage index, sentence number, start, end, text row
    row_unit: np.ndarray  # per text row, the unit of its first occurrence
    rows: dict[str, int]  # Chroma id (text key) -> text row
    vectors: Vectors
    passage_rows: np.ndarray  # per passage, its first unit; the number of units last
    text_matrix: np.ndarray  # memory-mapped, one vector per text row
    passage_matrix: np.ndarray  # memory-mapped, one vector per passage
    lexical: Any  # bot.lexical.Lexical over the text rows
    words: dict[str, int]  # each word of the texts and its count (empty in builds before it)

    @classmethod
    def open(cls, config: Config) -> IndexReader:
        from bot.lexical import Lexical

        build = current_build(config.index_dir)
        if build is None:
            raise IndexUnusable(
                f"No index found in {config.index_dir}. Run `python -m bot index` to build it."
            )
        meta, table = read_json(build / META), read_json(build / TABLE)
        if meta is None or table is None:
            raise IndexUnusable(f"The index in {build} is damaged. Run `python -m bot index`.")
        units = np.load(build / UNITS)
        rows = passage_rows(units, len(table["passages"]))
        _, first = np.unique(units[:, 4], return_index=True)  # rows are numbered as first met
        return cls(
            build=build,
            passages=Passages(table["passages"], units, rows),
            sources={n: source_from_json(n, d) for n, d in meta["files"].items()},
            units=units,
            row_unit=first,
            rows={key: row for row, key in enumerate(table["keys"])},
            vectors=open_vectors(config, build),
            passage_rows=rows,
            text_matrix=np.load(build / TEXT_VECTORS, mmap_mode="r"),
            passage_matrix=np.load(build / PASSAGE_VECTORS, mmap_mode="r"),
            lexical=Lexical.load(build / LEXICAL),
            words=read_json(build / WORDS) or {},
        )

    def dense(self, vector: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Units (first occurrences) and cosine similarities of the `n` nearest sentences."""
        n = min(n, len(self.row_unit))
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        ids, distances = self.vectors.nearest(vector, n)
        rows = np.fromiter((self.rows[i] for i in ids), dtype=np.int64)
        return self.row_unit[rows], 1.0 - distances

    def lexical_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 of each text row (`unit_rows` maps units to rows, `row_unit` rows to units)."""
        return self.lexical.scores(tokens)

    def unit_rows(self, unit_indexes: list[int] | np.ndarray) -> np.ndarray:
        return self.units[np.asarray(unit_indexes, dtype=np.int64), 4]

    def passage_similarity(self, passage_indexes: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """Cosine of the question to each of these passages (vectors are normalised)."""
        return self.passage_matrix[passage_indexes] @ vector

    def unit_vectors(self, unit_indexes: list[int]) -> np.ndarray:
        return np.asarray(self.text_matrix[self.unit_rows(unit_indexes)], dtype=np.float32)

    def passage_units(self, passage_index: int) -> list[int]:
        """The unit indexes of a passage's sentences (units are stored passage by passage)."""
        return list(range(self.passage_rows[passage_index], self.passage_rows[passage_index + 1]))

    def sentence_spans(self, passage_index: int) -> list[Span]:
        return list(self.passages[passage_index].sentences)

    def text(self, passage_index: int, span: Span) -> str:
        """The text of `span` (offsets into the source) in a passage."""
        return cut(self.passages[passage_index], span)

