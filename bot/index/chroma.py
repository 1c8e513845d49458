"""Where a build's vectors live: an embedded Chroma folder, or collections on a Chroma server.

Embedded (default): each build has its own `PersistentClient` folder, `builds/<name>/chroma/`, so
a process answering questions never shares files with one that is indexing.
Server (`BOT_CHROMA_URL` / `--chroma-url`): each build is a collection named
`<prefix>-units-<build>` on `chromadb.HttpClient`; the live build
is still chosen by `index/CURRENT`, so switching builds stays atomic and the previous build
remains usable until the new one is complete. The server can be a single `chroma run` or a
distributed Chroma deployment: anything that speaks Chroma's HTTP API.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.config import Config

UNITS = "units"  # one vector per distinct sentence text: the nearest-neighbour search
_COSINE = {"hnsw": {"space": "cosine"}}
RETRIES = (0.5, 1.0, 2.0)  # seconds between attempts to reach a server


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


def open_collection(config: Config, build_dir: Path) -> Any:
    """The vectors of an existing build."""
    client = _server(config) if config.chroma_url else _embedded(build_dir / "chroma")
    return client.get_collection(_name(config, build_dir.name))


def create_collection(config: Config, build_dir: Path, name: str, seed: Path | None) -> Any:
    """The collection of a new build `name`. Embedded, it starts as a copy of the `seed` build's
    folder, so vectors that stay need no new insertion into the graph; the writer then deletes
    the ones that went and adds the new ones. On a server it starts empty."""
    if config.chroma_url:
        client = _server(config)
        return client.get_or_create_collection(
            _name(config, name), configuration=_COSINE, embedding_function=None
        )
    if seed is not None:
        shutil.copytree(seed / "chroma", build_dir / "chroma")
    client = _embedded(build_dir / "chroma")
    return client.get_or_create_collection(UNITS, configuration=_COSINE, embedding_function=None)


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
