"""Composing answers: quotes with citations, or an honest "not in my sources".

Nothing factual is generated here: the reply is a fixed lead line, the quotes as block quotes
with their [n], and the numbered source list.
"""

from __future__ import annotations

import html
import re

from bot import wording
from bot.conversation import TurnKind
from bot.records import Answer, Citation, Hotline, Source
from bot.retrieve import Retrieval, Retriever
from bot.safety import Triage, crisis_text, language_text, refusal_text
from bot.text import squash

# Inline marks (links, images, code, emphasis, tables, HTML) are escaped wherever they are; block
# marks (headings, quotes, lists) only where they act, at the start of a line, so a quote in the
# CLI or the JSON still reads "modern-day slavery." and not "modern\-day slavery\.".
_INLINE = re.compile(r"([\\`*_\[\]~|])")
_BLOCK = re.compile(r"^([ \t]*)(?:([#+=-])|(\d+)([.)]))", re.MULTILINE)


def md_escape(text: str) -> str:
    """Show corpus text or a person's words literally in Markdown, line breaks kept.

    One escaper for the replies and the web app, so text from the corpus and from the person
    typing is equally unable to add links, images, HTML, emphasis, headings or lists. `&`, `<`
    and `>` become entities, so neither HTML, an entity nor a block quote can be formed.
    """
    escaped = _INLINE.sub(r"\\\1", "\n".join(html.escape(text, quote=False).splitlines()))
    return _BLOCK.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", escaped)


def _md_inline(text: str) -> str:
    """Escaped and on one line: a line break would end the block quote or the source's item."""
    return md_escape(squash(text))


def is_relevant(retrieval: Retrieval) -> bool:
    """The judge's call (bot.judge): the quotes answer the question, not merely share its words."""
    return bool(retrieval.hits) and retrieval.answerable


def citations(retrieval: Retrieval, retriever: Retriever) -> list[Citation]:
    index = retriever.index
    out = []
    for n, hit in enumerate(retrieval.hits, start=1):
        passage = index.passages[hit.passage]
        source = index.sources.get(passage.source) or Source(passage.source)
        out.append(
            Citation(
                n=n,
                source=passage.source,
                title=source.title,
                publisher=source.publisher,
                date=source.date,
                url=source.url,
                quote=retriever.quote_text(hit),
                passage=passage.text,
                start=hit.quote.start,
                end=hit.quote.end,
                score=round(float(hit.score), 4),
            )
        )
    return out


def source_line(c: Citation) -> str:
    title = c.title or f"{wording.UNTITLED} ({c.source})"
    details = ", ".join(x for x in (c.publisher, c.date) if x)
    return f"{c.n}. {_md_inline(title)}" + (f" — {_md_inline(details)}" if details else "")


def answered_text(cits: list[Citation]) -> str:
    quotes = "\n\n".join(f"> {_md_inline(c.quote)} [{c.n}]" for c in cits)
    sources = "\n".join(source_line(c) for c in cits)
    return f"{wording.ANSWER_LEAD}\n\n{quotes}\n\n{wording.SOURCES_HEADING}\n{sources}"


def no_answer_text() -> str:
    tips = "\n".join(f"- {s}" for s in wording.SUGGESTIONS)
    return f"{wording.NO_ANSWER_LEAD}\n\n{wording.SUGGESTIONS_LEAD}\n{tips}"


def compose(
    question: str,
    triage: Triage,
    retrieval: Retrieval | None,
    retriever: Retriever,
    hotlines: list[Hotline],
    region: str,
    turn: TurnKind = "new",
) -> Answer:
    """The answer for a triaged question. `retrieval` is None when the index was unreachable.

    Refusals carry no citations and no tactics. A person who may be in danger gets help first;
    relevant quotes may follow the help, never precede it. A message in another language gets
    a short reply in that language and no quotes. After "tell me more" (`turn`), a topic the
    sources cover but whose quotes have all been shown says so.
    """
    common = {
        "question": question,
        "hotlines": hotlines,
        "disclaimer": wording.DISCLAIMER,
        "region": region,
        "language": triage.language,
    }
    if triage.language != "en":  # the sources are English: help in the person's language
        status = {"refused": "refused", "crisis": "crisis"}.get(triage.kind, "no_answer")
        return Answer(status=status, text=language_text(triage, hotlines), **common)
    if triage.kind == "refused":
        return Answer(status="refused", text=refusal_text(hotlines), **common)
    relevant = retrieval is not None and is_relevant(retrieval)
    cits = citations(retrieval, retriever) if relevant else []
    if triage.kind == "crisis":
        text = crisis_text(triage, hotlines)
        if cits:
            text += f"\n\n---\n\n{wording.CRISIS_READING_LEAD}\n\n{answered_text(cits)}"
        return Answer(status="crisis", text=text, citations=cits, **common)
    if cits:
        return Answer(status="answered", text=answered_text(cits), citations=cits, **common)
    if retrieval is None:
        return Answer(status="no_answer", text=wording.INDEX_UNAVAILABLE, **common)
    if turn == "more" and retrieval.answerable:
        return Answer(status="no_answer", text=wording.NO_MORE, **common)
    return Answer(
        status="no_answer", text=no_answer_text(), suggestions=list(wording.SUGGESTIONS), **common
    )
