"""Properties that hold for any input (hypothesis): ask never breaks, quotes are always verbatim,
and incremental indexing always ends where a fresh build would."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Config
from bot.index import IndexReader, build

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
STATUSES = {"answered", "no_answer", "refused", "crisis"}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


questions = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "<script>alert(1)</script>",
            "[x](http://a) ![i](b)",
            "🙂🙂",
            "¿Cómo usan los traficantes las redes sociales?",
            "人口贩卖者如何使用社交媒体？",
            "how do traffickers use social media",
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=questions)
def test_ask_returns_a_valid_contract_object_for_any_text(bot, question):
    data = bot.ask(question).to_dict()
    assert data["status"] in STATUSES
    assert isinstance(data["text"], str) and data["text"]
    assert data["disclaimer"]
    for c in data["citations"]:
        source = squash((CORPUS / c["source"]).read_text(encoding="utf-8"))
        assert squash(c["quote"]) in source and squash(c["passage"]) in source
        assert len(c["quote"]) <= 600


PARAGRAPHS = [
    "Groomers pose as peers on gaming platforms. They ask children to keep chats secret.",
    "Fake job offers lure people abroad. Their passports are then taken away.",
    "Sextortion is blackmail with intimate images. Victims are never to blame.",
    "Traffickers use encrypted apps to avoid detection by the police.",
    "Parents can talk openly with teenagers about risks online.",
]
operations = st.lists(
    st.tuples(
        st.sampled_from(["add", "change", "remove"]),
        st.integers(0, 3),
        st.integers(0, len(PARAGRAPHS) - 1),
    ),
    min_size=1,
    max_size=4,
)


def snapshot(config: Config) -> tuple:
    index = IndexReader.open(config)
    passages = sorted((p.source, p.start, p.end, p.text) for p in index.passages)
    ids = sorted(index.vectors.ids())
    return passages, ids, np.asarray(index.text_matrix), np.asarray(index.passage_matrix)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=operations)
def test_incremental_updates_end_where_a_fresh_build_does(tmp_path, index_encoder, ops):
    run = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    corpus = run / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "base.txt").write_text(PARAGRAPHS[0], encoding="utf-8")
    config = Config.load(corpus_dir=corpus, index_dir=run / "index")
    build(config, encoder=index_encoder, progress=False, export_encoder=False)
    for op, slot, paragraph in ops:
        path = corpus / f"doc{slot}.txt"
        if op == "remove":
            path.unlink(missing_ok=True)
        else:
            path.write_text(
                PARAGRAPHS[paragraph] + (" Updated." if op == "change" else ""), encoding="utf-8"
            )
        build(config, encoder=index_encoder, progress=False, export_encoder=False)
    fresh = replace(config, index_dir=run / "fresh")
    build(fresh, encoder=index_encoder, progress=False, export_encoder=False)
    updated, rebuilt = snapshot(config), snapshot(fresh)
    assert updated[:2] == rebuilt[:2]
    # Same vectors, up to the float noise of embedding texts in other batches.
    for a, b in zip(updated[2:], rebuilt[2:], strict=True):
        assert a.shape == b.shape and np.allclose(a, b, atol=1e-4)
    shutil.rmtree(run)
