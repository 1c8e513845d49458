"""What a word is, and how white space is tidied: one definition for retrieval, scoring and
replies, so a quote the retriever calls a match is one the scorer counts."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")
_SPACE = re.compile(r"\s+")


def words(text: str) -> list[str]:
    """Lower-case words with punctuation dropped, after NFKC (the reference scorer's rule).

    A list, in order and with repeats, because the scorer counts an evidence string's words;
    retrieval compares sets of them.
    """
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def squash(text: str) -> str:
    """Runs of white space collapsed to one space: how quotes are shown and compared."""
    return _SPACE.sub(" ", text).strip()
