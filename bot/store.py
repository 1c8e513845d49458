"""The index on disk: Chroma vectors, passage table and BM25, built incrementally and atomically.

Layout under `index_dir`:
    CURRENT                 the name of the live build (replaced atomically, last step of a build)
    builds/<name>/chroma/   Chroma PersistentClient: one vector per sentence ("unit"), cosine
    builds/<name>/table.json  passages (text, offsets, sentences, source metadata) and units
    builds/<name>/bm25/     bm25s index over the same units
    encoder/                the ONNX exports of the query encoders: the retrieval model and the
                            safety classifier's model (see bot.embedding)
    model/                  the base model with each trained adapter merged in (see bot.adapter)

A build writes a new folder and only then points CURRENT at it, so a crash or Ctrl-C half-way
leaves the previous build untouched and in use. Unchanged files keep their vectors (copied from
the previous build's Chroma folder); only new or changed files are embedded. A change of model
or chunking settings (`settings_key`) rebuilds everything.

Chroma holds the vectors; the passage table and BM25 are plain files loaded once per process,
because the query path must answer in milliseconds without re-reading metadata per question.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.chroma import create_collection, drop, open_collection
from bot.config import Config
from bot.corpus import Skipped, discover, file_digest, iter_sources, load_manifest
from bot.records import Passage, Source, Span

# Bump when cleaning, chunking or embedding changes what an index holds: indexes are rebuilt.
PIPELINE_VERSION = "6"


class IndexUnusable(Exception):
    """The index is missing, stale or unreadable (with a message a person can act on)."""


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
    passages_per_second: float = 0.0  # new passages (with their sentences) / embedding time

    def summary(self) -> str:
        lines = [
            f"Indexed {self.files} files, {self.passages} passages, {self.units} sentences "
            f"in {self.seconds:.1f} s"
            + (
                f" ({self.passages_per_second:.0f} passages/s embedded)."
                if self.embedded_files
                else "."
            ),
            f"  embedded: {len(self.embedded_files)} files, reused: {len(self.reused_files)}, "
            f"removed: {len(self.removed_files)}" + (" (full rebuild)" if self.rebuilt else ""),
        ]
        if not self.changed:
            lines = [f"The index is up to date ({self.files} files, {self.passages} passages)."]
        lines += [f"  skipped {s.name}: {s.reason}" for s in self.skipped]
        return "\n".join(lines)


def settings_key(config: Config) -> str:
    from bot.adapter import encoder_fingerprint

    return json.dumps(
        {
            "pipeline": PIPELINE_VERSION,
            "model": encoder_fingerprint(config),
            "max_passage_chars": config.max_passage_chars,
            "max_quote_chars": config.max_quote_chars,
        },
        sort_keys=True,
    )


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    build = index_dir / "builds" / pointer.read_text().strip()
    return build if (build / "table.json").exists() else None


def _corpus_state(config: Config) -> tuple[dict[str, str], list[Path], list[Skipped]]:
    files, skipped = discover(config.corpus_dir)
    digests: dict[str, str] = {}
    first_with: dict[str, str] = {}
    for path in files:
        try:
            digest = file_digest(path)
        except OSError as exc:
            skipped.append(Skipped(path.name, f"it could not be read ({exc.strerror or exc})"))
            continue
        if digest in first_with:  # the same article saved twice would be cited twice
            skipped.append(Skipped(path.name, f"same content as {first_with[digest]}"))
            continue
        first_with[digest] = path.name
        digests[path.name] = digest
    return digests, [p for p in files if p.name in digests], skipped


def is_stale(config: Config) -> bool:
    """True when the index is missing or does not match the corpus and settings."""
    build = current_build(config.index_dir)
    if build is None:
        return True
    try:
        table = json.loads((build / "table.json").read_text())
    except (OSError, ValueError):
        return True
    digests, _, _ = _corpus_state(config)
    recorded = {name: f["sha256"] for name, f in table["files"].items()}
    failed = set(table.get("failed", {}))
    same_files = {n: d for n, d in digests.items() if n not in failed} == recorded
    return (
        table["settings"] != settings_key(config)
        or not same_files
        or _manifest_changed(config, table)
    )


def _manifest_changed(config: Config, table: dict[str, Any]) -> bool:
    return table.get("manifest") != load_manifest(config.corpus_dir)


def build(
    config: Config,
    encoder: Any = None,
    progress: bool = True,
    export_encoder: bool = True,
    force: bool = False,
) -> BuildReport:
    """Bring the index up to date with the corpus; returns what was done.

    `force=True` ignores the previous build (a damaged index is rebuilt from scratch).
    `export_encoder=False` skips the one-off ONNX export of the query encoder (tests that build
    many throw-away indexes; questions then use sentence-transformers).
    """
    t0 = time.perf_counter()
    report = BuildReport()
    digests, files, report.skipped = _corpus_state(config)
    old = None if force else current_build(config.index_dir)
    old_table = _read_table(old) if old else None
    key = settings_key(config)
    reuse = old_table is not None and old_table["settings"] == key
    report.rebuilt = not reuse
    old_files = old_table["files"] if reuse else {}
    old_failed = old_table.get("failed", {}) if reuse else {}

    unchanged = {n for n, d in digests.items() if old_files.get(n, {}).get("sha256") == d}
    known_bad = {n for n, d in digests.items() if old_failed.get(n, {}).get("sha256") == d}
    to_read = [p for p in files if p.name not in unchanged and p.name not in known_bad]
    report.removed_files = sorted(set(old_files) - set(digests))
    manifest_same = old_table is not None and not _manifest_changed(config, old_table)
    if reuse and not to_read and not report.removed_files and manifest_same:
        report.skipped += [Skipped(n, old_failed[n]["reason"]) for n in sorted(known_bad)]
        report.files, report.passages = len(old_files), len(old_table["passages"])
        report.units = len(old_table["units"])
        if export_encoder:  # a newly trained model still needs its export
            _export_query_encoder(config)
        report.seconds = time.perf_counter() - t0
        return report

    report.changed = True
    builds = config.index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    staging = builds / f".{name}.partial"
    try:
        report = _write_build(
            config,
            name,
            staging,
            old,
            old_table if reuse else None,
            files,
            unchanged,
            known_bad,
            to_read,
            report,
            encoder,
            progress,
        )
        os.replace(staging, builds / name)
        _point_current(config.index_dir, name)
    except BaseException:
        drop(config, builds / name)  # a server build's collections; a folder goes below
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _prune(config, builds, keep={name, old.name if old else ""})
    report.seconds = time.perf_counter() - t0
    if export_encoder:
        _export_query_encoder(config)
    return report


def _write_build(
    config: Config,
    name: str,
    staging: Path,
    old: Path | None,
    old_table: dict[str, Any] | None,
    files: list[Path],
    unchanged: set[str],
    known_bad: set[str],
    to_read: list[Path],
    report: BuildReport,
    encoder: Any,
    progress: bool,
) -> BuildReport:
    from bot.chunking import passages as chunk

    staging.mkdir(parents=True)
    seed = old if old_table is not None else None
    units = create_collection(config, staging, name, seed, sorted(unchanged))

    files_meta: dict[str, dict[str, Any]] = {}
    failed: dict[str, dict[str, str]] = {}
    passages_out: list[dict[str, Any]] = []
    if old_table is not None:
        for p in old_table["passages"]:
            if p["source"] in unchanged:
                passages_out.append(p)
        manifest = load_manifest(config.corpus_dir)  # metadata may change without the file
        for n in unchanged:
            meta = manifest.get(n, {})
            files_meta[n] = {"sha256": old_table["files"][n]["sha256"]} | {
                k: meta.get(k, "") for k in ("title", "publisher", "date", "url")
            }
        for n in known_bad:
            failed[n] = old_table["failed"][n]
            report.skipped.append(Skipped(n, failed[n]["reason"]))
    report.reused_files = sorted(unchanged)

    new_sources: list[Source] = []
    for item in iter_sources(to_read, config.corpus_dir):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            with contextlib.suppress(OSError):
                failed[item.name] = {
                    "sha256": file_digest(config.corpus_dir / item.name),
                    "reason": item.reason,
                }
            continue
        new_sources.append(item)

    new_passages: list[tuple[Source, Passage]] = []
    for source in new_sources:
        ps = chunk(source, config.max_passage_chars, config.max_quote_chars)
        new_passages += [(source, p) for p in ps]
        files_meta[source.name] = {
            "sha256": source.sha256,
            "title": source.title,
            "publisher": source.publisher,
            "date": source.date,
            "url": source.url,
        }
    report.embedded_files = sorted(s.name for s in new_sources)

    # A sentence is precise evidence; its passage says what it is about (see bot.retrieve). Each
    # sentence and each other line of a passage (its headings) is run through the model once, and
    # the passage's vector is the mean of all their token states. Embedding the whole passage
    # again, as before, doubled the tokens: 74 against 165 passages/s of the synthetic corpus
    # (median of 3 alternating runs, same encoder), for no better MRR on either question set once
    # W_PASSAGE was re-measured.
    texts: list[str] = []
    owners: list[int] = []  # the passage each text belongs to
    for i, (source, p) in enumerate(new_passages):
        passages_out.append(_passage_record(p))
        pieces = [source.text[s.start : s.end] for s in p.sentences] + _other_lines(source, p)
        texts += pieces
        owners += [i] * len(pieces)
    fresh: dict[str, np.ndarray] = {}
    if new_passages:
        if encoder is None:
            from bot.embedding import load_index_encoder

            encoder = load_index_encoder(config)
        t = time.perf_counter()
        sums, counts = encoder.token_sums(texts, progress=progress)
        report.passages_per_second = len(new_passages) / max(time.perf_counter() - t, 1e-9)
        fresh = _vectors(new_passages, owners, sums, counts)
        unit_ids = [f"{p.id}:{k}" for _, p in new_passages for k in range(len(p.sentences))]
        _upsert(
            units,
            unit_ids,
            np.asarray([fresh[u] for u in unit_ids], dtype=np.float32).reshape(len(unit_ids), -1),
            [{"source": s.name, "passage": p.id} for s, p in new_passages for _ in p.sentences],
        )

    passages_out.sort(key=lambda p: (p["source"], p["start"]))
    unit_rows = [
        [pi, k, s[0], s[1]]
        for pi, p in enumerate(passages_out)
        for k, s in enumerate(p["sentences"])
    ]
    table = {
        "settings": settings_key(config),
        "manifest": load_manifest(config.corpus_dir),
        "files": files_meta,
        "failed": failed,
        "passages": passages_out,
        "units": unit_rows,
    }
    _write_bm25(staging / "bm25", passages_out, unit_rows)
    _write_vectors(staging, old if old_table is not None else None, old_table, passages_out, fresh)
    (staging / "table.json").write_text(json.dumps(table, ensure_ascii=False))
    report.files = len(files_meta)
    report.passages = len(passages_out)
    report.units = len(unit_rows)
    return report


def _other_lines(source: Source, passage: Passage) -> list[str]:
    """The passage's text outside its sentences (headings), which says what it is about."""
    text, pieces, at = source.text, [], passage.start
    for span in [*passage.sentences, Span(passage.end, passage.end)]:
        gap = text[at : span.start].strip()
        if any(c.isalnum() for c in gap):
            pieces.append(gap)
        at = span.end
    return pieces


