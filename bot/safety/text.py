"""Normalising messages for the rules: lower case, straight quotes, contractions and chat
spellings expanded, so that one pattern covers many spellings; splitting into sentences."""

from __future__ import annotations

import re
import unicodedata

REPLACEMENTS = [
    (r"[\u2018\u2019\u201b\u2032`´]", "'"),
    (r"[\u201c\u201d\u201e\u00ab\u00bb\"]", " "),
    (r"\bi'?m\b", "i am"),
    (r"\bi've\b|\bive\b", "i have"),
    (r"\bi'll\b", "i will"),
    (r"\bi'd\b", "i would"),
    (r"\bcan'?t\b", "cannot"),
    (r"\bwon'?t\b", "will not"),
    (r"\bain'?t\b", "is not"),
    (r"\b(do|does|did|is|are|was|were|has|have|had|could|should|would|must|need)n'?t\b", r"\1 not"),
    (r"\b(he|she|it|that|there|what|who|everyone|nobody)'s\b", r"\1 is"),
    (r"\b(he|she)s\b", r"\1 is"),  # "hes home now"
    (r"\b(you|they)'?re\b|\b(we)'re\b", r"\1\2 are"),  # not "were"
    (r"\b(you|we|they|he|she|it)'ll\b", r"\1 will"),
    (r"\b(you|we|they|he|she)'d\b", r"\1 would"),
    (r"\b(you|we|they)'ve\b", r"\1 have"),
    (r"n't\b", " not"),
    (r"\bwhats\b", "what is"),
    (r"\br\b", "are"),
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
    (r"\bgotta\b", "have to"),
    (r"\bgimme\b", "give me"),
    (r"\bppl\b", "people"),
    (r"\bhw\b", "how"),
    (r"\bwh?at\b", "what"),
    (r"\bn\b", "and"),
    (r"\bmsgs?\b", "message"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\bpl[sz]\b", "please"),
    (r"\b(?:bf)\b", "boyfriend"),
    (r"\b(?:gf)\b", "girlfriend"),
    (r"\bpix\b", "pics"),
    (r"\bmom\b|\bmommy\b|\bmam\b", "mum"),
    (r"\bneighbor", "neighbour"),
    (r"\b(\d+) ?(?:yo|y/o|yrs? olds?|years? olds?|yr|yrs)\b", r"\1 year old"),
    (r"\b(\d+) ?(?:-|to) ?\d+ year old", r"\1 year old"),  # "14-17 yr olds": the youngest
    (r"(?<![a-z])'|'(?![a-z])", " "),  # quote marks, not apostrophes inside words
    (r"\s+", " "),
]
_COMPILEDREPLACEMENTS = [(re.compile(p), r) for p, r in REPLACEMENTS]


def normalise(text: str) -> str:
    """Lower-case, expand contractions, unify quotes, so one pattern covers many spellings."""
    t = unicodedata.normalize("NFKC", text).lower()
    for pattern, replacement in _COMPILEDREPLACEMENTS:
        t = pattern.sub(replacement, t)
    return t.strip()


SENTENCE_SPLIT = re.compile(r"[.!?;\n]+|\s-\s")
_COLON = re.compile(r":\s")
_LEAD_WORDS = 3  # "need tips: keeping a nanny from ..." is one request, not two sentences
CLAUSE_SPLIT = re.compile(r",|\bbut\b|\bthough\b|\balthough\b|\bhowever\b|\band\b|\bso\b|\(|\)")


def sentences(text: str) -> list[str]:
    """Sentences; a colon ends one unless what comes before it is a short lead-in."""
    out: list[str] = []
    for part in SENTENCE_SPLIT.split(text):
        pieces = _COLON.split(part)
        current = pieces[0]
        for piece in pieces[1:]:
            if len(current.split()) <= _LEAD_WORDS:
                current = f"{current.strip()} {piece}"
            else:
                out.append(current)
                current = piece
        out.append(current)
    return [s.strip() for s in out if s.strip()]


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
