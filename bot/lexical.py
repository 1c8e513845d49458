"""Lexical retrieval: BM25 (bm25s) over the same sentence units as the dense index.

bm25s is used directly rather than through llama-index's BM25Retriever: the query path must not
import llama-index (1.2 s of start-up) and needs the raw score array for rank fusion.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np

_WORD = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default token pattern


@cache
def _stopwords() -> frozenset[str]:
    from bm25s.tokenization import _infer_stopwords

    return frozenset(_infer_stopwords("en"))


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


class Lexical:
    def __init__(self, model, stemmer, size: int = 0) -> None:
        self.model = model  # None when the texts hold no words at all (bm25s cannot index that)
        self.stemmer = stemmer
        self.vocab = model.vocab_dict if model is not None else {}
        self.size = model.scores["num_docs"] if model is not None else size

    @classmethod
    def build(cls, texts: Iterable[str]) -> Lexical:
        """BM25 over `texts`, read once: a large build streams them from disk."""
        import bm25s

        stemmer = _stemmer()
        rest = iter(texts)
        first = next(rest, None)
        stream = itertools.chain(["" if first is None else first], rest)  # bm25s needs one
        tokens = bm25s.tokenize(stream, stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return cls(None, stemmer, size=0 if first is None else len(tokens.ids))
        model = bm25s.BM25()
        model.index(tokens, show_progress=False)
        return cls(model, stemmer)

    def save(self, path: Path) -> None:
        if self.model is None:
            path.mkdir(parents=True, exist_ok=True)
            (path / "empty").write_text(str(self.size))
            return
        self.model.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path) -> Lexical:
        import bm25s

        if (path / "empty").exists():
            return cls(None, _stemmer(), size=int((path / "empty").read_text()))
        return cls(bm25s.BM25.load(str(path), show_progress=False), _stemmer())

    def tokens(self, text: str) -> list[str]:
        """bm25s's tokenisation of one text (lower case, its word pattern, English stop words,
        the Snowball stemmer), without the per-call progress bars and vocabulary building of
        `bm25s.tokenize`, which cost about 0.3 ms a call: the judge tokenises every quote shown.
        tests/test_lexical.py checks the two agree."""
        words = [w for w in _WORD.findall(text.lower()) if w not in _stopwords()]
        return self.stemmer.stemWords(words)

    def known(self, tokens: list[str]) -> list[str]:
        return [t for t in tokens if t in self.vocab]

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every unit for these query tokens (unknown tokens contribute nothing)."""
        known = self.known(tokens)
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)

    def idf(self, token: str) -> float:
        """Inverse document frequency; a token the corpus never uses gets the maximum."""
        n = self.size
        tid = self.vocab.get(token)
        if tid is None or self.model is None:
            return float(np.log(1 + n))
        indptr = self.model.scores["indptr"]
        df = int(indptr[tid + 1] - indptr[tid])
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
