"""The index on disk: planned, written and read as separate jobs.

Layout under `index_dir`:
    CURRENT                   the name of the live build (replaced atomically, last step of a build)
    builds/<name>/meta.json   settings, the files with their digests and metadata, the failures
    builds/<name>/table.json  passages (text, offsets) and the distinct sentence texts' keys
    builds/<name>/units.npy   one row per sentence: passage, number, offsets, text row
    builds/<name>/chroma/     Chroma PersistentClient: one vector per distinct sentence text,
                              in shards of at most 50,000 (`chroma-1/`, ... after the first)
    builds/<name>/bm25/       bm25s over the same distinct texts
    builds/<name>/words.json  each word of those texts and its count (bot.spelling)
    builds/<name>/*.npy       the same vectors by text row, and one per passage (memory-mapped)
    cache/                    token sums by text and model (bot.index.cache), across builds
    encoder/                  ONNX exports of the query encoders: the retrieval model and the
                              safety classifier's model (bot.embedding)
    model/                    the base model with each trained adapter merged in (bot.adapter)

A build writes a new folder and only then points CURRENT at it, so a crash or Ctrl-C half-way
leaves the previous build untouched and in use. Unchanged files keep their passages; every text
already in the cache costs nothing. A change of model or chunking settings rebuilds everything.

Modules: `plan` (what a build must do), `write` (the build), `read` (the live build for
questions), `table` (the files and how records are stored), `cache`, `chroma` (the vector store,
embedded or a server).
"""

from bot.index.chroma import VectorStoreUnavailable
from bot.index.plan import is_stale, is_usable
from bot.index.read import IndexReader, IndexUnusable
from bot.index.table import current_build
from bot.index.write import (
    BuildInProgress,
    BuildReport,
    build,
    exports_ready,
    question_started,
    yield_to_questions,
)

__all__ = [
    "BuildInProgress",
    "BuildReport",
    "IndexReader",
    "IndexUnusable",
    "VectorStoreUnavailable",
    "build",
    "current_build",
    "exports_ready",
    "is_stale",
    "is_usable",
    "question_started",
    "yield_to_questions",
]
