"""The query encoder: ONNX export, parity with sentence-transformers, caching, no torch, fallback.

Real model throughout; the export is made once per session (see conftest.onnx_index_dir).
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from bot.adapter import model_path
from bot.config import ROOT, Config
from bot.embedding import (
    IndexEncoder,
    OnnxEncoder,
    SentenceTransformerEncoder,
    export_query_model,
    index_graph,
    load_query_encoder,
    padded_batches,
    query_model_path,
)
from bot.embedding.export import index_model_path
from bot.embedding.pooling import LENGTH_STEP

MIN_COSINE = 0.9999
# The bfloat16 indexer runs every layer in bfloat16 (8-bit mantissa); its worst text here is at
# about 0.99985, and retrieval on both question sets is the same as with float32 vectors.
BF16_MIN_COSINE = 0.9995

PROSE = (
    "traffickers recruit victims online through fake job offers social media apps and games "
    "they groom young people promise money travel or love then threaten to share images "
    "report abuse to the police hotline keep evidence screenshots block the account "
    "parents teachers support staff can help a child who is scared ashamed or in danger"
)
WORDS = PROSE.split()
FOREIGN = [
    "Как торговцы людьми вербуют жертв в интернете?",
    "Πώς στρατολογούν οι διακινητές θύματα στο διαδίκτυο;",
    "كيف يجند المتاجرون بالبشر الضحايا عبر الإنترنت؟",
    "איך סוחרי אדם מגייסים קורבנות ברשת?",
    "मानव तस्कर ऑनलाइन पीड़ितों की भर्ती कैसे करते हैं?",
    "人口贩子如何在网上招募受害者？",
    "人身売買業者はどのようにオンラインで被害者を勧誘しますか？",
    "인신매매범은 온라인에서 어떻게 피해자를 모집합니까?",
    "ผู้ค้ามนุษย์หลอกลวงเหยื่อทางออนไลน์อย่างไร",
    "Comment les trafiquants recrutent-ils des victimes en ligne ? Ça arrive où ?",
    "¿Cómo reclutan víctimas los traficantes? ¡Ayúdame, por favor!",
    "Wie rekrutieren Menschenhändler Opfer über soziale Medien? Straße, Größe",
    "Tôi nên báo cáo buôn người trực tuyến ở đâu?",
    "cafe\u0301 vs café, zero\u200bwidth, non\u00a0breaking, ﬁ ligature, Ｆｕｌｌｗｉｄｔｈ",
]
EMOJI = ["🚨", "😢🙏", "👩‍👧‍👦", "🏳️‍🌈", "❤️", "🔞📱💸", "🇺🇸🇬🇧"]
PUNCTUATION = [
    "?!?!",
    "...",
    "(a) [b] {c} <d>",
    "--- *** ___ ~~~",
    "\"quoted\" 'single' «guillemets» „low“",
    "e-mail: help@example.org; url: https://example.org/report?x=1&y=2#top",
    "C:\\Users\\kid\\Downloads\\photo.jpg",
    "$100 €50 £20 ¥1000 50% 3.14 1,000,000 +1-800-555-0100",
    "#hashtag @mention /slash \\backslash |pipe| ^caret` `backtick",
]
EMPTYISH = ["", " ", "   ", "\n", "\t", " \n\t ", ".", "a", "I"]


def varied_texts(n: int = 300, seed: int = 7) -> list[str]:
    """Deterministic mix: short and long (> 256 tokens) English, punctuation, scripts, emoji."""
    rng = random.Random(seed)
    texts = [*EMPTYISH, *FOREIGN, *EMOJI, *PUNCTUATION]
    makers = [
        lambda: " ".join(rng.choices(WORDS, k=rng.randint(1, 12))) + "?",
        lambda: " ".join(rng.choices(WORDS, k=rng.randint(10, 60))) + ".",
        lambda: " ".join(rng.choices(WORDS, k=rng.randint(300, 700))),
        lambda: rng.choice(FOREIGN) + " " + rng.choice(EMOJI) + " " + rng.choice(WORDS).upper(),
        lambda: rng.choice(PUNCTUATION) + " " + " ".join(rng.choices(WORDS, k=5)),
        lambda: " ".join(rng.choices(FOREIGN, k=rng.randint(8, 20))),
        lambda: "".join(rng.choices(EMOJI, k=rng.randint(1, 150))),
    ]
    while len(texts) < n:
        texts.append(rng.choice(makers)())
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return varied_texts()


@pytest.fixture(scope="module")
def reference(st_encoder: SentenceTransformerEncoder, texts: list[str]) -> np.ndarray:
    return st_encoder.encode(texts)


@pytest.fixture(scope="module")
def onnx_encoder(onnx_index_dir: Path) -> OnnxEncoder:
    encoder = load_query_encoder(Config.load(index_dir=onnx_index_dir))
    assert isinstance(encoder, OnnxEncoder)
    return encoder


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_parity_texts_cover_truncation(onnx_encoder: OnnxEncoder, texts: list[str]) -> None:
    lengths = [len(onnx_encoder.tokenizer.encode(t, add_special_tokens=True).ids) for t in texts]
    assert len(texts) >= 300
    assert max(lengths) == onnx_encoder.max_length == 256
    assert sum(n == 256 for n in lengths) >= 10


def test_single_queries_match_sentence_transformers(
    onnx_encoder: OnnxEncoder, texts: list[str], reference: np.ndarray
) -> None:
    got = np.vstack([onnx_encoder.encode([t]) for t in texts])
    assert got.dtype == np.float32 and got.shape == (len(texts), 384)
    worst = cosines(got, reference)
    assert worst.min() >= MIN_COSINE, texts[int(worst.argmin())]


def test_batches_match_sentence_transformers(
    onnx_index_dir: Path, texts: list[str], reference: np.ndarray
) -> None:
    config = Config.load(index_dir=onnx_index_dir)
    encoder = OnnxEncoder(query_model_path(config), config.model_path, batch_tokens=1024)
    got = encoder.encode(texts)
    assert got.dtype == np.float32 and got.shape == (len(texts), 384)
    worst = cosines(got, reference)
    assert worst.min() >= MIN_COSINE, texts[int(worst.argmin())]


def test_float32_indexer_matches_sentence_transformers(
    index_encoder: IndexEncoder, texts: list[str], reference: np.ndarray
) -> None:
    worst = cosines(index_encoder.encode(texts), reference)
    assert worst.min() >= MIN_COSINE, texts[int(worst.argmin())]


def test_token_sums_are_the_unnormalised_mean_pooling(
    index_encoder: IndexEncoder, texts: list[str], reference: np.ndarray
) -> None:
    sums, counts = index_encoder.token_sums(texts[:20])
    lengths = [len(index_encoder.tokenizer.encode(t).ids) for t in texts[:20]]
    assert counts.tolist() == lengths
    worst = cosines(sums / counts[:, None], reference[:20])
    assert worst.min() >= MIN_COSINE


def test_a_text_embeds_alike_alone_and_in_a_batch(
    index_encoder: IndexEncoder, texts: list[str]
) -> None:
    together = index_encoder.encode(texts)
    alone = np.vstack([index_encoder.encode([t]) for t in texts[::30]])
    assert cosines(alone, together[::30]).min() >= MIN_COSINE


def test_batches_are_sized_in_tokens_longest_first(index_encoder: IndexEncoder) -> None:
    encodings = index_encoder.tokenizer.encode_batch(["word " * n for n in (3, 200, 40, 41, 2)])
    batches = list(padded_batches(encodings, max_tokens=100))
    rows = [r.tolist() for r, _ in batches]
    assert rows[0] == [1] and sorted(i for r in rows for i in r) == [0, 1, 2, 3, 4]
    for r, arrays in batches:
        size, length = arrays["input_ids"].shape
        assert size >= len(r) and length >= max(len(encodings[i].ids) for i in r)
        assert size == 1 or size * length <= 100
    assert [len(r) for r in rows] == [1, 2, 2]


def test_a_short_last_batch_has_the_shape_of_a_full_one(index_encoder: IndexEncoder) -> None:
    encodings = index_encoder.tokenizer.encode_batch(["word " * 5] * 20)
    batches = list(padded_batches(encodings, max_tokens=64, fill=True))
    assert len(batches) > 1 and len({a["input_ids"].shape for _, a in batches}) == 1
    assert sorted(i for r, _ in batches for i in r.tolist()) == list(range(20))


def test_an_unfilled_batch_holds_only_its_texts(index_encoder: IndexEncoder) -> None:
    encodings = index_encoder.tokenizer.encode_batch(["word " * 5] * 3)
    batches = list(padded_batches(encodings, max_tokens=64))
    assert [a["input_ids"].shape[0] for _, a in batches] == [3]


def test_batch_lengths_are_rounded_to_a_few_shapes(index_encoder: IndexEncoder) -> None:
    encodings = index_encoder.tokenizer.encode_batch(["word " * n for n in range(1, 60)])
    lengths = {a["input_ids"].shape[1] for _, a in padded_batches(encodings, max_tokens=64)}
    assert all(n % LENGTH_STEP == 0 for n in lengths) and len(lengths) <= 60 // LENGTH_STEP + 1


@pytest.fixture(scope="module")
def bf16_vectors(onnx_index_dir: Path, texts: list[str]) -> np.ndarray:
    config = Config.load(index_dir=onnx_index_dir)
    return IndexEncoder(model_path(config), config.batch_tokens, bf16=True).encode(texts)


def test_bf16_indexer_matches_float32(
    texts: list[str], reference: np.ndarray, bf16_vectors: np.ndarray
) -> None:
    worst = cosines(bf16_vectors, reference)
    assert worst.min() >= BF16_MIN_COSINE, texts[int(worst.argmin())]


def test_queries_match_the_bf16_indexer(
    onnx_encoder: OnnxEncoder, texts: list[str], bf16_vectors: np.ndarray
) -> None:
    worst = cosines(onnx_encoder.encode(texts), bf16_vectors)
    assert worst.min() >= BF16_MIN_COSINE, texts[int(worst.argmin())]


def test_bf16_indexing_is_on_exactly_where_the_cpu_has_native_bf16() -> None:
    flags = Path("/proc/cpuinfo").read_text(encoding="utf-8").split()
    assert Config.load().index_bf16 == bool({"avx512_bf16", "amx_bf16"} & set(flags))


# Int8 weights and activations move vectors more than bfloat16 does: on the corpus's sentences
# 0.994 on average and 0.988 at worst, on the odd texts here (punctuation alone, Korean) 0.968.
INT8_MIN_COSINE = 0.96
INT8_CORPUS_MIN_COSINE = 0.98


@pytest.fixture(scope="module")
def int8_encoder(onnx_index_dir: Path) -> IndexEncoder:
    config = Config.load(index_dir=onnx_index_dir)
    return IndexEncoder(model_path(config), config.batch_tokens, graph=index_graph(config))


def test_the_indexer_runs_the_int8_graph_where_the_build_made_it(onnx_index_dir: Path) -> None:
    config = Config.load(index_dir=onnx_index_dir)
    assert index_graph(config) == index_model_path(config) and index_model_path(config).exists()


def test_int8_indexing_can_be_turned_off(onnx_index_dir: Path) -> None:
    assert index_graph(Config.load(index_dir=onnx_index_dir, index_int8=False)) is None


def test_the_int8_graph_is_a_quarter_of_the_float32_export(onnx_index_dir: Path) -> None:
    config = Config.load(index_dir=onnx_index_dir)
    ratio = index_model_path(config).stat().st_size / query_model_path(config).stat().st_size
    assert 0.2 < ratio < 0.3


def test_int8_indexer_stays_near_float32_on_any_text(
    int8_encoder: IndexEncoder, texts: list[str], reference: np.ndarray
) -> None:
    worst = cosines(int8_encoder.encode(texts), reference)
    assert worst.min() >= INT8_MIN_COSINE, texts[int(worst.argmin())]


def test_int8_indexer_keeps_the_corpus_sentences_near_float32(
    int8_encoder: IndexEncoder, index_encoder: IndexEncoder
) -> None:
    sentences = [
        s
        for path in sorted((ROOT / "corpus").glob("*.txt"))
        for s in path.read_text(encoding="utf-8").replace(". ", ".\n").splitlines()
        if len(s.split()) >= 4
    ]
    got = cosines(int8_encoder.encode(sentences), index_encoder.encode(sentences))
    assert got.min() >= INT8_CORPUS_MIN_COSINE and got.mean() >= 0.99


def test_embeddings_are_unit_length(onnx_encoder: OnnxEncoder, texts: list[str]) -> None:
    norms = np.linalg.norm(onnx_encoder.encode(texts[:50]), axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)


def test_text_beyond_max_seq_length_is_ignored(onnx_encoder: OnnxEncoder) -> None:
    long = " ".join(["traffickers groom children online"] * 100)
    a = onnx_encoder.encode([long])
    b = onnx_encoder.encode([long + " completely different ending about the weather"])
    np.testing.assert_array_equal(a, b)


def test_empty_batch_gives_empty_matrix(onnx_encoder: OnnxEncoder) -> None:
    assert onnx_encoder.encode([]).shape == (0, 384)


def test_repeated_question_is_served_from_cache(onnx_encoder: OnnxEncoder) -> None:
    question = "Is it safe to block someone who threatens me on Instagram?"
    first = onnx_encoder.encode([question])
    hits = onnx_encoder.hits
    first[0, 0] = 42.0  # callers get a copy: changing it must not poison the cache
    second = onnx_encoder.encode([question])
    assert onnx_encoder.hits == hits + 1
    assert second[0, 0] != 42.0
    np.testing.assert_array_equal(second, onnx_encoder.encode([question]))


def test_query_cache_is_bounded_lru(onnx_index_dir: Path) -> None:
    config = Config.load(index_dir=onnx_index_dir)
    encoder = OnnxEncoder(query_model_path(config), config.model_path, cache_size=3)
    for q in ["one", "two", "three", "one", "four"]:
        encoder.encode([q])
    assert list(encoder._cache) == ["three", "one", "four"]
    assert (encoder.hits, encoder.misses) == (1, 4)


def test_concurrent_queries_match_serial(onnx_index_dir: Path, texts: list[str]) -> None:
    config = Config.load(index_dir=onnx_index_dir)
    serial = OnnxEncoder(query_model_path(config), config.model_path, cache_size=0)
    shared = OnnxEncoder(query_model_path(config), config.model_path, cache_size=16)
    questions = texts[:60] * 3
    expected = np.vstack([serial.encode([q]) for q in questions])
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = np.vstack(list(pool.map(lambda q: shared.encode([q]), questions)))
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_encoder_loads_from_cache_after_export(onnx_index_dir: Path) -> None:
    config = Config.load(index_dir=onnx_index_dir)
    path = query_model_path(config)
    before = path.stat()
    assert export_query_model(config) == path  # a rebuild finds the export and keeps it
    encoder = load_query_encoder(config)
    assert isinstance(encoder, OnnxEncoder)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    current = [query_model_path(config, m).name for m in config.models()]
    expected = sorted([*current, index_model_path(config).name])
    assert sorted(p.name for p in path.parent.iterdir()) == expected  # nothing else left there


def test_question_encoded_in_fresh_process_without_torch(
    onnx_index_dir: Path, st_encoder: SentenceTransformerEncoder
) -> None:
    question = "How do traffickers recruit teenagers through online games?"
    script = (
        "import json, sys\n"
        "from bot.config import Config\n"
        "from bot.embedding import load_query_encoder\n"
        "encoder = load_query_encoder(Config.load(index_dir=sys.argv[1]))\n"
        "vector = encoder.encode([sys.argv[2]])[0]\n"
        "heavy = ('torch', 'transformers', 'sentence_transformers')\n"
        "print(json.dumps({'encoder': type(encoder).__name__, 'vector': vector.tolist(),\n"
        "                  'loaded': [m for m in heavy if m in sys.modules]}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    result = subprocess.run(
        [sys.executable, "-c", script, str(onnx_index_dir), question],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["encoder"] == "OnnxEncoder"
    assert out["loaded"] == []
    vector = np.asarray([out["vector"]], dtype=np.float32)
    assert cosines(vector, st_encoder.encode([question]))[0] >= MIN_COSINE


def test_fallback_when_onnx_file_removed(
    onnx_index_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = Config.load(index_dir=tmp_path)
    path = query_model_path(config)
    path.parent.mkdir(parents=True)
    os.link(query_model_path(Config.load(index_dir=onnx_index_dir)), path)
    assert isinstance(load_query_encoder(config), OnnxEncoder)
    path.unlink()
    with caplog.at_level(logging.WARNING, logger="bot.embedding"):
        encoder = load_query_encoder(config)
    assert isinstance(encoder, SentenceTransformerEncoder)
    assert "No ONNX query encoder" in caplog.text and "sentence-transformers" in caplog.text
    assert encoder.encode(["still answers"]).shape == (1, 384)


def test_fallback_when_onnx_file_is_corrupt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = Config.load(index_dir=tmp_path)
    path = query_model_path(config)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not an onnx graph")
    with caplog.at_level(logging.WARNING, logger="bot.embedding"):
        encoder = load_query_encoder(config)
    assert isinstance(encoder, SentenceTransformerEncoder)
    assert "Could not load the ONNX query encoder" in caplog.text


def test_failed_export_returns_none_and_leaves_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "model"
    shutil.copytree(
        Config.load().model_path, broken, ignore=shutil.ignore_patterns("*.safetensors")
    )
    (broken / "model.safetensors").write_bytes(b"truncated download")
    config = Config.load(index_dir=tmp_path / "index", model_path=str(broken))
    with caplog.at_level(logging.WARNING, logger="bot.embedding"):
        assert export_query_model(config) is None
    assert "Could not export the query encoder" in caplog.text
    assert list(query_model_path(config).parent.iterdir()) == []
