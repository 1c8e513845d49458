"""Where a build's vectors live: an embedded Chroma folder, or collections on a Chroma server.

Embedded (default): each build has its own `PersistentClient` folders, `builds/<name>/chroma/`
and, past SHARD_SIZE vectors, `chroma-1/`, `chroma-2/`, ... (shards, so a build's memory stays
bounded), so a process answering questions never shares files with one that is indexing.
Server (`BOT_CHROMA_URL` / `--chroma-url`): each build is a collection named
`<prefix>-units-<build>` on `chromadb.HttpClient`; the live build
is still chosen by `index/CURRENT`, so switching builds stays atomic and the previous build
remains usable until the new one is complete. The server can be a single `chroma run` or a
distributed Chroma deployment: anything that speaks Chroma's HTTP API.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from bot.config import Config

UNITS = "units"  # one vector per distinct sentence text: the nearest-neighbour search
_COSINE = {"hnsw": {"space": "cosine"}}
RETRIES = (0.5, 1.0, 2.0)  # seconds between attempts to reach a server
# Vectors per embedded shard: its graph takes about 120 MB while it is written, after which it
# is closed (VectorWriter). Questions search each shard: about 1 ms more per shard.
SHARD_SIZE = 50_000
_INSERT_STEP = 4096  # Chroma caps the size of one insert


class VectorStoreUnavailable(Exception):
    """The Chroma server cannot be reached (the message says what to do)."""


def _settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def _embedded(path: Path):
    import chromadb

    return chromadb.PersistentClient(path=str(path), settings=_settings())


def _server(config: Config):
    """An HttpClient for the configured URL, retried with back-off, or a clear error."""
    import chromadb

    url = urlparse(
        config.chroma_url if "://" in config.chroma_url else f"http://{config.chroma_url}"
    )
    headers = {"Authorization": f"Bearer {config.chroma_token}"} if config.chroma_token else None
    last: Exception | None = None
    for pause in (*RETRIES, None):
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                headers=headers,
                settings=_settings(),
            )
            client.heartbeat()
            return client
        except Exception as exc:  # the client raises several types for a refused connection
            last = exc
            if pause is not None:
                time.sleep(pause)
    raise VectorStoreUnavailable(
        f"Cannot reach the Chroma server at {config.chroma_url} ({type(last).__name__}). "
        "Check that it is running (for example `chroma run --path chroma-data --host 127.0.0.1 "
        "--port 8000`) and that the URL and token are right, or unset BOT_CHROMA_URL to use the "
        "embedded index."
    )


def _name(config: Config, build: str) -> str:
    return f"{config.chroma_prefix}-{UNITS}-{build}" if config.chroma_url else UNITS


def _shard_dir(build_dir: Path, i: int) -> Path:
    return build_dir / ("chroma" if i == 0 else f"chroma-{i}")


def _shard_dirs(build_dir: Path) -> list[Path]:
    """An embedded build's shards in order: `chroma/`, then `chroma-1/`, `chroma-2/`, ..."""
    more = sorted(build_dir.glob("chroma-*"), key=lambda p: int(p.name.split("-", 1)[1]))
    return [_shard_dir(build_dir, 0), *more]


class Vectors:
    """A build's vectors for questions: every shard of an embedded build, or its collection on
    a server. The build no longer changes, so each shard's size is read once."""

    def __init__(self, collections: list[Any]) -> None:
        self._collections = collections
        self._counts = [c.count() for c in collections]

    def count(self) -> int:
        return sum(self._counts)

    def ids(self) -> list[str]:
        return [i for c in self._collections for i in c.get(include=[])["ids"]]

    def nearest(self, vector: np.ndarray, n: int) -> tuple[list[str], np.ndarray]:
        """The ids and cosine distances of the `n` nearest vectors, nearest first: each shard's
        `n` nearest, merged."""
        ids: list[str] = []
        distances: list[float] = []
        for collection, count in zip(self._collections, self._counts, strict=True):
            if count:
                res = collection.query(
                    query_embeddings=[vector], n_results=min(n, count), include=["distances"]
                )
                ids += res["ids"][0]
                distances += res["distances"][0]
        merged = np.asarray(distances, dtype=np.float32)
        order = np.argsort(merged, kind="stable")[:n]
        return [ids[i] for i in order], merged[order]


