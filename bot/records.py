"""The records that cross module lines: a source document, a passage, a citation, an answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["answered", "no_answer", "refused", "crisis"]


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) in a source's text as read."""

    start: int
    end: int


@dataclass
class Source:
    """One corpus document: its metadata and its text exactly as read from the file.

    `spans` are the parts of `text` that cleaning kept; everything downstream cuts from them,
    so offsets always point into the original text. The index reader's sources carry the
    metadata only: the index keeps passages, not whole files.
    """

    name: str
    text: str = ""
    spans: list[Span] = field(default_factory=list)
    title: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class Passage:
    """A paragraph-sized unit of a source with its sentences (all offsets into the source text)."""

    id: str
    source: str
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...]


@dataclass
class Citation:
    """One quoted piece of evidence, exactly the fields of CONTRACT.md."""

    n: int
    source: str
    title: str
    publisher: str
    date: str
    url: str
    quote: str
    passage: str
    start: int
    end: int
    score: float


@dataclass
class Hotline:
    """A verified help service, as listed in bot/data/hotlines.json."""

    name: str
    region: str
    phone: str = ""
    text: str = ""
    url: str = ""
    hours: str = ""
    purpose: str = ""
    kind: str = ""
    source: str = ""
    verified: str = ""
    # Languages the service speaks ("*": many, through interpreters), only where verified.
    languages: tuple[str, ...] = ()
    languages_note: str = ""
    languages_source: str = ""

    def speaks(self, language: str) -> bool:
        return "*" in self.languages or language in self.languages

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["languages"] = list(self.languages)
        return out


@dataclass
class HelpGroup:
    """Services shown inside a reply, after the fixed line that introduces them."""

    intro: str
    services: list[Hotline] = field(default_factory=list)


@dataclass
class Answer:
    """The reply to one question, as parts that bot.present renders for each medium.

    `text` is the Markdown rendering of the parts (CONTRACT.md); `to_dict()` is the contract's
    JSON object. Fixed wording in the parts may carry `**bold**` and "- " list lines, nothing
    else; corpus text only ever travels in `citations`.
    """

    status: Status
    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    hotlines: list[Hotline] = field(default_factory=list)
    disclaimer: str = ""
    suggestions: list[str] = field(default_factory=list)
    region: str = ""
    related: list[str] = field(default_factory=list)  # questions the corpus answers, to ask next
    language: str = "en"  # the message's language; other than "en", the reply is in it
    lead: str = ""  # the opening lines (for crisis, after the emergency number)
    help: list[HelpGroup] = field(default_factory=list)  # services inside the reply
    notes: list[str] = field(default_factory=list)  # fixed lines that follow, shown in full
    more: list[str] = field(default_factory=list)  # guidance that can wait (behind "more")
    quotes_lead: str = ""  # the line before the quotes

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "question": self.question,
            "text": self.text,
            "citations": [asdict(c) for c in self.citations],
            "hotlines": [h.to_dict() for h in self.hotlines],
            "disclaimer": self.disclaimer,
            "suggestions": list(self.suggestions),
            "region": self.region,
            "related": list(self.related),
            "language": self.language,
        }
