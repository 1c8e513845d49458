"""The index: incremental, atomic, and forgiving of bad files."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
import pytest
from conftest import with_exports

from bot import Bot
from bot.index import IndexReader, current_build, is_stale
from bot.index import build as build_with_export
from bot.records import Passage, Source, Span

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
    index = IndexReader.open(small_corpus)
    assert {p.source for p in index.passages} == {"a.txt"}
    assert index.vectors.count() == len(index.rows)
    assert sorted(index.vectors.ids()) == sorted(index.rows)


def test_a_changed_file_is_embedded_again(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    (small_corpus.corpus_dir / "a.txt").write_text("Groomers ask for secrecy.", encoding="utf-8")
    report = build(small_corpus, encoder=index_encoder, progress=False)
    assert report.embedded_files == ["a.txt"]
    index = IndexReader.open(small_corpus)
    assert any("secrecy" in p.text for p in index.passages)
    assert not any("gifts" in p.text for p in index.passages)


def test_changed_chunking_settings_rebuild_everything(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    report = build(
        replace(small_corpus, max_quote_chars=400), encoder=index_encoder, progress=False
    )
    assert report.rebuilt and report.embedded_files == ["a.txt", "b.md"]


class Interrupt(KeyboardInterrupt):
    pass


class FailingEncoder:
    def token_sums(self, texts, progress=False, pause=None):
        raise Interrupt()


def test_an_interrupted_build_leaves_the_previous_index_working(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    before = current_build(small_corpus.index_dir)
    (small_corpus.corpus_dir / "c.txt").write_text("A new article about scams.", encoding="utf-8")
    with pytest.raises(Interrupt):
        build(small_corpus, encoder=FailingEncoder(), progress=False)
    assert current_build(small_corpus.index_dir) == before
    index = IndexReader.open(small_corpus)
    assert {p.source for p in index.passages} == {"a.txt", "b.md"}
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
    index = IndexReader.open(small_corpus)
    assert any("encrypted apps" in p.text for p in index.passages)


def test_bot_builds_the_index_when_it_is_missing(small_corpus, query_exports):
    assert current_build(small_corpus.index_dir) is None
    bot = Bot(with_exports(small_corpus, query_exports), progress=False)
    assert current_build(small_corpus.index_dir) is not None
    question = "Why do groomers give gifts?"
    best = bot.retriever.search(question, bot.encoder.encode([question])[0]).ranked[0]
    assert "gifts" in bot.retriever.quote_text(best)


def test_int8_and_torch_vectors_are_cached_apart(small_corpus, query_exports, index_encoder):
    config = with_exports(small_corpus, query_exports)  # the int8 graph included
    build(config, progress=False)
    torch_config = replace(config, index_int8=False)
    assert build(torch_config, encoder=index_encoder, force=True, progress=False).texts_embedded
    assert build(config, force=True, progress=False).texts_embedded == 0


def _grooming_passage(config) -> tuple[IndexReader, int, list[str]]:
    """The index, and the passage of a.txt ("Online grooming" heading, two sentences)."""
    index = IndexReader.open(config)
    p = next(i for i, p in enumerate(index.passages) if p.source == "a.txt")
    return index, p, [index.text(p, span) for span in index.passages[p].sentences]


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


class CountingEncoder:
    """The real indexer, recording every text it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def token_sums(self, texts, progress: bool = False, pause=None):
        self.texts += list(texts)
        return self.inner.token_sums(texts, progress, pause)


# Over 300 characters of prose, so each copy is a passage of its own (bot.chunking).
REPEATED = (
    "Recruiters promise well-paid work abroad, pay for the travel and arrange the visa papers. "
    "Then they keep the passport and demand repayment of a growing debt. Families are told "
    "that the worker is doing well, while messages are read and calls are watched by a "
    "supervisor who also decides when the worker may sleep."
)


def test_a_repeated_paragraph_is_embedded_once(small_corpus, index_encoder):
    (small_corpus.corpus_dir / "report.txt").write_text(
        "\n\n".join([REPEATED] * 50) + "\n", encoding="utf-8"
    )
    counting = CountingEncoder(index_encoder)
    build(small_corpus, encoder=counting, progress=False)
    assert len(counting.texts) == len(set(counting.texts))
    assert sum("growing debt" in t for t in counting.texts) == 1


def test_every_occurrence_of_a_repeated_text_stays_in_the_index(small_corpus, index_encoder):
    (small_corpus.corpus_dir / "report.txt").write_text(
        "\n\n".join([REPEATED] * 50) + "\n", encoding="utf-8"
    )
    build(small_corpus, encoder=index_encoder, progress=False)
    index = IndexReader.open(small_corpus)
    occurrences = [p for p in index.passages if p.source == "report.txt"]
    assert len(occurrences) == 50
    rows = {int(r) for r in index.unit_rows(range(len(index.units)))}
    assert len(rows) == len(index.rows) == index.vectors.count() < len(index.units)


def test_a_repeated_text_is_one_candidate_where_it_first_occurs(
    small_corpus, index_encoder, query_exports
):
    (small_corpus.corpus_dir / "report.txt").write_text(
        "\n\n".join([REPEATED] * 50) + "\n", encoding="utf-8"
    )
    build(with_exports(small_corpus, query_exports), encoder=index_encoder, progress=False)
    bot = Bot(small_corpus, progress=False)
    question = "Who keeps the passport and demands repayment of a debt?"
    ranked = bot.retriever.search(question, bot.encoder.encode([question])[0]).ranked
    [hit] = [h for h in ranked if "growing debt" in bot.retriever.quote_text(h)]
    assert bot.retriever.index.passages[hit.passage].start == 0


