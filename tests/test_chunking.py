"""Passages follow paragraphs; sentences are quotable units with offsets into the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.chunking import passages
from bot.corpus import discover, iter_sources

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def sources():
    files, _ = discover(CORPUS)
    return list(iter_sources(files, CORPUS))


def test_passages_are_verbatim_and_at_most_1500_characters(sources):
    for source in sources:
        for p in passages(source):
            assert len(p.text) <= 1500
            assert source.text[p.start : p.end] == p.text


def test_sentences_are_at_most_600_characters_and_inside_their_passage(sources):
    for source in sources:
        for p in passages(source):
            for s in p.sentences:
                assert p.start <= s.start < s.end <= p.end
                assert s.end - s.start <= 600


def test_headings_are_context_not_quotable_sentences(sources):
    source = next(s for s in sources if s.name.startswith("000"))
    sentences = [source.text[s.start : s.end] for p in passages(source) for s in p.sentences]
    assert "The Role of Technology in Human Trafficking" not in sentences
    assert any(s.startswith("Traffickers leverage technology") for s in sentences)


def test_numbered_list_markers_stay_with_their_sentence(sources):
    source = next(s for s in sources if s.name.startswith("003"))
    sentences = [source.text[s.start : s.end] for p in passages(source) for s in p.sentences]
    assert "1." not in sentences
    assert any(s.startswith("1. Online Recruitment") for s in sentences)


def test_an_overlong_paragraph_is_split_at_sentence_boundaries():
    from bot.records import Source, Span

    text = " ".join(
        f"Sentence number {i} talks about online safety for families." for i in range(80)
    )
    source = Source(name="long.txt", text=text, spans=[Span(0, len(text))])
    parts = list(passages(source))
    assert len(parts) > 1
    assert all(len(p.text) <= 1500 for p in parts)


def test_a_repeated_paragraph_is_split_into_sentences_once(monkeypatch):
    import bot.chunking as chunking
    from bot.records import Source, Span

    calls = []
    split = chunking._split_line
    monkeypatch.setattr(chunking, "_split_line", lambda *a: calls.append(a) or split(*a))
    chunking._line_sentences.cache_clear()
    paragraph = "Recruiters pose as agents. They promise work abroad and take passports."
    text = "\n\n".join([paragraph] * 200)
    starts = [i * (len(paragraph) + 2) for i in range(200)]
    source = Source(name="r.txt", text=text, spans=[Span(s, s + len(paragraph)) for s in starts])
    sentences = [s for p in passages(source) for s in p.sentences]
    assert len(sentences) == 400 and len(calls) == 1