def open_vectors(config: Config, build_dir: Path) -> Vectors:
    """The vectors of an existing build."""
    if config.chroma_url:
        return Vectors([_server(config).get_collection(_name(config, build_dir.name))])
    return Vectors([_embedded(d).get_collection(UNITS) for d in _shard_dirs(build_dir)])


class VectorWriter:
    """Writes a new build's vectors, one id (text key) each.

    Embedded Chroma holds a collection's graph in this process: 2-3 KB per vector, most of a
    build's growth with the corpus (docs/index-memory.md). So an embedded build fills shards of
    at most SHARD_SIZE vectors, each its own PersistentClient folder, and keeps only one open
    at a time; a closed client frees its graph. The build's memory then no longer grows with the
    graph, and questions search every shard (`Vectors.nearest`). On a server the graph is the
    server's, so there is one collection.

    A new embedded build starts as a copy of the `seed` build's shards, so vectors that stay
    need no new insertion into a graph; the caller deletes the ones that went."""

    def __init__(self, config: Config, build_dir: Path, name: str, seed: Path | None) -> None:
        self.config, self.build_dir, self.name = config, build_dir, name
        self._limit = sys.maxsize if config.chroma_url else SHARD_SIZE
        self._where: dict[str, int] = {}  # id -> shard
        self._sizes: list[int] = []
        self._open: tuple[int, Any, Any] | None = None  # shard, client, collection
        if config.chroma_url:
            self._shard(0)  # created empty: a server build starts afresh
            self._sizes.append(0)
            return
        for i, folder in enumerate(_shard_dirs(seed) if seed is not None else []):
            if folder.exists():
                shutil.copytree(folder, _shard_dir(build_dir, i))
                ids = self._shard(i).get(include=[])["ids"]
                self._where.update(dict.fromkeys(ids, i))
                self._sizes.append(len(ids))
        if not self._sizes:
            self._sizes.append(0)

    def __contains__(self, key: str) -> bool:
        return key in self._where

    def ids(self) -> set[str]:
        return set(self._where)

    def add(self, ids: list[str], vectors: np.ndarray) -> None:
        """Add vectors of ids not there yet, to the last shard while it has room."""
        at = 0
        while at < len(ids):
            if self._sizes[-1] >= self._limit:
                self._sizes.append(0)
            i = len(self._sizes) - 1
            room = min(self._limit - self._sizes[i], _INSERT_STEP, len(ids) - at)
            part = ids[at : at + room]
            self._shard(i).upsert(ids=part, embeddings=vectors[at : at + room])
            self._where.update(dict.fromkeys(part, i))
            self._sizes[i] += room
            at += room

    def delete(self, ids: list[str]) -> None:
        by_shard: dict[int, list[str]] = {}
        for key in ids:
            by_shard.setdefault(self._where.pop(key), []).append(key)
        for i, keys in sorted(by_shard.items()):
            for at in range(0, len(keys), _INSERT_STEP):
                self._shard(i).delete(ids=keys[at : at + _INSERT_STEP])

    def close(self) -> None:
        if self._open is not None:
            self._open[1].close()
            self._open = None

    def _shard(self, i: int) -> Any:
        """Shard `i`'s collection, closing the shard open before it."""
        if self._open is not None and self._open[0] == i:
            return self._open[2]
        self.close()
        if self.config.chroma_url:
            client = _server(self.config)
            collection = client.get_or_create_collection(
                _name(self.config, self.name), configuration=_COSINE, embedding_function=None
            )
        else:
            client = _embedded(_shard_dir(self.build_dir, i))
            collection = client.get_or_create_collection(
                UNITS, configuration=_COSINE, embedding_function=None
            )
        self._open = (i, client, collection)
        return collection


def drop(config: Config, build_dir: Path) -> None:
    """Delete a build's vectors (its folder is removed by the caller)."""
    if not config.chroma_url:
        return
    try:
        client = _server(config)
        with contextlib.suppress(Exception):  # already gone: nothing to drop
            client.delete_collection(_name(config, build_dir.name))
    except VectorStoreUnavailable:
        pass  # left for the next build's clean-up
