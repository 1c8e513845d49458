"""Cyber-trafficking assistant: answers only with cited quotes, keeps safety help in reach.

from bot import Bot
bot = Bot()                          # loads config, the model and the index once
bot.ask("How do traffickers use Instagram?", region="US").to_dict()
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot import wording
from bot.answer import compose
from bot.chroma import VectorStoreUnavailable
from bot.config import Config
from bot.hotlines import load_directory
from bot.judge import load_judge
from bot.records import Answer, Citation, Hotline, Passage, Source, Span
from bot.retrieve import Retriever
from bot.safety import Safety, help_for
from bot.store import (
    BuildReport,
    IndexUnusable,
    LoadedIndex,
    build,
    current_build,
    exports_ready,
    is_stale,
)

__all__ = ["Answer", "Bot", "Citation", "Config", "Hotline", "Passage", "Source", "Span"]

log = logging.getLogger(__name__)
MAX_QUESTION_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Bot:
    """The public facade: index and ask. Safe to share between threads once built."""

    def __init__(self, config: Config | None = None, *, progress: bool = True, **overrides: Any):
        self.config = config or Config.load(**overrides)
        self._lock = threading.Lock()
        if is_stale(self.config) or not exports_ready(self.config):
            self._refresh(progress)
        try:
            self._open()
        except VectorStoreUnavailable:
            raise
        except Exception as exc:  # a damaged index: rebuild it rather than fail
            log.warning(
                "The index could not be opened (%s: %s); rebuilding it.", type(exc).__name__, exc
            )
            with self._lock:
                build(self.config, progress=progress, force=True)
            self._open()

    def _refresh(self, progress: bool) -> None:
        """Update a stale index; a read-only index folder keeps serving the last good build."""
        try:
            report = self.index(progress=progress)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if current_build(self.config.index_dir) is None:
                raise IndexUnusable(
                    f"Cannot write the index in {self.config.index_dir} ({reason}). Point "
                    "BOT_INDEX_DIR or --index at a folder you can write to."
                ) from exc
            log.warning(
                "Cannot update the index in %s (%s); answering from the last good index.",
                self.config.index_dir,
                reason,
            )
            return
        if progress:
            print(report.summary(), file=sys.stderr)

    def _open(self) -> None:
        from bot.embedding import load_query_encoder, query_model_path

        self._loaded = LoadedIndex.open(self.config)
        self.retriever = Retriever(self._loaded, self.config, load_judge(self.config))
        # Retrieval and the safety classifier read with differently adapted encoders, so a
        # question is encoded twice, side by side on a thread each (about 6 ms here, against 11
        # one after the other).
        two = len(self.config.models()) == 2 and query_model_path(
            self.config, "retrieval"
        ) != query_model_path(self.config, "triage")
        self.encoder = load_query_encoder(self.config, "retrieval", threads=1 if two else 2)
        self.safety_encoder = (
            load_query_encoder(self.config, "triage", threads=1) if two else self.encoder
        )
        self._beside = ThreadPoolExecutor(2, thread_name_prefix="encode") if two else None
        self.directory = load_directory()
        self.safety = Safety(self.safety_encoder, self.config.triage_dir)

    def index(self, progress: bool = True) -> BuildReport:
        """Bring the index up to date with the corpus (incremental, atomic)."""
        with self._lock:
            report = build(self.config, progress=progress)
            if report.changed and hasattr(self, "retriever"):
                self._open()
            return report

    def ask(self, question: str, region: str | None = None) -> Answer:
        """Answer with cited quotes, after safety triage; never raises for odd input."""
        region = self.directory.resolve(region or self.config.region)
        question = question if isinstance(question, str) else str(question)
        cleaned = _CONTROL.sub(" ", question).strip()
        note = ""
        if len(cleaned) > MAX_QUESTION_CHARS:
            cleaned = cleaned[:MAX_QUESTION_CHARS]
            note = wording.TRIMMED_NOTE.format(limit=MAX_QUESTION_CHARS)
        if not cleaned:
            answer = Answer(
                status="no_answer",
                question=question,
                text=wording.EMPTY_QUESTION,
                hotlines=self.directory.for_region(region),
                disclaimer=wording.DISCLAIMER,
                suggestions=list(wording.SUGGESTIONS),
                region=region,
            )
        else:
            pending = self._beside.submit(self.encoder.encode, [cleaned]) if self._beside else None
            triage = self.safety.triage(cleaned, self.safety_encoder.encode([cleaned])[0])
            hotlines = help_for(triage, self.directory, region)
            retrieval = None
            if triage.kind != "refused" and triage.language == "en":
                try:
                    vector = (pending.result() if pending else self.encoder.encode([cleaned]))[0]
                    retrieval = self.retriever.search(cleaned, vector)
                except Exception as exc:  # a Chroma server that went away: say so, keep help
                    log.warning("retrieval failed: %s: %s", type(exc).__name__, exc)
            answer = compose(question, triage, retrieval, self.retriever, hotlines, region)
        if note:
            answer.text = f"{note}\n\n{answer.text}"
        self._log(answer)
        return answer

    def _log(self, answer: Answer) -> None:
        """Questions are never stored unless the user turned local logging on."""
        if not self.config.log_questions:
            return
        path = self.config.log_file
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "question": answer.question}
            f.write(json.dumps({**entry, "status": answer.status}) + "\n")
