"""The index: incremental, atomic, and forgiving of bad files."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
import pytest

from bot import Bot
from bot.store import LoadedIndex, current_build, is_stale
from bot.store import build as build_with_export

# Throw-away indexes need no ONNX export of the query encoder (it takes seconds each).
build = partial(build_with_export, export_encoder=False)


def test_first_build_embeds_every_file(small_corpus, index_encoder):
    report = build(small_corpus, encoder=index_encoder, progress=False)
    assert report.embedded_files == ["a.txt", "b.md"]
    assert report.passages >= 2 and not is_stale(small_corpus)


def test_unchanged_files_are_not_embedded_again(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    (small_corpus.corpus_dir / "c.txt").write_text(
        "Sextortion is blackmail with intimate images. Victims are not to blame.",
        encoding="utf-8",
    )
    report = build(small_corpus, encoder=index_encoder, progress=False)
    assert report.embedded_files == ["c.txt"]
    assert report.reused_files == ["a.txt", "b.md"]


def test_a_second_run_with_nothing_changed_does_nothing(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    before = current_build(small_corpus.index_dir)
    report = build(small_corpus, encoder=index_encoder, progress=False)
    assert not report.changed and current_build(small_corpus.index_dir) == before


def test_a_removed_file_leaves_the_index(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    (small_corpus.corpus_dir / "b.md").unlink()
    report = build(small_corpus, encoder=index_encoder, progress=False)
    assert report.removed_files == ["b.md"]
    index = LoadedIndex.open(small_corpus)
    assert {p["source"] for p in index.passages} == {"a.txt"}
    assert index.collection.count() == len(index.units)
    assert not index.collection.get(where={"source": "b.md"})["ids"]


def test_a_changed_file_is_embedded_again(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    (small_corpus.corpus_dir / "a.txt").write_text("Groomers ask for secrecy.", encoding="utf-8")
    report = build(small_corpus, encoder=index_encoder, progress=False)
    assert report.embedded_files == ["a.txt"]
    index = LoadedIndex.open(small_corpus)
    assert any("secrecy" in p["text"] for p in index.passages)
    assert not any("gifts" in p["text"] for p in index.passages)


def test_changed_chunking_settings_rebuild_everything(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    report = build(
        replace(small_corpus, max_quote_chars=400), encoder=index_encoder, progress=False
    )
    assert report.rebuilt and report.embedded_files == ["a.txt", "b.md"]


class Interrupt(KeyboardInterrupt):
    pass


class FailingEncoder:
    def token_sums(self, texts, progress=False):
        raise Interrupt()


def test_an_interrupted_build_leaves_the_previous_index_working(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    before = current_build(small_corpus.index_dir)
    (small_corpus.corpus_dir / "c.txt").write_text("A new article about scams.", encoding="utf-8")
    with pytest.raises(Interrupt):
        build(small_corpus, encoder=FailingEncoder(), progress=False)
    assert current_build(small_corpus.index_dir) == before
    index = LoadedIndex.open(small_corpus)
    assert {p["source"] for p in index.passages} == {"a.txt", "b.md"}
    leftovers = [p for p in (small_corpus.index_dir / "builds").iterdir() if "partial" in p.name]
    assert leftovers == []


def test_bad_files_are_reported_and_skipped_and_the_rest_indexed(small_corpus, index_encoder):
    corpus = small_corpus.corpus_dir
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (corpus / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (corpus / "notes.docx.bak").write_text("x", encoding="utf-8")
    report = build(small_corpus, encoder=index_encoder, progress=False)
    reasons = {s.name: s.reason for s in report.skipped}
    assert reasons["empty.txt"] == "the file is empty"
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "unsupported" in reasons["notes.docx.bak"]
    assert report.embedded_files == ["a.txt", "b.md"]
    assert "skipped empty.txt: the file is empty" in report.summary()


def test_html_files_are_read_as_text(small_corpus, index_encoder):
    (small_corpus.corpus_dir / "page.html").write_text(
        "<html><body><p>Recruiters move conversations to encrypted apps quickly.</p>"
        "<script>alert('x')</script></body></html>",
        encoding="utf-8",
    )
    report = build(small_corpus, encoder=index_encoder, progress=False)
    assert "page.html" in report.embedded_files
    index = LoadedIndex.open(small_corpus)
    assert any("encrypted apps" in p["text"] for p in index.passages)


def test_bot_builds_the_index_when_it_is_missing(small_corpus):
    assert current_build(small_corpus.index_dir) is None
    bot = Bot(small_corpus, progress=False)
    assert current_build(small_corpus.index_dir) is not None
    question = "Why do groomers give gifts?"
    best = bot.retriever.search(question, bot.encoder.encode([question])[0]).ranked[0]
    assert "gifts" in bot.retriever.quote_text(best)


def _grooming_passage(config) -> tuple[LoadedIndex, int, list[str]]:
    """The index, and the passage of a.txt ("Online grooming" heading, two sentences)."""
    index = LoadedIndex.open(config)
    p = next(i for i, p in enumerate(index.passages) if p["source"] == "a.txt")
    start, text = index.passages[p]["start"], index.passages[p]["text"]
    return index, p, [text[s - start : e - start] for s, e in index.passages[p]["sentences"]]


def test_sentences_are_embedded_alone(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    index, p, sentences = _grooming_passage(small_corpus)
    assert sentences[0] == "Groomers often pose as peers on gaming platforms."
    stored = index.unit_vectors(index.passage_units(p))
    assert np.allclose(stored, index_encoder.encode(sentences), atol=1e-5)


def test_a_passage_vector_pools_its_sentences_and_heading(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    index, p, sentences = _grooming_passage(small_corpus)
    sums, counts = index_encoder.token_sums([*sentences, "Online grooming"])
    pooled = sums.sum(axis=0) / counts.sum()
    assert float(index.passage_matrix[p] @ (pooled / np.linalg.norm(pooled))) >= 0.99999
    without_heading = sums[:-1].sum(axis=0)
    assert (
        float(index.passage_matrix[p] @ (without_heading / np.linalg.norm(without_heading))) < 0.999
    )
