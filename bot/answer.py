"""Composing answers: quotes with citations, or an honest "not in my sources".

Nothing factual is generated here: an answer is fixed lead lines, the quotes with their
citations, and the help that fits. The caller renders those parts (bot.present; the contract's
`text` is their Markdown) once it has added its own (related questions, notes).
"""

from __future__ import annotations

from bot import wording
from bot.conversation import TurnKind
from bot.records import Answer, Citation, Hotline, Source
from bot.retrieve import Retrieval, Retriever
from bot.safety import Reply, Triage, crisis_reply, language_reply, refusal_reply


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
        return _answer(status, _reply(language_reply(triage, hotlines)), common)
    if triage.kind == "refused":
        return _answer("refused", _reply(refusal_reply(hotlines)), common)
    relevant = retrieval is not None and is_relevant(retrieval)
    cits = citations(retrieval, retriever) if relevant else []
    if triage.kind == "crisis":
        reading = {"citations": cits, "quotes_lead": wording.CRISIS_READING_LEAD} if cits else {}
        return _answer("crisis", _reply(crisis_reply(triage, hotlines)) | reading, common)
    if cits:
        return _answer("answered", {"lead": wording.ANSWER_LEAD, "citations": cits}, common)
    if retrieval is None:
        return _answer("no_answer", {"lead": wording.INDEX_UNAVAILABLE}, common)
    if turn == "more" and retrieval.answerable:
        return _answer("no_answer", {"lead": wording.NO_MORE}, common)
    parts = {"lead": wording.NO_ANSWER_LEAD, "suggestions": list(wording.SUGGESTIONS)}
    return _answer("no_answer", parts, common)


def _reply(reply: Reply) -> dict:
    return {"lead": reply.lead, "help": reply.help, "notes": reply.notes, "more": reply.more}


def _answer(status: str, parts: dict, common: dict) -> Answer:
    """The Answer with its parts; `text` is left for the caller to render."""
    return Answer(status=status, text="", **parts, **common)  # type: ignore[arg-type]
