"""Building the index: files are read, chunked and embedded in bounded steps, into a new build
that replaces the live one atomically (the layout is in bot.index).

One file's text is held at a time, texts are embedded BATCH_TEXTS at a time, and vectors, the
passage table and the distinct texts go to disk as they are made. What still grows with the
corpus: each distinct text's key and row (about 0.2 KB), the units (40 bytes a sentence),
BM25's tokens while it is built at the end, and what freed memory the system is not given back
(`release_memory`). Embedded Chroma's graph of vectors, which grew by about 6 MB per 1,000
passages, is bounded by writing it in shards (bot.index.chroma), one open at a time
(docs/index-memory.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import json
import os
import shutil
import time
import uuid
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Config
from bot.corpus import Skipped, file_digest, heading_title, iter_sources, load_manifest
from bot.files import write_beside
from bot.index.cache import VectorCache, text_key
from bot.index.chroma import VectorWriter, drop
from bot.index.plan import Plan, plan, settings_key
from bot.index.table import (
    FILE_FIELDS,
    LEXICAL,
    META,
    PASSAGE_VECTORS,
    TABLE,
    TEXT_VECTORS,
    UNITS,
    WORDS,
    cut,
    passage_from_json,
    passage_rows,
    passage_to_json,
    read_json,
)
from bot.records import Passage, Span
from bot.spelling import counting

# Texts embedded, and passages pooled, per step. Large enough that the token-sized batches stay
# full (and that this corpus is embedded in one step, as before the cache), small enough to bound
# memory: a few 2,048 x 384 arrays (a 36 MB file of one repeated paragraph peaked at 1.55 GB
# when only the texts were counted, its 64,000 passages pooled in one step).
BATCH_TEXTS = 2048
_TEXTS = "texts.jsonl"  # each row's text while the build runs, for BM25 at its end
# A question beats a build: each question touches this file, and the build keeps still between
# its batches (of reading, pooling and embedding) until the mark is QUESTION_HOLD seconds old (or
# for at most as long, so a stream of questions slows a build but never stops it). On 2 cores a `python -m bot ask`
# beside a running build took 2.5-3.0 s with the build merely at lower priority.
QUESTION_MARK = ".question"
QUESTION_HOLD = 2.0

OnSkip = Callable[[Skipped], None]


class BuildInProgress(Exception):
    """Another build of this index is running (`build(..., wait=False)` does not queue)."""


@dataclass
class BuildReport:
    files: int = 0
    passages: int = 0
    units: int = 0
    embedded_files: list[str] = field(default_factory=list)
    reused_files: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    rebuilt: bool = False
    changed: bool = False
    seconds: float = 0.0
    texts_embedded: int = 0  # texts run through the model (not found in the cache)
    passages_per_second: float = 0.0  # passages read / time in the model (texts not cached)

    def summary(self) -> str:
        if not self.changed:
            lines = [f"The index is up to date ({self.files} files, {self.passages} passages)."]
        else:
            lines = [
                f"Indexed {self.files} files, {self.passages} passages, {self.units} sentences "
                f"in {self.seconds:.1f} s"
                + (
                    f" ({self.passages_per_second:.0f} passages/s embedded)."
                    if self.passages_per_second
                    else "."
                ),
                f"  read: {len(self.embedded_files)} files ({self.texts_embedded} texts "
                f"embedded, the rest from the cache), reused: {len(self.reused_files)}, "
                f"removed: {len(self.removed_files)}" + (" (full rebuild)" if self.rebuilt else ""),
            ]
        lines += [f"  skipped {s.name}: {s.reason}" for s in self.skipped]
        return "\n".join(lines)


def build(
    config: Config,
    encoder: Any = None,
    progress: bool = True,
    export_encoder: bool = True,
    force: bool = False,
    on_skip: OnSkip | None = None,
    wait: bool = True,
) -> BuildReport:
    """Bring the index up to date with the corpus; returns what was done.

    `force=True` ignores the previous build (a damaged index is rebuilt from scratch).
    `export_encoder=False` skips the one-off ONNX export of the query encoder (tests that build
    many throw-away indexes; questions then use sentence-transformers). `on_skip` hears of each
    unusable file as soon as it is found. One build runs at a time per index folder (a lock file,
    so two processes never prune each other's work); `wait=False` raises BuildInProgress
    instead of queueing behind it.
    """
    from filelock import FileLock, Timeout

    config.index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(config.index_dir / ".build.lock", timeout=-1 if wait else 0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise BuildInProgress(f"another build of {config.index_dir} is running") from exc
    try:
        return _build(config, encoder, progress, export_encoder, force, on_skip)
    finally:
        lock.release()


def _build(
    config: Config,
    encoder: Any,
    progress: bool,
    export_encoder: bool,
    force: bool,
    on_skip: OnSkip | None,
) -> BuildReport:
    t0 = time.perf_counter()
    if export_encoder:
        # First, while memory is low: the export's peak and the build's no longer add up (a
        # 10,000-passage corpus peaked at 1.43 GB with the export after the build). It needs
        # no build, so a newly trained model gets its export even when the corpus is unchanged.
        export_query_encoders(config)
        if config.index_int8:
            from bot.embedding import export_index_model

            export_index_model(config)  # the indexer's faster form of the retrieval export
    work = plan(config, force)
    report = BuildReport(rebuilt=work.old is None)
    report.removed_files = work.removed
    report.reused_files = sorted(work.reused)
    old_failed = (work.old_meta or {}).get("failed", {})

    def skip(item: Skipped) -> None:
        report.skipped.append(item)
        if on_skip is not None:
            on_skip(item)

    for item in work.skipped:
        skip(item)
    for n in sorted(work.known_bad):
        skip(Skipped(n, old_failed[n]["reason"]))

    if work.up_to_date(config):
        report.files = len(work.old_meta["files"])
        report.passages, report.units = work.old_meta["passages"], work.old_meta["units"]
        report.seconds = time.perf_counter() - t0
        return report

    report.changed = True
    builds = config.index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    staging = builds / f".{name}.partial"
    try:
        staging.mkdir(parents=True)
        _Writer(config, work, name, staging, encoder, report, skip, progress).run()
        os.replace(staging, builds / name)
        _point_current(config.index_dir, name)
    except BaseException:
        drop(config, builds / name)  # a server build's collection; a folder goes below
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _prune(config, builds, keep={name, work.old.name if work.old else ""})
    report.seconds = time.perf_counter() - t0
    return report


class _Writer:
    """One build in its staging folder. Files arrive in name order and passages in text order,
    so the table is written in order as it grows.

    Each distinct sentence text is one row: one vector in Chroma, one row of the text matrix and
    of BM25, whatever the number of places it occurs in. Every occurrence stays in the table
    (the units), for citation.
    """

    def __init__(
        self,
        config: Config,
        work: Plan,
        name: str,
        staging: Path,
        encoder: Any,
        report: BuildReport,
        skip: OnSkip,
        progress: bool,
    ) -> None:
        from bot.adapter import encoder_fingerprint

        self.config, self.work, self.staging = config, work, staging
        self.report, self.skip, self.progress = report, skip, progress
        self._encoder = encoder
        self.vectors = VectorWriter(config, staging, name, work.old)
        self.dim = _dimension(config)
        from bot.embedding import index_graph

        int8 = "-int8" if index_graph(config) is not None else ""
        self.cache = VectorCache(
            config.index_dir / "cache", encoder_fingerprint(config) + int8, self.dim
        )
        self.rows: dict[str, int] = {}  # text key -> row
        self.keys: list[str] = []  # row -> text key
        self.units = array("q")  # per sentence: passage index, number, start, end, text row
        self.passages = 0
        # Written as they come, so the text a corpus holds is never all in memory: the table's
        # passages (table.json is closed with the keys at the end) and each row's text.
        self._table_out = (staging / TABLE).open("w", encoding="utf-8")
        self._table_out.write('{"passages": [')
        self._texts_out = (staging / _TEXTS).open("w", encoding="utf-8")
        self.files: dict[str, dict[str, str]] = {}
        self.failed: dict[str, dict[str, str]] = {}
        # The step in progress: texts to look up or embed, passages and rows waiting for them.
        self.wanted: dict[str, str] = {}
        self.waiting: list[list[str]] = []  # per waiting passage, the keys of all its texts
        self.first_waiting_row = 0
        self.embed_seconds = 0.0
        self._text_out = (staging / "text_vectors.f32").open("wb")
        self._passage_out = (staging / "passage_vectors.f32").open("wb")

    def run(self) -> None:
        try:
            self._run()
        finally:
            self.vectors.close()

    def _run(self) -> None:
        manifest = load_manifest(self.config.corpus_dir)
        old_passages = self._old_passages()
        bar = self._bar()
        new_passages = 0
        for path in self.work.files:
            if path.name in self.work.reused:
                meta = manifest.get(path.name, {})  # metadata may change without the file
                heading = self.work.old_meta["files"][path.name].get("heading", "")
                self.files[path.name] = (
                    {"sha256": self.work.digests[path.name]}
                    | {k: meta.get(k, "") for k in FILE_FIELDS}
                    | {"title": meta.get("title") or heading, "heading": heading}
                )
                for p in old_passages.get(path.name, []):
                    self._add(p, p.text, p.start)
            elif path.name in self.work.known_bad:
                self.failed[path.name] = self.work.old_meta["failed"][path.name]
            else:  # new or changed: read, chunk, embed
                before = self.passages
                self._read(path)
                new_passages += self.passages - before
                if bar is not None:
                    bar.update(path.stat().st_size)
                    bar.set_postfix(files=len(self.files), passages=self.passages)
            self._step_if_full()
        self._step()
        if self.embed_seconds:
            self.report.passages_per_second = new_passages / self.embed_seconds
        if bar is not None:
            bar.close()
        self._finish(manifest)

    def _bar(self) -> Any:
        if not self.progress or not self.work.to_read:
            return None
        from tqdm import tqdm

        total = sum(p.stat().st_size for p in self.work.to_read)
        return tqdm(total=total, unit="B", unit_scale=True, desc="Indexing", leave=False)

    def _old_passages(self) -> dict[str, list[Passage]]:
        if self.work.old is None or not self.work.reused:
            return {}
        table = read_json(self.work.old / TABLE) or {"passages": []}
        units = np.load(self.work.old / UNITS)
        rows = passage_rows(units, len(table["passages"]))
        out: dict[str, list[Passage]] = {}
        for i, d in enumerate(table["passages"]):
            if d["source"] in self.work.reused:
                passage = passage_from_json(d, units[rows[i] : rows[i + 1]])
                out.setdefault(d["source"], []).append(passage)
        return out

    def _read(self, path: Path) -> None:
        from bot.chunking import passages as chunk

        for item in iter_sources([path], self.config.corpus_dir):
            if isinstance(item, Skipped):
                self.skip(item)
                with contextlib.suppress(OSError):
                    self.failed[item.name] = {
                        "sha256": file_digest(path),
                        "reason": item.reason,
                    }
                return
            self.files[item.name] = {"sha256": item.sha256} | {
                k: getattr(item, k) for k in FILE_FIELDS
            }
            # The title the text shows, kept for when the manifest's title goes.
            self.files[item.name]["heading"] = heading_title(item.text, item.spans)
            self.report.embedded_files.append(item.name)
            for p in chunk(item, self.config.max_passage_chars, self.config.max_quote_chars):
                self._add(p, item.text, 0)
                self._step_if_full()

    def _add(self, p: Passage, text: str, offset: int) -> None:
        """Register a passage and its texts; `text[offset:]` starts at source offset `offset`.

        A sentence is precise evidence; its passage says what it is about (see bot.retrieve).
        Each sentence and each other line of a passage (its headings) is embedded once, and the
        passage's vector is the mean of all their token states. Embedding the whole passage
        again, as before, doubled the tokens for no better MRR on either question set.
        """
        pi = self.passages
        self.passages += 1
        self._table_out.write(("," if pi else "") + json.dumps(passage_to_json(p), ensure_ascii=False))
        keys = []
        for k, span in enumerate(p.sentences):
            sentence = text[span.start - offset : span.end - offset]
            key = self._want(sentence)
            row = self.rows.get(key)
            if row is None:
                row = self.rows[key] = len(self.keys)
                self._texts_out.write(json.dumps(sentence, ensure_ascii=False) + "\n")
                self.keys.append(key)
            self.units.extend((pi, k, span.start, span.end, row))
            keys.append(key)
        keys += [self._want(line) for line in _other_lines(p)]
        self.waiting.append(keys)

    def _want(self, text: str) -> str:
        key = text_key(text)
        self.wanted.setdefault(key, text)
        return key

    def _step_if_full(self) -> None:
        if len(self.wanted) >= BATCH_TEXTS or len(self.waiting) >= BATCH_TEXTS:
            self._step()

    def _step(self) -> None:
        """Embed what the cache lacks, then write the vectors of the rows and passages waiting."""
        if not self.wanted and not self.waiting:
            return
        self._questions_first()  # reading and pooling a large file is most of a build, too
        sums = self.cache.get(self.wanted)
        missing = [k for k in self.wanted if k not in sums]
        if missing:
            t = time.perf_counter()
            got_sums, got_counts = self._encoder_loaded().token_sums(
                [self.wanted[k] for k in missing], pause=self._questions_first
            )
            self.embed_seconds += time.perf_counter() - t
            self.cache.put(missing, got_sums, got_counts)
            sums.update(zip(missing, zip(got_sums, got_counts.tolist(), strict=True), strict=True))
            self.report.texts_embedded += len(missing)
        from bot.embedding import mean_vectors

        new_rows = range(self.first_waiting_row, len(self.keys))
        if new_rows:
            keys = self.keys[new_rows.start : new_rows.stop]
            vectors = mean_vectors(
                np.stack([sums[k][0] for k in keys]),
                np.array([sums[k][1] for k in keys], dtype=np.float32),
            )
            self._text_out.write(vectors.astype("<f4").tobytes())
            fresh = [i for i, k in enumerate(keys) if k not in self.vectors]
            self.vectors.add([keys[i] for i in fresh], vectors[fresh])
        if self.waiting:
            pooled = np.zeros((len(self.waiting), self.dim), dtype=np.float64)
            counts = np.zeros(len(self.waiting), dtype=np.float64)
            for i, keys in enumerate(self.waiting):
                for k in keys:
                    pooled[i] += sums[k][0]
                    counts[i] += sums[k][1]
            self._passage_out.write(mean_vectors(pooled, counts).astype("<f4").tobytes())
        self.first_waiting_row = len(self.keys)
        self.wanted, self.waiting = {}, []
        release_memory()

    def _questions_first(self) -> None:
        mark = self.config.index_dir / QUESTION_MARK
        until = time.monotonic() + QUESTION_HOLD
        while time.monotonic() < until:
            try:
                if time.time() - mark.stat().st_mtime >= QUESTION_HOLD:
                    return
            except OSError:  # no question yet
                return
            time.sleep(0.05)

    def _encoder_loaded(self) -> Any:
        if self._encoder is None:
            from bot.embedding import load_index_encoder

            self._encoder = load_index_encoder(self.config)
        return self._encoder

    def _finish(self, manifest: dict[str, dict[str, str]]) -> None:
        from bot.lexical import Lexical

        self._encoder = None  # done embedding: BM25's build, the last peak, runs without it
        gc.collect()
        release_memory()
        self.cache.close()
        self.vectors.delete(sorted(self.vectors.ids() - set(self.rows)))
        self.vectors.close()
        for raw, name, rows in (
            (self._text_out, TEXT_VECTORS, len(self.keys)),
            (self._passage_out, PASSAGE_VECTORS, self.passages),
        ):
            raw.close()
            _npy_from_raw(Path(raw.name), self.staging / name, (rows, self.dim))
        self._table_out.write('], "keys": ' + json.dumps(self.keys) + "}")
        self._table_out.close()
        self._texts_out.close()
        self._questions_first()
        texts_file = self.staging / _TEXTS
        counts: dict[str, int] = {}
        with texts_file.open(encoding="utf-8") as lines:
            texts = counting((json.loads(line) for line in lines), counts)
            Lexical.build(texts).save(self.staging / LEXICAL)
        (self.staging / WORDS).write_text(json.dumps(counts, ensure_ascii=False), "utf-8")
        texts_file.unlink()
        units = np.frombuffer(self.units, dtype=np.int64).reshape(-1, 5)
        np.save(self.staging / UNITS, units)
        meta = {
            "settings": settings_key(self.config),
            "manifest": manifest,
            "files": self.files,
            "failed": self.failed,
            "passages": self.passages,
            "units": len(units),
        }
        (self.staging / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        self.report.files = len(self.files)
        self.report.passages = self.passages
        self.report.units = len(units)


def release_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's `malloc_trim`; elsewhere nothing).
    Between torch's batches and after a closed Chroma shard, glibc keeps freed memory scattered
    among live objects: a 100,000-passage build peaked at 1.55 GB without this and the encoder
    still loaded at the end, 1.37 GB with both (docs/index-memory.md)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc() -> Any:
    """glibc, loaded once (None where there is none)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def _dimension(config: Config) -> int:
    from bot.adapter import model_path

    return int(json.loads((Path(model_path(config)) / "config.json").read_text())["hidden_size"])


def _other_lines(passage: Passage) -> list[str]:
    """The passage's text outside its sentences (headings), which says what it is about."""
    pieces, at = [], passage.start
    for span in [*passage.sentences, Span(passage.end, passage.end)]:
        gap = cut(passage, Span(at, span.start)).strip()
        if any(c.isalnum() for c in gap):
            pieces.append(gap)
        at = span.end
    return pieces


def _npy_from_raw(raw: Path, target: Path, shape: tuple[int, int]) -> None:
    """An .npy file from rows of little-endian float32 written as they came, copied in blocks
    so the matrix is never whole in memory."""
    with target.open("wb") as out, raw.open("rb") as rows:
        header = {"descr": "<f4", "fortran_order": False, "shape": shape}
        np.lib.format.write_array_header_1_0(out, header)
        shutil.copyfileobj(rows, out, 16 * 1024 * 1024)
    raw.unlink()


def _point_current(index_dir: Path, name: str) -> None:
    write_beside(index_dir / "CURRENT", lambda tmp: tmp.write_text(name))


def _prune(config: Config, builds: Path, keep: set[str]) -> None:
    """Remove old builds and leftovers of interrupted ones; keep the live and previous build."""
    for child in builds.iterdir():
        if child.name not in keep:
            drop(config, Path(child.name.removeprefix(".").removesuffix(".partial")))
            shutil.rmtree(child, ignore_errors=True)


def question_started(index_dir: Path) -> None:
    """Tell a build of `index_dir`, in this process or another, that a question is being
    answered: it keeps still for QUESTION_HOLD seconds (`_Writer._questions_first`)."""
    with contextlib.suppress(OSError):
        (Path(index_dir) / QUESTION_MARK).touch()


def yield_to_questions() -> None:
    """Lower the CPU priority of the calling thread (and of threads it starts), for a build that
    runs while questions are answered, here or in another process: on 2 cores a build at full
    priority more than doubled the time of a `python -m bot ask` started beside it. On an
    idle machine the build is as fast. Linux applies it per thread; elsewhere to the process."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)


def exports_ready(config: Config) -> bool:
    """True when every query encoder has its ONNX export (made by `build`)."""
    from bot.embedding import query_model_path

    return all(query_model_path(config, model).exists() for model in config.models())


def export_query_encoders(config: Config) -> None:
    from bot.embedding import export_query_model

    # The retrieval model and the safety classifier, adapters merged in.
    for model in config.models():
        export_query_model(config, model)
