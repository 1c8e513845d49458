"""What the indexer computed for each text, kept across files and builds, keyed by the text.

A passage's vector is pooled from its texts' token states, so the cache keeps each text's token
sum and token count, not only its vector. The key is the SHA-256 of the text; the model's
fingerprint names the file, so a retrained model starts a fresh cache and never reads another
model's numbers. A repeated paragraph, a duplicate file or an unchanged sentence in an edited
file is therefore embedded once. SQLite (standard library) gives atomic commits, so a build that
is killed half-way leaves a usable cache; deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np

_LOOKUP_CHUNK = 500  # SQLite caps the parameters of one statement


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class VectorCache:
    """Token sums and counts by text key, for one model and dimension."""

    def __init__(self, folder: Path, fingerprint: str, dimension: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.dimension = dimension
        self._db = sqlite3.connect(folder / f"{fingerprint}-{dimension}.sqlite")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sums (key TEXT PRIMARY KEY, count REAL, sum BLOB)"
        )

    def get(self, keys: Iterable[str]) -> dict[str, tuple[np.ndarray, float]]:
        """The cached (token sum, token count) of each key that is there."""
        keys = list(keys)
        found: dict[str, tuple[np.ndarray, float]] = {}
        for i in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[i : i + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, count, sum FROM sums WHERE key IN ({marks})", chunk
            )
            for key, count, blob in rows:
                found[key] = (np.frombuffer(blob, dtype=np.float32), float(count))
        return found

    def put(self, keys: list[str], sums: np.ndarray, counts: np.ndarray) -> None:
        rows = (
            (k, float(c), np.asarray(s, dtype=np.float32).tobytes())
            for k, s, c in zip(keys, sums, counts, strict=True)
        )
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO sums VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        self._db.close()
