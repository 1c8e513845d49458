"""BM25's tokeniser: the fast path used at query time agrees with bm25s's own."""

from __future__ import annotations

import bm25s
import pytest

from bot.lexical import Lexical


@pytest.fixture(scope="module")
def lexical() -> Lexical:
    return Lexical.build(["Traffickers recruit victims online.", "Report abuse to the police."])


@pytest.mark.parametrize(
    "text",
    [
        "How do traffickers recruit teenagers through online games?",
        "wat r the signs ur kid is being groomed?? pls help",
        "The 2018 study: 55 percent of survivors were recruited in 2015-2016 (via text).",
        "Café, naïve, straße and Überweisung; ¿Cómo reclutan víctimas?",
        "a I of the",
        "",
    ],
)
def test_tokens_match_bm25s_tokenize(lexical: Lexical, text: str) -> None:
    expected = bm25s.tokenize(
        [text], stopwords="en", stemmer=lexical.stemmer, return_ids=False, show_progress=False
    )[0]
    assert lexical.tokens(text) == expected