def _vectors(
    passages: list[tuple[Source, Passage]],
    owners: list[int],
    sums: np.ndarray,
    counts: np.ndarray,
) -> dict[str, np.ndarray]:
    """Sentence vectors by id (`<passage>:<k>`), and passage vectors pooled from the token
    states of all the passage's texts (its sentences come first, in order)."""
    from bot.embedding import mean_vectors

    owner = np.asarray(owners, dtype=np.int64)
    passage_sums = np.zeros((len(passages), sums.shape[1]), dtype=np.float64)
    np.add.at(passage_sums, owner, sums)
    passage_counts = np.bincount(owner, weights=counts, minlength=len(passages))
    pooled = mean_vectors(passage_sums, passage_counts)
    vectors = mean_vectors(sums, counts)
    out: dict[str, np.ndarray] = {}
    first = np.searchsorted(owner, np.arange(len(passages)))
    for i, (_, p) in enumerate(passages):
        out[p.id] = pooled[i]
        for k in range(len(p.sentences)):
            out[f"{p.id}:{k}"] = vectors[first[i] + k]
    return out


def _write_vectors(
    staging: Path,
    old: Path | None,
    old_table: dict[str, Any] | None,
    passages: list[dict[str, Any]],
    fresh: dict[str, np.ndarray],
) -> None:
    """The same vectors as in Chroma, as arrays in table order, for the query path: scoring a
    candidate's passage and sentences is then an in-memory dot product, not a round trip.
    Vectors of unchanged files come from the previous build's arrays."""
    old_rows: dict[str, tuple[int, int]] = {}
    if old is not None and old_table is not None:
        old_units = np.load(old / "unit_vectors.npy", mmap_mode="r")
        old_passages = np.load(old / "passage_vectors.npy", mmap_mode="r")
        first = 0
        for i, p in enumerate(old_table["passages"]):
            old_rows[p["id"]] = (i, first)
            first += len(p["sentences"])
    unit_out, passage_out = [], []
    for p in passages:
        n = len(p["sentences"])
        if p["id"] in fresh:
            passage_out.append(fresh[p["id"]])
            unit_out += [fresh[f"{p['id']}:{k}"] for k in range(n)]
        else:
            i, first = old_rows[p["id"]]
            passage_out.append(old_passages[i])
            unit_out += list(old_units[first : first + n])
    dim = len(passage_out[0]) if passage_out else 0
    for name, rows in (("unit_vectors", unit_out), ("passage_vectors", passage_out)):
        array = np.asarray(rows, dtype=np.float32).reshape(len(rows), dim)
        np.save(staging / f"{name}.npy", array)


