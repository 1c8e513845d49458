"""What a build must do: which build is live, whether it still matches the corpus and settings,
and which files can be reused from it, read anew, or passed over."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.corpus import Skipped, discover, file_digest, load_manifest
from bot.index.table import META, current_build, read_json

# Bump when cleaning, chunking or embedding changes what an index holds: indexes are rebuilt.
# 9: a build stores its words and their counts (bot.spelling).
PIPELINE_VERSION = "9"


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


@dataclass
class Plan:
    """The corpus compared with the live build: the work a build has to do."""

    files: list[Path]  # every usable file, in name order
    digests: dict[str, str]  # name -> SHA-256 of the file
    skipped: list[Skipped]  # passed over before reading (type, duplicate, unreadable)
    old: Path | None = None  # the live build, when its settings match
    old_meta: dict[str, Any] | None = None  # its meta.json
    reused: set[str] = field(default_factory=set)  # unchanged since the live build
    known_bad: set[str] = field(default_factory=set)  # failed before, unchanged since
    removed: list[str] = field(default_factory=list)

    @property
    def to_read(self) -> list[Path]:
        settled = self.reused | self.known_bad
        return [p for p in self.files if p.name not in settled]

    def up_to_date(self, config: Config) -> bool:
        return (
            self.old_meta is not None
            and not self.to_read
            and not self.removed
            and self.old_meta.get("manifest") == load_manifest(config.corpus_dir)
        )


def plan(config: Config, force: bool = False) -> Plan:
    """Compare the corpus with the live build. `force` plans a build from scratch."""
    old = None if force else current_build(config.index_dir)
    meta = read_json(old / META) if old else None
    if meta is not None and meta.get("settings") != settings_key(config):
        old, meta = None, None
    files, skipped = discover(config.corpus_dir)
    digests: dict[str, str] = {}
    first_with: dict[str, str] = {}
    for path in files:
        try:
            digest = file_digest(path)
        except OSError as exc:
            skipped.append(Skipped(path.name, f"it could not be read ({exc.strerror or exc})"))
            continue
        # The same article saved twice would be cited twice: the first by name is kept, so an
        # index never depends on the order files came in (the copy costs no embedding either).
        if digest in first_with:
            skipped.append(Skipped(path.name, f"same content as {first_with[digest]}"))
            continue
        first_with[digest] = path.name
        digests[path.name] = digest
    out = Plan([p for p in files if p.name in digests], digests, skipped)
    if meta is None:
        return out
    out.old, out.old_meta = old, meta
    out.reused = {n for n, d in digests.items() if meta["files"].get(n, {}).get("sha256") == d}
    failed = meta.get("failed", {})
    out.known_bad = {n for n, d in digests.items() if failed.get(n, {}).get("sha256") == d}
    out.removed = sorted(set(meta["files"]) - set(digests))
    return out


def is_stale(config: Config) -> bool:
    """True when the index is missing or does not match the corpus and settings."""
    return not plan(config).up_to_date(config)


def is_usable(config: Config) -> bool:
    """True when a live build exists and was made with today's model and pipeline, so its
    vectors can be searched with today's query encoder (it may lag behind the corpus)."""
    build = current_build(config.index_dir)
    meta = read_json(build / META) if build else None
    return meta is not None and meta.get("settings") == settings_key(config)
