"""Hybrid retrieval: dense (Chroma) and BM25 over sentences, fused by rank, grouped by passage.

Sentences are the retrieval unit because the evidence a person needs is usually one or two
sentences; the passage around them is context. A text repeated in the corpus is one candidate,
met where it first occurs (bot.index.read). The steps:
1. the `candidates` nearest sentences by cosine, and the `candidates` best by BM25;
2. reciprocal rank fusion (RRF) of the two lists;
3. one hit per passage, ranked by its best sentence; the quote is the window of one to three
   sentences of that passage that answers best, within `max_quote_chars`;
4. the relevance judge (bot.judge), when trained, re-ranks these candidate passages from their
   retrieval signals and gives the probability that the best quotes answer the question;
5. diversification: a hit whose quote says what an earlier hit said (the sources repeat each
   other) is dropped, so the citations bring different evidence;
6. "tell me more" (`shown`): quoted again from the sentences earlier answers have not shown,
   so it may read on beside an earlier quote in its passage, and never repeats one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.config import Config
from bot.index import IndexReader
from bot.judge import CANDIDATE_FEATURES, Coverage, Judge, question_features
from bot.lexical import Lexical
from bot.records import Span
from bot.text import words

# Rank fusion. RRF_K = 20 rather than the usual 60 lets the head of each list count more: on
# the development questions the evidence is usually at rank 0-2 of one of the lists.
RRF_K = 20
W_DENSE = 1.0
# Rank fusion forgets how much closer the best sentence is (cosine 0.90 against 0.72 counts the
# same as 0.73 against 0.72); a small share of the dense score itself keeps that information.
# Raised hit@1 on both question sets (0.83 -> 0.87 and 0.76 -> 0.82).
W_COSINE = 0.1
W_LEX = 1.0
# Share of the passage's cosine in a sentence's dense score. Passage vectors are pooled from
# their sentences (bot.index.write); on our own questions MRR was 0.813 / 0.837 / 0.847 / 0.850 /
# 0.823 at 0 / 0.3 / 0.6 / 0.8 / 1.0, and the development set agreed (0.917 at 0.8).
W_PASSAGE = 0.8
W_META = 0.5  # weight of the "named document" list (title / publisher words)
NEAR_DUPLICATE = 0.6  # word-set overlap above which two quotes say the same thing
NEIGHBOUR = 0.3  # relevance a sentence needs to add to a quote
W_QUOTE_LEX = 0.2  # share of normalised BM25 in a sentence's relevance within a passage

# Words that carry no topic: question scaffolding is common in questions and rare in articles,
# so BM25 would otherwise reward them.
_SCAFFOLDING = """
what whats how why who whom whose which when where is are was were do does did can could should
would will shall may might must there their they them it its this that these those a an the of
to in on for with by from about as at be been being or and but if so than then i me my we our
you your he she his her us any some much many more most also just really actually tell explain
describe mean means kind sort way ways thing things get got
"""
QUESTION_WORDS = frozenset(_SCAFFOLDING.split())


CANDIDATE_PASSAGES = 12  # passages the judge chooses from: they hold the evidence ~97% of the time
_STEM = 5  # words compared by their first letters: "trafficker" meets "trafficking"


@dataclass
class Hit:
    passage: int
    score: float
    quote: Span
    features: np.ndarray  # CANDIDATE_FEATURES


@dataclass
class Retrieval:
    hits: list[Hit]  # the citations to show, best first
    ranked: list[Hit]  # every candidate passage, best first, before diversification
    question_features: np.ndarray | None  # the answerability model's inputs (with a judge)
    confidence: float  # probability that the quotes answer the question (1.0 without a judge)
    answerable: bool


def _stems(text: str) -> set[str]:
    return {w[:_STEM] for w in words(text)}


class Retriever:
    def __init__(self, index: IndexReader, config: Config, judge: Judge | None = None) -> None:
        self.index = index
        self.config = config
        self.judge = judge
        self._meta_sources = sorted(index.sources)
        self._meta = Lexical.build(
            [f"{index.sources[n].title} {index.sources[n].publisher}" for n in self._meta_sources]
        )

    def search(
        self,
        question: str,
        vector: np.ndarray,
        k: int | None = None,
        shown: Sequence[Hit] = (),
    ) -> Retrieval:
        """The best `k` quotes for a question, never again a sentence of `shown` (what earlier
        answers in the conversation quoted, for "tell me more"); whether they answer it is
        judged on the best quotes, shown or not, which say whether the sources cover the topic
        at all."""
        k = k or self.config.top_k
        index = self.index
        if len(index.units) == 0:
            return Retrieval([], [], None, 0.0, False)
        n = self.config.candidates
        dense_idx, dense_sim = index.dense(vector, n)
        # A sentence's dense score counts what its passage is about too: "this crackdown aims
        # to..." matches a question about the crackdown only through its paragraph.
        context = index.passage_similarity(index.units[dense_idx, 0], vector)
        dense_score = dense_sim + W_PASSAGE * context
        order = np.argsort(-dense_score)

        tokens = [t for t in index.lexical.tokens(question) if t not in QUESTION_WORDS]
        lex = index.lexical_scores(tokens)  # by text row
        top = min(n, len(lex))
        lex_rows = np.argpartition(-lex, top - 1)[:top]
        lex_rows = lex_rows[np.argsort(-lex[lex_rows])]
        lex_idx = index.row_unit[lex_rows[lex[lex_rows] > 0]]

        fused: dict[int, float] = {}
        for rank, i in enumerate(order):
            u = int(dense_idx[i])
            fused[u] = W_DENSE / (RRF_K + rank) + W_COSINE * float(dense_score[i])
        for rank, u in enumerate(lex_idx.tolist()):
            fused[u] = fused.get(u, 0.0) + W_LEX / (RRF_K + rank)
        self._boost_named_sources(tokens, fused)
        content = {w for w in words(question) if w not in QUESTION_WORDS}
        # The judge chooses among the best passages by fusion and by the encoder alone: a
        # paraphrase sharing no word with its evidence can sit low in the fused order.
        nearest = list(dict.fromkeys(int(index.units[dense_idx[i], 0]) for i in order))
        extra = nearest[:CANDIDATE_PASSAGES] if self.judge is not None else []
        lexn = lex / max(float(lex.max()), 1e-9)
        hits = self._hits(fused, vector, lexn, content, extra)
        if hits and self.judge is not None:
            self._rank(hits)
        first = chosen = self._diversify(hits, k)
        if shown and hits:
            # "More" goes on from what was shown: the next best quotes among the sentences not
            # shown yet, beside an earlier quote in its passage as well as in other passages.
            hidden: dict[int, set[int]] = {}
            for hit in shown:
                hidden.setdefault(hit.passage, set()).update(self._sentences_in(hit))
            more = self._hits(fused, vector, lexn, content, extra, hidden)
            if more and self.judge is not None:
                self._rank(more)
            chosen = self._diversify(more, k, before=shown)
        if self.judge is None or not hits:
            return Retrieval(chosen, hits, None, 1.0, bool(hits))
        quotes = [self.quote_text(h) for h in first]
        features = question_features(
            question,
            np.array([h.score for h in hits]),
            np.stack([h.features for h in hits]),
            quotes,
            self._coverage(tokens, quotes, float(lex.max())),
        )
        confidence = float(self.judge.answerable.probability(features))
        top = self.index.sources[self.index.passages[hits[0].passage].source]
        answerable = confidence >= self.judge.threshold_for(top.sha256)
        return Retrieval(chosen, hits, features, confidence, answerable)

    def _rank(self, hits: list[Hit]) -> None:
        """Order hits by the judge's ranker, best first (a file the training never saw raised
        by the judge's offset)."""
        assert self.judge is not None
        scores = self.judge.ranker.score(np.stack([h.features for h in hits]))
        for hit, score in zip(hits, scores, strict=True):
            source = self.index.sources[self.index.passages[hit.passage].source]
            hit.score = float(score) + self.judge.offset_for(source.sha256)
        hits.sort(key=lambda h: -h.score)

    def _sentences_in(self, hit: Hit) -> set[int]:
        """The indexes, within its passage, of the sentences a hit's quote holds."""
        spans = self.index.sentence_spans(hit.passage)
        return {
            i
            for i, span in enumerate(spans)
            if span.start >= hit.quote.start and span.end <= hit.quote.end
        }

    def _coverage(self, tokens: list[str], quotes: list[str], best_bm25: float) -> Coverage:
        """How much of what the question asks the corpus and the quotes hold, by word rarity."""
        lexical = self.index.lexical
        shown = {t for q in quotes for t in lexical.tokens(q)}
        idf = np.array([lexical.idf(t) for t in tokens]) if tokens else np.zeros(0)
        missing = np.array([t not in shown for t in tokens], dtype=bool)
        most = math.log(1 + lexical.size) or 1.0
        return Coverage(
            unknown=sum(t not in lexical.vocab for t in tokens) / max(1, len(tokens)),
            missing=float(idf[missing].sum() / idf.sum()) if idf.sum() > 0 else 1.0,
            rarest_missing=float(idf[missing].max()) / most if missing.any() else 0.0,
            bm25=math.log1p(best_bm25),
            words=len(tokens),
        )

    def _boost_named_sources(self, tokens: list[str], fused: dict[int, float]) -> None:
        """A question that names a document ("what did China Daily report...", "the blog post
        on ...") ranks that document's sentences higher: a third ranked list, over sources."""
        # Only words the articles' text never uses: generic topic words in titles ("social
        # media") would otherwise pull every question towards whichever title has them.
        scores = self._meta.scores([t for t in tokens if t not in self.index.lexical.vocab])
        named = [i for i in np.argsort(-scores) if scores[i] > 0]
        bonus = {self._meta_sources[i]: W_META / (RRF_K + r) for r, i in enumerate(named)}
        if not bonus:
            return
        units, passages = self.index.units, self.index.passages
        for u in fused:
            fused[u] += bonus.get(passages[int(units[u, 0])].source, 0.0)

    def _hits(
        self,
        fused: dict[int, float],
        vector: np.ndarray,
        lexical: np.ndarray,
        content: set[str],
        extra: list[int],
        hidden: dict[int, set[int]] | None = None,
    ) -> list[Hit]:
        """One hit per passage, in fused order of its best sentence, then the `extra` passages
        not among them, each with the judge's features. `lexical` is by text row. `hidden`:
        sentences already shown, by passage, which no quote may hold again."""
        hidden = hidden or {}
        units = self.index.units
        best: dict[int, float] = {}
        for u, score in fused.items():
            p = int(units[u, 0])
            best[p] = max(best.get(p, 0.0), score)
        ranked = sorted(best, key=lambda p: -best[p])[:CANDIDATE_PASSAGES]
        fused_first = set(ranked)
        ranked += [p for p in extra if p not in fused_first]
        # The vectors of every sentence of these passages (memory-mapped arrays of the build).
        members = {p: self.index.passage_units(p) for p in ranked}
        vectors = self.index.unit_vectors([u for p in ranked for u in members[p]])
        sims = dict(zip((u for p in ranked for u in members[p]), vectors @ vector, strict=True))
        passage_cos = self.index.passage_similarity(np.asarray(ranked, dtype=np.int64), vector)
        top_fused = best[ranked[0]] if ranked else 1.0
        content_stems = {w[:_STEM] for w in content}
        hits = []
        for rank, p in enumerate(ranked):
            passage_sims = np.array([sims[u] for u in members[p]], dtype=np.float32)
            passage_lex = lexical[self.index.unit_rows(members[p])]
            found = self._quote(p, passage_sims, passage_lex, hidden.get(p, set()))
            if found is None:  # every sentence of it shown already
                continue
            quote, dense = found
            quote_stems = _stems(self.index.text(p, quote))
            features = [
                float(passage_sims.max()),
                dense,
                float(passage_cos[rank]),
                float(passage_lex.max()),
                len(content_stems & quote_stems) / max(1, len(content_stems)),
                best[p] / max(top_fused, 1e-9),
                1.0 / (1 + rank),
                0.0,  # cosine_gap, set below
            ]
            hits.append(Hit(p, best[p], quote, np.array(features, dtype=np.float64)))
        cosine, gap = (CANDIDATE_FEATURES.index(n) for n in ("sentence_cosine", "cosine_gap"))
        top = max((h.features[cosine] for h in hits), default=0.0)
        for h in hits:
            h.features[gap] = h.features[cosine] - top
        return hits

    def _quote(
        self, p: int, sims: np.ndarray, lexical: np.ndarray, hidden: set[int]
    ) -> tuple[Span, float] | None:
        """The window of one to three sentences of the passage that answers best, among those
        not `hidden` (None when every sentence is).

        Each sentence adds its relevance (cosine plus a share of its normalised BM25 score)
        minus NEIGHBOUR: related neighbours join (an answer often spans a claim and the
        sentence that explains it), a weak sentence joins only to bridge to a strong one, and a
        passage whose best evidence is not its top-ranked sentence still quotes the evidence.
        """
        spans = self.index.sentence_spans(p)
        gain = sims + W_QUOTE_LEX * lexical - NEIGHBOUR
        size, limit = self.config.max_quote_sentences, self.config.max_quote_chars
        windows = [
            (float(gain[lo : hi + 1].sum()), -(hi - lo), lo, hi)
            for lo in range(len(spans))
            for hi in range(lo, min(len(spans), lo + size))
            if (spans[hi].end - spans[lo].start <= limit or hi == lo)
            and not hidden.intersection(range(lo, hi + 1))
        ]
        if not windows:
            return None
        _, _, lo, hi = max(windows)
        return Span(spans[lo].start, spans[hi].end), float(sims[lo : hi + 1].max())

    def _diversify(self, hits: list[Hit], k: int, before: Sequence[Hit] = ()) -> list[Hit]:
        """The first `k` hits whose quotes say something new, after each other and after the
        quotes `before` (shown earlier)."""
        chosen: list[Hit] = []
        seen: list[set[str]] = [set(words(self.quote_text(h))) for h in before]
        for hit in hits:
            w = set(words(self.quote_text(hit)))
            if any(len(w & s) / max(1, min(len(w), len(s))) > NEAR_DUPLICATE for s in seen):
                continue
            chosen.append(hit)
            seen.append(w)
            if len(chosen) == k:
                break
        return chosen

    def quote_text(self, hit: Hit) -> str:
        return self.index.text(hit.passage, hit.quote)