def _upsert(collection: Any, ids: list[str], vectors: np.ndarray, metas: list[dict]) -> None:
    step = 4096  # Chroma caps the size of one insert
    for i in range(0, len(ids), step):
        collection.upsert(
            ids=ids[i : i + step], embeddings=vectors[i : i + step], metadatas=metas[i : i + step]
        )


def _passage_record(p: Passage) -> dict[str, Any]:
    return {
        "id": p.id,
        "source": p.source,
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "sentences": [[s.start, s.end] for s in p.sentences],
    }


def unit_text(passage: dict[str, Any], start: int, end: int) -> str:
    """A sentence's text, cut from its passage (offsets are into the source file)."""
    return passage["text"][start - passage["start"] : end - passage["start"]]


def _write_bm25(path: Path, passages: list[dict[str, Any]], units: list[list[int]]) -> None:
    from bot.lexical import Lexical

    texts = [unit_text(passages[pi], s, e) for pi, _, s, e in units]
    Lexical.build(texts).save(path)


def _read_table(build: Path) -> dict[str, Any] | None:
    try:
        return json.loads((build / "table.json").read_text())
    except (OSError, ValueError):
        return None


def _point_current(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".CURRENT.{uuid.uuid4().hex}"
    tmp.write_text(name)
    os.replace(tmp, index_dir / "CURRENT")


def _prune(config: Config, builds: Path, keep: set[str]) -> None:
    """Remove old builds and leftovers of interrupted ones; keep the live and previous build."""
    for child in builds.iterdir():
        if child.name not in keep:
            drop(config, Path(child.name.removeprefix(".").removesuffix(".partial")))
            shutil.rmtree(child, ignore_errors=True)


def exports_ready(config: Config) -> bool:
    """True when every query encoder has its ONNX export (made by `build`)."""
    from bot.embedding import query_model_path

    return all(query_model_path(config, model).exists() for model in config.models())


def _export_query_encoder(config: Config) -> None:
    from bot.embedding import export_query_model

    # The retrieval model and the safety classifier, adapters merged in.
    for model in config.models():
        export_query_model(config, model)


@dataclass
class LoadedIndex:
    """What a query needs, loaded once: the passage table, BM25 and the Chroma collection."""

    build: Path
    passages: list[dict[str, Any]]
    units: np.ndarray  # rows: passage index, sentence number, start, end
    unit_ids: dict[str, int]
    files: dict[str, dict[str, Any]]
    collection: Any
    first_unit: np.ndarray
    unit_matrix: np.ndarray  # memory-mapped, rows in unit order
    passage_matrix: np.ndarray  # memory-mapped, rows in passage order
    lexical: Any

    @classmethod
    def open(cls, config: Config) -> LoadedIndex:
        from bot.lexical import Lexical

        build = current_build(config.index_dir)
        if build is None:
            raise IndexUnusable(
                f"No index found in {config.index_dir}. Run `python -m bot index` to build it."
            )
        table = _read_table(build)
        if table is None:
            raise IndexUnusable(f"The index in {build} is damaged. Run `python -m bot index`.")
        units = np.asarray(table["units"], dtype=np.int64).reshape(-1, 4)
        passages = table["passages"]
        unit_ids = {f"{passages[pi]['id']}:{k}": i for i, (pi, k, _, _) in enumerate(units)}

        return cls(
            build=build,
            passages=passages,
            units=units,
            unit_ids=unit_ids,
            files=table["files"],
            collection=open_collection(config, build),
            first_unit=np.cumsum([0] + [len(p["sentences"]) for p in passages])[:-1],
            unit_matrix=np.load(build / "unit_vectors.npy", mmap_mode="r"),
            passage_matrix=np.load(build / "passage_vectors.npy", mmap_mode="r"),
            lexical=Lexical.load(build / "bm25"),
        )

    def dense(self, vector: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Unit indexes and cosine similarities of the `n` nearest sentences."""
        n = min(n, len(self.units))
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        res = self.collection.query(query_embeddings=[vector], n_results=n, include=["distances"])
        idx = np.fromiter((self.unit_ids[i] for i in res["ids"][0]), dtype=np.int64)
        return idx, 1.0 - np.asarray(res["distances"][0], dtype=np.float32)

    def passage_similarity(self, passage_indexes: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """Cosine of the question to each of these passages (vectors are normalised)."""
        return self.passage_matrix[passage_indexes] @ vector

    def unit_vectors(self, unit_indexes: list[int]) -> np.ndarray:
        return np.asarray(self.unit_matrix[unit_indexes], dtype=np.float32)

    def passage_units(self, passage_index: int) -> list[int]:
        """The unit indexes of a passage's sentences (units are stored passage by passage)."""
        first = int(self.first_unit[passage_index])
        return list(range(first, first + len(self.passages[passage_index]["sentences"])))

    def sentence_spans(self, passage_index: int) -> list[Span]:
        return [Span(s, e) for s, e in self.passages[passage_index]["sentences"]]