def test_a_file_sharing_text_with_an_indexed_one_embeds_only_its_new_text(
    small_corpus, index_encoder
):
    build(small_corpus, encoder=index_encoder, progress=False)
    a = (small_corpus.corpus_dir / "a.txt").read_text(encoding="utf-8")
    (small_corpus.corpus_dir / "c.txt").write_text(
        a + "\nParents can keep gaming consoles in shared rooms.\n", encoding="utf-8"
    )
    counting = CountingEncoder(index_encoder)
    report = build(small_corpus, encoder=counting, progress=False)
    assert report.embedded_files == ["c.txt"]
    assert counting.texts == ["Parents can keep gaming consoles in shared rooms."]


def test_a_duplicate_file_adds_no_embedding_work(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    a = small_corpus.corpus_dir / "a.txt"
    (small_corpus.corpus_dir / "a copy.txt").write_bytes(a.read_bytes())
    counting = CountingEncoder(index_encoder)
    report = build(small_corpus, encoder=counting, progress=False)
    assert counting.texts == []
    # The first by name is kept, as a fresh build would: here the copy.
    assert [(s.name, s.reason) for s in report.skipped] == [("a.txt", "same content as a copy.txt")]


def test_the_reader_returns_typed_records(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    index = IndexReader.open(small_corpus)
    assert all(isinstance(p, Passage) for p in index.passages)
    assert all(isinstance(s, Span) for p in index.passages for s in p.sentences)
    assert isinstance(index.sources["a.txt"], Source) and index.sources["a.txt"].sha256


def test_each_unusable_file_is_reported_as_soon_as_it_is_found(small_corpus, index_encoder):
    (small_corpus.corpus_dir / "empty.txt").write_bytes(b"")
    (small_corpus.corpus_dir / "noise.txt").write_bytes(bytes(range(256)) * 80)
    heard = []

    def on_skip(item):
        heard.append((item.name, item.reason, current_build(small_corpus.index_dir)))

    report = build(small_corpus, encoder=index_encoder, progress=False, on_skip=on_skip)
    assert [(n, r) for n, r, _ in heard] == [(s.name, s.reason) for s in report.skipped]
    assert {n for n, _, _ in heard} == {"empty.txt", "noise.txt"}
    assert all(live is None for _, _, live in heard)  # heard before the build was done


def test_a_pages_scripts_and_styles_are_never_indexed(small_corpus, index_encoder):
    (small_corpus.corpus_dir / "page.html").write_text(
        "<html><head><style>p {color: red}</style></head><body><h1>Safety online</h1>"
        "<script>var token = 'script text';</script><p>Traffickers use social media to find "
        "young people who seem lonely.</p><noscript>enable scripts</noscript></body></html>",
        encoding="utf-8",
    )
    build(small_corpus, encoder=index_encoder, progress=False)
    page = [p.text for p in IndexReader.open(small_corpus).passages if p.source == "page.html"]
    assert any("seem lonely" in t for t in page)
    assert not any(code in t for t in page for code in ("script text", "color", "enable scripts"))


def test_a_title_taken_from_the_text_survives_a_change_of_the_manifest(small_corpus, index_encoder):
    build(small_corpus, encoder=index_encoder, progress=False)
    (small_corpus.corpus_dir / "manifest.json").write_text(
        '{"b.md": {"title": "Job scams explained"}}', encoding="utf-8"
    )
    report = build(small_corpus, encoder=index_encoder, progress=False)
    sources = IndexReader.open(small_corpus).sources
    assert report.reused_files == ["a.txt", "b.md"]
    assert sources["a.txt"].title == "Online grooming"
    assert sources["b.md"].title == "Job scams explained"


EMBEDDED = pytest.mark.parametrize("small_corpus", ["embedded"], indirect=True)
MANY_SENTENCES = (
    "Traffickers advertise fake modelling jobs. They ask for photos first. Then they ask for "
    "money for travel. Victims arrive to find no job. Their phones are taken away. Families "
    "are told everything is fine.\n"
)


@pytest.fixture
def sharded(small_corpus, index_encoder, monkeypatch):
    """The small corpus and one more file, built into embedded shards of 3 vectors each."""
    monkeypatch.setattr("bot.index.chroma.SHARD_SIZE", 3)
    (small_corpus.corpus_dir / "c.txt").write_text(MANY_SENTENCES, encoding="utf-8")
    build(small_corpus, encoder=index_encoder, progress=False)
    return small_corpus


@EMBEDDED
def test_an_embedded_build_keeps_its_vectors_in_shards_of_bounded_size(sharded):
    index = IndexReader.open(sharded)
    shards = sorted(index.build.glob("chroma*"))
    assert len(shards) == -(-len(index.rows) // 3) > 1
    assert sorted(index.vectors.ids()) == sorted(index.rows)


@EMBEDDED
def test_a_search_over_shards_finds_the_nearest_sentences_of_all(sharded, index_encoder):
    index = IndexReader.open(sharded)
    question = index_encoder.encode(["they take away phones"])[0]
    units, similarities = index.dense(question, 4)
    exact = np.argsort(-(np.asarray(index.text_matrix) @ question))[:4]
    assert index.unit_rows(units).tolist() == exact.tolist()
    assert np.all(np.diff(similarities) <= 1e-6)


@EMBEDDED
def test_an_update_of_a_sharded_build_keeps_each_vector_once(sharded, index_encoder):
    (sharded.corpus_dir / "a.txt").unlink()
    (sharded.corpus_dir / "d.txt").write_text(
        "Sextortion is blackmail with intimate images. Victims are not to blame. Report it.\n",
        encoding="utf-8",
    )
    build(sharded, encoder=index_encoder, progress=False)
    index = IndexReader.open(sharded)
    assert sorted(index.vectors.ids()) == sorted(index.rows)
    assert index.vectors.count() == len(index.rows)
