"""Misspelt words read as the corpus spells them, before a question is searched.

People type "trafickers" and "recrute". BM25 then finds nothing for those words, the encoder
reads them poorly, and the judge counts them as words the corpus never uses, a sign of a
question it does not answer. A word is corrected only when neither the corpus nor an English
dictionary knows it, and only to a word of the corpus one edit away (two for words of eight
letters or more): a real word the corpus does not use ("lockdowns", "teenagers") and a name it
never mentions ("Roblox") are left alone, because the nearest English word would change what
was asked. On the 173 answerable questions of the development sets E31-E51 it changed, hit@1
went from 0.815 to 0.855 and hit@3 from 0.890 to 0.913 (docs/quality.md).

symspellpy finds the corpus's words within the edit distance (its symmetric-delete index) and
ships the English word list (82,765 words, British and American spellings) used as "known".
The corpus's words come from the index build (`words.json`), so files a user adds count too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, cached_property
from importlib import resources
from typing import Any

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
MIN_LETTERS = 5  # shorter words have too many neighbours one edit away ("ofer": over or offer)
LONG_WORD = 8  # from this length, two edits away


@cache
def english_words() -> frozenset[str]:
    """The English words symspellpy's frequency dictionary lists (lowercase)."""
    text = (resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text(
        encoding="utf-8"
    )
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


def counting(texts: Iterable[str], counts: dict[str, int]) -> Iterator[str]:
    """`texts` passed on unchanged, each word (lowercase) counted in `counts` on the way: a
    build reads its texts once, for BM25 and for the vocabulary it stores."""
    for text in texts:
        for word in _WORD.findall(text):
            word = word.lower()
            counts[word] = counts.get(word, 0) + 1
        yield text


class Speller:
    """Corrects the words of a question that neither the corpus nor English knows."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        self.counts = counts

    @cached_property
    def _index(self) -> Any:
        """symspellpy's index of the corpus's words, built at the first unknown word: a large
        corpus's takes seconds, and most questions are spelt right."""
        from symspellpy import SymSpell

        index = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in self.counts.items():
            # A four-letter word too: five letters typed may be four with one added.
            if len(word) >= MIN_LETTERS - 1 and "'" not in word:
                index.create_dictionary_entry(word, count)
        return index

    def correct_word(self, word: str) -> str:
        """The corpus's spelling of `word`, or `word` itself when it is known or too far."""
        lower = word.lower()
        if (
            len(lower) < MIN_LETTERS
            or "'" in lower
            or lower in self.counts
            or lower in english_words()
        ):
            return word
        from symspellpy import Verbosity

        distance = 2 if len(lower) >= LONG_WORD else 1
        found = self._index.lookup(lower, Verbosity.TOP, max_edit_distance=distance)
        return found[0].term if found else word

    def correct(self, text: str) -> str:
        """`text` with each unknown word replaced by the corpus's nearest spelling."""
        return _WORD.sub(lambda m: self.correct_word(m.group(0)), text)
