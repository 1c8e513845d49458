"""A question never waits for a build: when the corpus changes, answers come from the live index
until the new one is complete, and a Bot builds only when there is no index at all."""

from __future__ import annotations

import threading
from functools import partial

from conftest import with_exports

from bot import Bot
from bot.index import build, current_build, is_stale

quiet_build = partial(build, progress=False, export_encoder=False)
QUESTION = "Why do groomers give gifts?"


def best_quote(bot: Bot, question: str) -> str:
    """The top quote retrieval finds (what the reply would cite, before the judge's call)."""
    ranked = bot.retriever.search(question, bot.encoder.encode([question])[0]).ranked
    return bot.retriever.quote_text(ranked[0])


NEW_ARTICLE = (
    "Sextortion\n\nSextortion is blackmail with intimate images. Offenders threaten to send the "
    "images to family and friends unless the victim pays. Victims are never to blame.\n"
)


class PausedEncoder:
    """The real indexer, held at its first batch until released, so a build stays running."""

    def __init__(self, inner) -> None:
        self.inner, self.started, self.release = inner, threading.Event(), threading.Event()

    def token_sums(self, texts, progress: bool = False, pause=None):
        self.started.set()
        assert self.release.wait(120)
        return self.inner.token_sums(texts, progress, pause)


def test_a_bot_answers_from_the_live_index_when_the_corpus_has_changed(
    small_corpus, index_encoder, query_exports
):
    quiet_build(with_exports(small_corpus, query_exports), encoder=index_encoder)
    live = current_build(small_corpus.index_dir)
    (small_corpus.corpus_dir / "c.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    bot = Bot(small_corpus, progress=False)
    assert bot.stale and current_build(small_corpus.index_dir) == live
    assert bot.retriever.index.build == live and "gifts" in best_quote(bot, QUESTION)


def test_a_question_during_a_build_is_answered_from_the_previous_index(
    small_corpus, index_encoder, query_exports
):
    quiet_build(with_exports(small_corpus, query_exports), encoder=index_encoder)
    (small_corpus.corpus_dir / "c.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    paused = PausedEncoder(index_encoder)
    running = threading.Thread(target=quiet_build, args=(small_corpus,), kwargs={"encoder": paused})
    running.start()
    try:
        assert paused.started.wait(120)
        bot = Bot(small_corpus, progress=False)
        assert bot.stale and "gifts" in best_quote(bot, QUESTION)
    finally:
        paused.release.set()
        running.join(120)
    assert not is_stale(small_corpus)


def test_a_background_refresh_swaps_in_the_new_build(small_corpus, index_encoder, query_exports):
    quiet_build(with_exports(small_corpus, query_exports), encoder=index_encoder)
    (small_corpus.corpus_dir / "c.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    bot = Bot(small_corpus, progress=False)
    refresh = bot.refresh_in_background()
    assert refresh is not None
    refresh.join(300)
    assert not bot.stale and not is_stale(small_corpus)
    assert "blackmail" in best_quote(bot, "What is sextortion?")
