"""The corpus files as the verbatim check reads them: a quote is verbatim when, with white space
collapsed, it occurs in the file it cites."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.text import squash

TEXT_SUFFIXES = (".txt", ".md")


class SourceTexts:
    """The corpus files' text with white space collapsed, read once each, for the verbatim check."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = Path(corpus_dir)
        self._cache: dict[str, str | None] = {}

    def get(self, name: str) -> str | None:
        """The file's squashed text, or None when `name` is not a readable file of the corpus."""
        if name not in self._cache:
            self._cache[name] = self._read(name)
        return self._cache[name]

    def _read(self, name: str) -> str | None:
        path = self.corpus_dir / name
        if not name or Path(name).name != name or not path.is_file():
            return None
        try:
            if path.suffix.lower() in TEXT_SUFFIXES:
                return squash(path.read_text(encoding="utf-8", errors="replace"))
            from bot.corpus import read_text  # extracted text, as the indexer reads it

            return squash(read_text(path))
        except (OSError, ValueError):
            return None

    def verbatim(self, citation: dict[str, Any]) -> bool:
        """True when the citation's quote occurs in the file it cites (white space aside)."""
        quote = squash(citation.get("quote", ""))
        text = self.get(citation.get("source", ""))
        return bool(quote) and text is not None and quote in text
