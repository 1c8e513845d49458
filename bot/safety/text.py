"""Normalising messages for the rules: lower case, straight quotes, contractions and chat
spellings expanded, so that one pattern covers many spellings."""

from __future__ import annotations

import re
import unicodedata

# Verbs in their bare form, for English typed without "to" or "do": "how get", "she no leave".
_BARE_VERBS = (
    "get|find|avoid|make|keep|move|take|cross|bring|hide|send|recruit|sell|stop|pay|convince|"
    "trick|lure|groom|use|start|run|put|lock|smuggle|transport|ship|buy|hire|post|advertise|"
    "control|leave|contact|call|tell|report|go|know|see|notice|detect|catch|check|escape|talk|"
    "meet|write|force|threaten|scare|pressure|sneak|launder|clean|delete|trace|track|open"
)
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
    (r"\bhypothetica?l+y\b", "hypothetically"),
    (r"\bthru\b", "through"),
    (r"\bw/o\b|\bw/out\b", "without"),
    (r"\bw/(?=\s)|\bw(?= (?:ppl|people|girls|kids|them|her|him|my|the)\b)", "with"),
    (r"\bidk\b", "i do not know"),
    (r"\bsmth\b", "something"),
    (r"\bbc\b|\bcuz\b|\bcoz\b", "because"),
    (r"\baccs?\b", "account"),
    (r"\bwh?at\b", "what"),
    (r"\bn\b", "and"),
    # texting without "my": "friend texted she's trapped"
    (
        r"^(?=(?:friend|sister|brother|daughter|son|cousin|niece|nephew|girlfriend|boyfriend|wife|"
        r"husband|mum|dad)\b)",
        "my ",
    ),
    (r"\bmsgs?\b", "message"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\bpl[sz]\b", "please"),
    (r"\b(?:bf)\b", "boyfriend"),
    (r"\b(?:gf)\b", "girlfriend"),
    (r"\bpix\b", "pics"),
    (r"\bmom\b|\bmommy\b|\bmam\b", "mum"),
    (r"\bneighbor", "neighbour"),
    (r"\b(\d+) ?(?:yo|y/o|yrs? olds?|years? olds?|yr|yrs|-years?-olds?)\b", r"\1 year old"),
    (r"\b(\d+) ?(?:-|to) ?\d+ year old", r"\1 year old"),  # "14-17 yr olds": the youngest
    # English typed without its small words: "how get nanny", "best way move girls", "he want
    # bring workers", "so she no contact family".
    (rf"\b(how|way|want|wants|need|needs|try|tries) (?=(?:{_BARE_VERBS})\b)", r"\1 to "),
    (rf"\b(she|he|they|it|police|ai|nobody|no one) no (?=(?:{_BARE_VERBS})\b)", r"\1 do not "),
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
