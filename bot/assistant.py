"""The assistant: loads the index and the models once, triages and answers each question.

A question never waits for a build. The index is built here only when there is none that today's
model can search (a fresh clone, or a retrained model); when only the corpus has changed, the
assistant answers from the last good build at once, says so (`stale`), and the caller may
rebuild in the background (`refresh_in_background`), which swaps the new build in when done.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from importlib import import_module
from typing import Any

from bot import present, wording
from bot.answer import compose
from bot.config import Config
from bot.conversation import (
    MAX_HISTORY,
    Model,
    Reading,
    Turn,
    follow_up_text,
    load_model,
    load_sources,
    resolve,
)
from bot.documents import Document, cleaned_document
from bot.hotlines import load_directory
from bot.index import (
    BuildInProgress,
    BuildReport,
    IndexReader,
    IndexUnusable,
    VectorStoreUnavailable,
    build,
    exports_ready,
    is_stale,
    is_usable,
    question_started,
    yield_to_questions,
)
from bot.index.write import export_query_encoders
from bot.judge import load_judge
from bot.records import Answer
from bot.related import Related, check_pool
from bot.retrieve import Hit, Retrieval, Retriever
from bot.safety import Safety, Triage, help_for, language
from bot.spelling import Speller

log = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class _Loaded:
    """One build, ready for questions; replaced as a whole, so a question sees one build."""

    index: IndexReader
    retriever: Retriever
    related: Related | None  # questions to suggest next, once checked against this build
    speller: Speller  # misspelt words read as this build's texts spell them


class Bot:
    """The public facade: index and ask. Safe to share between threads once built."""

    def __init__(self, config: Config | None = None, *, progress: bool = True, **overrides: Any):
        self.config = config or Config.load(**overrides)
        self._swap = threading.Lock()
        self._background: threading.Thread | None = None
        # A cold start is mostly imports and model files, so they overlap: Chroma's import (the
        # slowest, a second or more) and the language detector begin on threads while the index is
        # checked, then the index opens there while the encoders load (onnxruntime builds its
        # sessions without holding the GIL).
        with ThreadPoolExecutor(2, thread_name_prefix="open-index") as opener:
            opener.submit(import_module, "chromadb")
            opener.submit(language.load, self.config.index_dir / "cache")
            usable = is_usable(self.config)
            if usable:
                question_started(self.config.index_dir)  # a running build keeps still meanwhile
            if not usable:
                self._first_build(progress)  # nothing to answer from: the one wait
            elif not exports_ready(self.config):
                export_query_encoders(self.config)  # a newly trained model; no build needed
            #: True when the corpus has changed since the live build (answers come from it anyway).
            self.stale = is_stale(self.config)
            self.judge = load_judge(self.config)
            self.conversation = load_model()
            self.sources = load_sources()
            opening = opener.submit(self._load_index)
            self._load_models()
        try:
            self._loaded = opening.result()
        except VectorStoreUnavailable:
            raise
        except Exception as exc:  # a damaged index: rebuild it rather than fail
            log.warning(
                "The index could not be opened (%s: %s); rebuilding it.", type(exc).__name__, exc
            )
            build(self.config, progress=progress, force=True)
            self._loaded = self._load_index()

    def _first_build(self, progress: bool) -> None:
        try:
            report = build(self.config, progress=progress)
        except OSError as exc:
            raise IndexUnusable(
                f"Cannot write the index in {self.config.index_dir} "
                f"({exc.strerror or exc}). Point BOT_INDEX_DIR or --index at a folder you can "
                "write to."
            ) from exc
        if progress:
            print(report.summary(), file=sys.stderr)

    @property
    def retriever(self) -> Retriever:
        return self._loaded.retriever

    def _load_models(self) -> None:
        from bot.embedding import load_query_encoder, query_model_path

        # Retrieval and the safety classifier read with differently adapted encoders, so a
        # question is encoded twice, side by side on a thread each (about 6 ms here, against 11
        # one after the other).
        two = "triage" in self.config.models() and query_model_path(
            self.config, "retrieval"
        ) != query_model_path(self.config, "triage")
        self.encoder = load_query_encoder(self.config, "retrieval", threads=1 if two else 2)
        self.safety_encoder = (
            load_query_encoder(self.config, "triage", threads=1) if two else self.encoder
        )
        self._beside = ThreadPoolExecutor(2, thread_name_prefix="encode") if two else None
        self.directory = load_directory()
        self.safety = Safety(self.safety_encoder, self.config.triage_dir)
        self._follow_up_encoder: Any = None  # loaded at the first follow-up
        self._follow_up_lock = threading.Lock()

    def _follow_up_reader(self) -> Any:
        """The follow-up encoder (bot.conversation.follow_up_text), or None when there is no
        trained one. Loaded at the first follow-up: most questions stand alone, and a cold
        start should not pay for it."""
        from bot.adapter import has_adapter
        from bot.embedding import load_query_encoder

        if self._follow_up_encoder is not None:
            return self._follow_up_encoder
        if not has_adapter(self.config.follow_up_dir):
            return None
        with self._follow_up_lock:
            if self._follow_up_encoder is None:
                self._follow_up_encoder = load_query_encoder(self.config, "follow_up", threads=2)
        return self._follow_up_encoder

    def _load_index(self) -> _Loaded:
        index = IndexReader.open(self.config)
        retriever = Retriever(index, self.config, self.judge)
        return _Loaded(index, retriever, Related.load(index.build), Speller(index.words))

    def index(self, progress: bool = True) -> BuildReport:
        """Bring the index up to date with the corpus (incremental, atomic), waiting for any
        build already running, then answer from the new build."""
        report = build(self.config, progress=progress)
        self._take(report)
        return report

    def refresh_in_background(self) -> threading.Thread | None:
        """Update a stale index on a thread while questions go on being answered from the live
        build; the new build is swapped in when complete. None when there is nothing to do or
        a refresh is already running; a build by another process is left to finish."""
        if not self.stale or (self._background is not None and self._background.is_alive()):
            return None

        def run() -> None:
            yield_to_questions()
            try:
                self._take(build(self.config, progress=False, wait=False))
                self.check_related()
            except BuildInProgress:
                log.info("Another process is building the index; answering from the live one.")
            except Exception as exc:  # the live build keeps serving
                log.warning("The background index update failed: %s: %s", type(exc).__name__, exc)

        self._background = threading.Thread(target=run, name="index-refresh", daemon=True)
        self._background.start()
        return self._background

    def _take(self, report: BuildReport) -> None:
        if report.changed:
            loaded = self._load_index()
            with self._swap:
                self._loaded = loaded
        self.stale = False

    def check_related(self) -> None:
        """Check the related-question pool against the live build once (bot.related: about
        ten seconds for the five articles), so answers can suggest what to ask next."""
        loaded = self._loaded
        if loaded.related is not None:
            return
        related = check_pool(loaded.retriever, self.encoder)
        with self._swap:
            if self._loaded.index is loaded.index:
                self._loaded = replace(loaded, related=related)

    def check_related_in_background(self) -> threading.Thread:
        """`check_related` on a thread at low priority; questions are answered meanwhile."""

        def run() -> None:
            yield_to_questions()
            try:
                self.check_related()
            except Exception as exc:  # suggestions are a help, never a reason to fail
                log.warning("Related questions were not checked: %s: %s", type(exc).__name__, exc)

        thread = threading.Thread(target=run, name="related", daemon=True)
        thread.start()
        return thread

    def document(self, name: str) -> Document | None:
        """The indexed source called `name`, for "view in source" (None when unknown)."""
        return cleaned_document(self._loaded.index, name)

    def ask(
        self, question: str, region: str | None = None, history: Sequence[str] | None = None
    ) -> Answer:
        """Answer with cited quotes, after safety triage; never raises for odd input.

        `history`: the person's earlier messages in this chat, oldest first, so a follow-up
        ("what about Snapchat?", "tell me more") is read in context (bot.conversation). It is
        used for this answer only and never stored.
        """
        question_started(self.config.index_dir)
        region = self.directory.resolve(region or self.config.region)
        question = question if isinstance(question, str) else str(question)
        cleaned, note = _clean(question)
        if not cleaned:
            answer = Answer(
                status="no_answer",
                question=question,
                text="",
                lead=wording.EMPTY_QUESTION,
                hotlines=self.directory.for_region(region),
                disclaimer=wording.DISCLAIMER,
                suggestions=list(wording.SUGGESTIONS),
                region=region,
            )
        else:
            typed = (_clean(m)[0] for m in history or () if isinstance(m, str))
            earlier = [m for m in typed if m]
            loaded = self._loaded  # one build for the whole question, even during a swap
            # Searched as the corpus spells them; triage reads the messages as typed.
            spelled = loaded.speller.correct(cleaned)
            turn = resolve(
                self.conversation,
                [loaded.speller.correct(m) for m in earlier],
                spelled,
                self.encoder.encode,
                self.sources,
            )
            search = self._beside.submit(self._search, loaded, turn) if self._beside else None
            said = "\n".join(earlier[-MAX_HISTORY:])
            triage = self._triage(cleaned, earlier[-1] if earlier else "", turn, said)
            hotlines = help_for(triage, self.directory, region)
            retrieval = None
            if triage.kind != "refused" and triage.language == "en":
                try:
                    retrieval = search.result() if search else self._search(loaded, turn)
                except Exception as exc:  # a Chroma server that went away: say so, keep help
                    log.warning("retrieval failed: %s: %s", type(exc).__name__, exc)
            answer = compose(
                question, triage, retrieval, loaded.retriever, hotlines, region, turn.kind
            )
            if answer.status == "answered" and retrieval is not None and loaded.related:
                answer.related = loaded.related.suggest(retrieval, turn.query)
            if retrieval is not None and spelled != cleaned:
                answer.notes.append(wording.SPELLING_NOTE.format(text=spelled))
        if note:
            answer.notes.insert(0, note)
        answer.text = present.markdown(answer)  # once, with the parts added since compose()
        self._log(answer)
        return answer

    def _search(self, loaded: _Loaded, turn: Turn) -> Retrieval:
        """The turn's retrieval; a follow-up's vector carries its topic and the topic's
        evidence (bot.conversation.Model.mix)."""
        return self.search_turn(loaded.retriever, turn, self.shown_before(loaded.retriever, turn))

    def shown_before(self, retriever: Retriever, turn: Turn) -> list[Hit]:
        """What the topic's earlier answers quoted, which "more" does not quote again: their
        searches replayed, each after the ones before it, as they were answered."""
        shown: list[Hit] = []
        for earlier in turn.after:
            shown += self.search_turn(retriever, earlier, shown, judged=False).hits
        return shown

    def search_turn(
        self, retriever: Retriever, turn: Turn, shown: Sequence[Hit] = (), judged: bool = True
    ) -> Retrieval:
        """One turn's search, never quoting `shown` again. `judged=False` when only its quotes
        are wanted: a follow-up's answerability then costs no searches of its own."""
        if not turn.context or self.conversation is None:
            vector = self.encoder.encode([turn.message])[0]
            return retriever.search(turn.query, vector, shown=shown)
        reading, found = self.follow_up_search(retriever, turn, shown)
        if not judged:
            return found
        plain = self.judge_follow_up(retriever, turn, reading, found)
        answerable, threshold = plain.answerable, self.conversation.threshold_for(turn.kind)
        if threshold is not None and plain.question_features is not None:  # a judge scored it
            answerable = plain.confidence >= threshold
        return replace(found, answerable=answerable, confidence=plain.confidence)

    def follow_up_search(
        self,
        retriever: Retriever,
        turn: Turn,
        shown: Sequence[Hit] = (),
        model: Model | None = None,
        reader: Any = None,
    ) -> tuple[Reading, Retrieval]:
        """A follow-up's vectors and its search with the topic mixed in, never quoting `shown`
        again. `model` and `reader`: the follow-up models and encoder (by default the trained
        ones), which training passes while it fits new ones."""
        model = model or self.conversation
        assert model is not None, "only a follow-up, which the conversation model resolved"
        reading = self.follow_up_vectors(retriever, turn, reader)
        mix = model.mix(reading.message, reading.context, reading.evidence)
        return reading, retriever.search(turn.query, mix, shown=shown)

    def follow_up_vectors(self, retriever: Retriever, turn: Turn, reader: Any = None) -> Reading:
        """A follow-up's vectors (bot.conversation.Reading). The message is read with its topic
        by the follow-up encoder (`reader`, by default the trained one) when there is one, else
        alone by the retrieval encoder."""
        message, context = self.encoder.encode([turn.message, turn.context])
        alone = None
        reader = reader or self._follow_up_reader()
        if reader is not None:
            message, alone = reader.encode([follow_up_text(turn)])[0], message
        topic = retriever.search(turn.context, context)
        quotes = [retriever.quote_text(h) for h in topic.hits]
        evidence = self.encoder.encode(quotes).mean(axis=0) if quotes else None
        return Reading(message, context, evidence, alone)

    def judge_follow_up(
        self,
        retriever: Retriever,
        turn: Turn,
        reading: Reading,
        found: Retrieval,
        model: Model | None = None,
    ) -> Retrieval:
        """The search the judge reads to decide whether the sources answer a follow-up, with
        the follow-up judge's confidence (bot.conversation.Model.answers). `found`: the
        follow-up's own search; `model`: the follow-up models (by default the trained ones)."""
        model = model or self.conversation
        assert model is not None, "only a follow-up, which the conversation model resolved"
        plain, scores = self.follow_up_scores(retriever, turn, reading, found, model)
        if scores is None:
            return plain
        return replace(plain, confidence=model.confidence(scores, turn.message, turn.kind))

    def follow_up_scores(
        self, retriever: Retriever, turn: Turn, reading: Reading, found: Retrieval, model: Model
    ) -> tuple[Retrieval, tuple[float, ...] | None]:
        """A follow-up searched without its topic's evidence, and the relevance judge's
        confidence in the four searches the follow-up judge reads (JUDGE_FEATURES); None when
        no judge scored them or no follow-up encoder read the message. Without the evidence,
        which makes any follow-up look answered (out-of-scope follow-ups: 35% abstained with
        it, 70% without, on the first training conversations), the judge's search alone
        told more; read together with it, each search tells what the others miss."""
        plain = retriever.search(turn.query, model.mix(reading.message, reading.context, None))
        if reading.alone is None or plain.question_features is None:
            return plain, None
        alone = retriever.search(turn.query, reading.alone)
        own = retriever.search(turn.message, reading.alone)
        return plain, (plain.confidence, alone.confidence, found.confidence, own.confidence)

    def _triage(self, message: str, previous: str, turn: Turn, said: str = "") -> Triage:
        """The message's triage, read in context. What the message alone calls a refusal or a
        crisis stands, except for "tell me more" and a request for the source, which ask again
        what the message before asked (`_triage_more`). A message
        that is harmless alone is still given help when it tells of danger with the message
        before ("he took my passport" after "he found me a job abroad"), and a follow-up is
        refused when the pair head (bot.safety.pair) reads the two as asking for harm. A
        short message's language is read with what the person `said` before it
        (bot.safety.language)."""
        vector = self.safety_encoder.encode([message])[0]
        alone = self.safety.triage(message, vector, before=said)
        if not previous:
            return alone
        if turn.kind == "more" or turn.asks_source:
            return self._triage_more(message, previous, alone)
        if alone.kind in ("refused", "crisis"):
            return alone
        pair = f"{previous}\n{message}"
        pair_vector = self.safety_encoder.encode([pair])[0]
        together = self.safety.triage(pair, pair_vector)
        if together.kind == "crisis":
            return replace(
                together, reason=f"in context: {together.reason}", language=alone.language
            )
        if turn.kind != "new" and self.safety.asks_harm_in_context(pair_vector, vector):
            topics = ("exploitation",)
            return Triage("refused", topics[0], "in context: pair head", topics, alone.language)
        return alone

    def _triage_more(self, message: str, previous: str, alone: Triage) -> Triage:
        """ "Tell me more" asks again what the message before asked, so it is triaged as that
        message. Alone, a few words asking for more can read as the start of a disclosure or
        as a request to do harm; they are refused only when they read so with the message
        before too. (Read together with the message before, as follow-ups are, 6 of 135 "more"
        turns of M16-M21 were refused, most after a question on keeping a child safe.)"""
        if (
            alone.kind == "refused"
            and self.safety.triage(f"{previous}\n{message}").kind == "refused"
        ):
            return alone
        before = self.safety.triage(previous)
        return replace(before, reason=f"continues: {before.reason}", language=alone.language)

    def _log(self, answer: Answer) -> None:
        """Questions are never stored unless the user turned local logging on."""
        if not self.config.log_questions:
            return
        path = self.config.log_file
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "question": answer.question}
            f.write(json.dumps({**entry, "status": answer.status}) + "\n")


def _clean(message: str) -> tuple[str, str]:
    """The message without control characters, trimmed to MAX_QUESTION_CHARS, and the note
    that says it was trimmed ("" when it was not)."""
    cleaned = _CONTROL.sub(" ", message).strip()
    if len(cleaned) > MAX_QUESTION_CHARS:
        return cleaned[:MAX_QUESTION_CHARS], wording.TRIMMED_NOTE.format(limit=MAX_QUESTION_CHARS)
    return cleaned, ""
