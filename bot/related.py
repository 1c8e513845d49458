"""Related questions: what to ask next, only questions the corpus is known to answer.

The pool is the plainly worded answerable questions of the relevance training data
(bot/data/relevance/train/, written by separate writers from the corpus). When an index is
built, each is asked of the retrieval layer, and kept only when the judge answers it and its
first quote holds the writer's evidence; it is filed under the passage of that quote. After an
answer, the passages the search ranked next, beyond those shown, offer their questions: related
to what was asked, answerable, and never generated.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.adapter import data_fingerprint
from bot.retrieve import QUESTION_WORDS, Retrieval, Retriever
from bot.text import words
from bot.training.data import data_files, rows

log = logging.getLogger(__name__)
POOL_DIR = Path(__file__).resolve().parent / "data" / "relevance" / "train"
FILE = "related.json"
SHOWN = 3  # related questions offered after an answer
_LOOK = 8  # next-ranked passages looked at for them
_SAME = 0.6  # content-word overlap above which a question repeats the one asked


def _content(text: str) -> set[str]:
    return {w for w in words(text) if w not in QUESTION_WORDS}


@dataclass(frozen=True)
class Related:
    """The checked questions of one build, by the passage that answers them."""

    by_passage: dict[int, list[str]]

    def suggest(self, retrieval: Retrieval, asked: str, n: int = SHOWN) -> list[str]:
        """Up to `n` questions answered by the passages ranked just after the ones shown."""
        shown = {h.passage for h in retrieval.hits}
        asked_words = _content(asked)
        out: list[str] = []
        for hit in [h for h in retrieval.ranked if h.passage not in shown][:_LOOK]:
            for q in self.by_passage.get(hit.passage, ()):
                w = _content(q)
                if len(w & asked_words) / max(1, min(len(w), len(asked_words))) <= _SAME:
                    out.append(q)
                    break
            if len(out) == n:
                break
        return out

    @classmethod
    def load(cls, build: Path, pool: Path = POOL_DIR) -> Related | None:
        """The build's related questions, or None when not yet checked against this pool."""
        try:
            data = json.loads((build / FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("pool") != data_fingerprint(data_files(pool)):
            return None
        return cls({int(p): qs for p, qs in data["by_passage"].items()})


def check_pool(retriever: Retriever, encoder: Any, pool: Path = POOL_DIR) -> Related:
    """Ask every pool question of this build and keep those it answers with their evidence;
    written into the build folder, so it is done once per build."""
    from bot.evaluation import covers

    evidence: dict[str, tuple[str, ...]] = {}  # the plainly worded answerable questions
    for _, row in rows(data_files(pool)):
        if row.get("kind") == "answerable" and row.get("style") == "plain":
            evidence[" ".join(row["question"].split())] = tuple(row["evidence"])
    questions = sorted(evidence, key=len)  # the shortest first: they read best as buttons
    by_passage: dict[int, list[str]] = {}
    vectors = encoder.encode(questions) if questions else []
    for q, vector in zip(questions, vectors, strict=True):
        found = retriever.search(q, vector)
        if not (found.answerable and found.hits):
            continue
        first = found.hits[0]
        if any(covers(retriever.quote_text(first), e) for e in evidence[q]):
            by_passage.setdefault(first.passage, []).append(q)
    related = Related(by_passage)
    data = {"pool": data_fingerprint(data_files(pool)), "by_passage": by_passage}
    (retriever.index.build / FILE).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    kept = sum(map(len, by_passage.values()))
    log.info("related questions: %d of %d answered with their evidence", kept, len(questions))
    return related
