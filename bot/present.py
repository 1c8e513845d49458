"""One presentation layer: an Answer's parts as Markdown (the contract's `text`), as HTML for the
web app and as plain text for the command line; and the app's other pieces of HTML (the hotline
panel, citation cards, the source viewer).

Nothing is decided here, only shown. Everything from the corpus, the hotline file or the person
typing is escaped on the way out (`esc` for HTML, `md_escape` for Markdown); fixed wording from
bot/wording.py may carry `**bold**`, which becomes <strong>, and nothing else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from html import escape as _html_escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot import wording
from bot.hotlines import EMERGENCY, INTERNATIONAL, Directory
from bot.records import Answer, Citation, HelpGroup, Hotline
from bot.text import squash

if TYPE_CHECKING:
    from bot.documents import Document

# At most this many services lead a crisis reply in the app; the rest wait behind "more".
CRISIS_SERVICES_SHOWN = 3

# ---------------------------------------------------------------------------------------------
# Escaping.
# ---------------------------------------------------------------------------------------------

# Inline marks (links, images, code, emphasis, tables, HTML) are escaped wherever they are; block
# marks (headings, quotes, lists) only where they act, at the start of a line, so a quote in the
# CLI or the JSON still reads "modern-day slavery." and not "modern\-day slavery\.".
_INLINE = re.compile(r"([\\`*_\[\]~|])")
_BLOCK = re.compile(r"^([ \t]*)(?:([#+=-])|(\d+)([.)]))", re.MULTILINE)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def md_escape(text: str) -> str:
    """Show corpus text or a person's words literally in Markdown, line breaks kept.

    One escaper for the replies and the web app, so text from the corpus and from the person
    typing is equally unable to add links, images, HTML, emphasis, headings or lists. `&`, `<`
    and `>` become entities, so neither HTML, an entity nor a block quote can be formed.
    """
    escaped = _INLINE.sub(r"\\\1", "\n".join(_html_escape(text, quote=False).splitlines()))
    return _BLOCK.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", escaped)


def _md_inline(text: str) -> str:
    """Escaped and on one line: a line break would end the block quote or the list item."""
    return md_escape(squash(text))


def esc(text: Any) -> str:
    """HTML-escape anything for an element's text or a quoted attribute."""
    return _html_escape("" if text is None else str(text), quote=True)


def safe_url(url: Any) -> str:
    """An http(s) link, or "" (no javascript:, data: or relative paths from a data file)."""
    url = str(url or "").strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def fixed_html(text: str) -> str:
    """Fixed wording as HTML: escaped, its `**bold**` made <strong>."""
    return _BOLD.sub(r"<strong>\1</strong>", esc(text))


def _fixed_plain(text: str) -> str:
    """Fixed wording for a terminal: the bold marks dropped."""
    return _BOLD.sub(r"\1", text)


def _text_html(text: str) -> str:
    """Escaped text with its line breaks kept (for passages and documents)."""
    return "<br>".join(esc(line) for line in str(text).splitlines())


# ---------------------------------------------------------------------------------------------
# Help services.
# ---------------------------------------------------------------------------------------------


def region_label(code: str, words: dict[str, str] | None = None) -> str:
    """A region's name in English, or in the language of `words` (bot.wording.translated)."""
    if words is None:
        return wording.REGION_LABELS.get(code, code)
    return words.get(f"region_{code}", code)


def tel_target(phone: str) -> str:
    """A dialable tel: target from a display number ("1-888-373-7888 (TTY 711)" -> 18883737888)."""
    digits = re.sub(r"[^\d+]", "", phone.split("(")[0])
    return f"tel:{digits}" if digits else ""


def sms_target(hotline: Hotline) -> str:
    """An sms: target when the service's own text says where to text ("text 233733", "text the
    same number"); "" otherwise: a number is never guessed."""
    named = re.search(r"\btext (\d[\d ]*\d)", hotline.text)
    if named:
        return "sms:" + re.sub(r"\D", "", named[1])
    if "text the same number" in hotline.text and hotline.phone:
        return "sms:" + tel_target(hotline.phone).removeprefix("tel:")
    return ""


def _where(hotline: Hotline, region: str, words: dict[str, str] | None = None) -> str:
    """The service's country when it is not the region's own (or worldwide)."""
    if hotline.kind == EMERGENCY or hotline.region in (region, INTERNATIONAL):
        return ""
    return region_label(hotline.region, words)


def hotline_markdown(hotline: Hotline, words: dict[str, str] | None = None) -> str:
    """One Markdown list line: name, region, phone, text/chat, link, hours, what it is for.

    With `words` (a language's fixed replies) the region is named in that language and the
    English parts (the call verb, hours, purpose) are left out. The directory is verified staff
    data, checked at load, so it is written as it is (the HTML renderers escape it).
    """
    english = words is None
    ways = []
    if hotline.phone:
        ways.append(wording.HOTLINE_CALL.format(phone=hotline.phone) if english else hotline.phone)
    ways += [x for x in (hotline.text, hotline.url) if x]
    if hotline.hours and english:
        ways.append(hotline.hours)
    line = f"- **{hotline.name}** ({region_label(hotline.region, words)})"
    if ways:
        line += ": " + " · ".join(ways)
    if hotline.purpose and hotline.kind != EMERGENCY and english:
        line += f". {hotline.purpose}"
    return line


def hotline_html(hotline: Hotline, region: str = "", full: bool = True) -> str:
    """One service as a list item: name, tappable call and text links, web, hours, purpose.

    `full=False` keeps the name and the ways to reach it (the short list a crisis reply leads
    with); the panel and "more" show everything.
    """
    emergency = hotline.kind == EMERGENCY
    ways = []
    if hotline.phone:
        call = esc(wording.UI_HOTLINE_CALL.format(phone=hotline.phone))
        tel = tel_target(hotline.phone)
        ways.append(f'<a class="hl-call" href="{esc(tel)}">{call}</a>' if tel else call)
    elif emergency and not hotline.purpose:
        ways.append(f'<span class="hl-call">{esc(wording.UI_HOTLINE_LOCAL_EMERGENCY)}</span>')
    if hotline.text:
        sms = sms_target(hotline)
        text = esc(hotline.text)
        ways.append(
            f'<a class="hl-text" href="{esc(sms)}">{text}</a>'
            if sms
            else f'<span class="hl-text">{text}</span>'
        )
    url = safe_url(hotline.url)
    if url:
        host = urlsplit(url).netloc.removeprefix("www.")
        ways.append(
            f'<a class="hl-web" href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
            f"{esc(host)}</a>"
        )
    if hotline.hours and full:
        ways.append(f'<span class="hl-hours">{esc(hotline.hours)}</span>')
    where = _where(hotline, region)
    where_html = f' <span class="hl-region">({esc(where)})</span>' if where else ""
    purpose = (
        f'<div class="hl-purpose">{esc(hotline.purpose)}</div>' if hotline.purpose and full else ""
    )
    ways_html = f'<div class="hl-ways">{" · ".join(ways)}</div>' if ways else ""
    kind = " hotline--emergency" if emergency else ""
    return (
        f'<li class="hotline{kind}"><div class="hl-name">{esc(hotline.name)}{where_html}</div>'
        f"{ways_html}{purpose}</li>"
    )


def hotlines_html(
    hotlines: Iterable[Hotline], region: str, full: bool = True, label: str = ""
) -> str:
    """A list of services (empty string for none), named for screen readers when `label`."""
    items = "".join(hotline_html(h, region, full) for h in hotlines)
    named = f' aria-label="{esc(label)}"' if label else ""
    return f'<ul class="hotlines"{named}>{items}</ul>' if items else ""


def emergency_number(hotlines: Sequence[Hotline]) -> Hotline | None:
    """The first emergency service with a number, or None (no region chosen)."""
    return next((h for h in hotlines if h.kind == EMERGENCY and h.phone), None)


def _emergency_lines(answer: Answer) -> list[str]:
    """A crisis reply's opening in English: the region's emergency number, or the advice to call
    the local one and to choose a region. Fixed wording, with the number as `{phone}`."""
    first = emergency_number(answer.hotlines)
    if first is None:
        return [wording.CRISIS_EMERGENCY_LOCAL, wording.CRISIS_CHOOSE_REGION]
    return [wording.CRISIS_EMERGENCY.replace("{region}", region_label(first.region))]


def _leads_with_emergency(answer: Answer) -> bool:
    return answer.status == "crisis" and answer.language == "en"


def _crisis_services(answer: Answer) -> tuple[list[Hotline], list[Hotline]]:
    """The services a crisis reply leads with (at most three), and the ones that can wait."""
    services = [h for g in answer.help for h in g.services]
    return services[:CRISIS_SERVICES_SHOWN], services[CRISIS_SERVICES_SHOWN:]


def _words(answer: Answer) -> dict[str, str] | None:
    return None if answer.language == "en" else wording.translated(answer.language)


def _by_number(services: Sequence[Hotline], words: dict[str, str] | None) -> dict[str, str]:
    """Emergency numbers, each with the regions it serves ("911": "United States, Canada")."""
    regions: dict[str, list[str]] = {}
    for h in services:
        regions.setdefault(h.phone, []).append(region_label(h.region, words))
    return {phone: ", ".join(names) for phone, names in regions.items()}


def _group_markdown(group: HelpGroup, words: dict[str, str] | None) -> str:
    if all(h.kind == EMERGENCY for h in group.services):  # the numbers, each with its regions
        lines = [f"- **{p}** ({r})" for p, r in _by_number(group.services, words).items()]
    else:
        lines = [hotline_markdown(h, words) for h in group.services]
    return "\n".join([group.intro, *lines] if group.intro else lines)


# ---------------------------------------------------------------------------------------------
# An answer as Markdown (the contract's `text`), plain text (CLI) and HTML (the app).
# ---------------------------------------------------------------------------------------------


def source_title(title: str, source: str) -> str:
    return title or f"{wording.UNTITLED} ({source})"


def _source_line(c: Citation, escape: bool = True) -> str:
    """ "1. Title — publisher, date", escaped for Markdown unless it is for a terminal."""
    shown = _md_inline if escape else squash
    details = ", ".join(x for x in (c.publisher, c.date) if x)
    line = f"{c.n}. {shown(source_title(c.title, c.source))}"
    return line + (f" — {shown(details)}" if details else "")


def _quotes_markdown(citations: Sequence[Citation]) -> str:
    quotes = "\n\n".join(f"> {_md_inline(c.quote)} [{c.n}]" for c in citations)
    sources = "\n".join(_source_line(c) for c in citations)
    return f"{quotes}\n\n{wording.SOURCES_HEADING}\n{sources}"


def _questions_markdown(lead: str, questions: Sequence[str]) -> str:
    return "\n".join([lead, *(f"- {md_escape(q)}" for q in questions)])


def markdown(answer: Answer) -> str:
    """The reply as Markdown, every part in reading order (CONTRACT.md's `text`)."""
    words = _words(answer)
    parts: list[str] = []
    if _leads_with_emergency(answer):
        first = emergency_number(answer.hotlines)
        parts += [
            line.replace("{phone}", first.phone if first else "")
            for line in _emergency_lines(answer)
        ]
    parts.append(answer.lead)  # `text` is made from the parts: no fallback to itself here
    if _leads_with_emergency(answer):
        shown, rest = _crisis_services(answer)
        parts.append("\n".join(hotline_markdown(h) for h in shown))
        parts += answer.notes
        if rest or answer.more:
            parts.append(f"**{wording.CRISIS_MORE}**")
            parts.append("\n".join(hotline_markdown(h) for h in rest))
        parts += answer.more
    else:
        parts += [_group_markdown(g, words) for g in answer.help]
        parts += answer.notes + answer.more
    if answer.suggestions:
        parts.append(_questions_markdown(wording.SUGGESTIONS_LEAD, answer.suggestions))
    if answer.citations:
        if answer.quotes_lead:
            parts += ["---", answer.quotes_lead]
        parts.append(_quotes_markdown(answer.citations))
    if answer.related:
        parts.append(_questions_markdown(wording.RELATED_LEAD, answer.related))
    return "\n\n".join(p for p in parts if p)


def _hotline_plain(hotline: Hotline) -> str:
    contact = " · ".join(x for x in (hotline.phone, hotline.text, hotline.url) if x)
    return f"- {hotline.name}: {contact}" if contact else f"- {hotline.name}"


def plain(answer: Answer) -> str:
    """The reply for a terminal: the same parts as `markdown`, without marks or escapes, then
    the help lines (when the reply has none of its own) and the one-line disclaimer."""
    parts: list[str] = []
    if _leads_with_emergency(answer):
        first = emergency_number(answer.hotlines)
        parts += [
            _fixed_plain(line.replace("{phone}", first.phone if first else ""))
            for line in _emergency_lines(answer)
        ]
    parts.append(_fixed_plain(answer.lead))
    if _leads_with_emergency(answer):
        shown, rest = _crisis_services(answer)
        parts.append("\n".join(_hotline_plain(h) for h in shown))
        parts += [_fixed_plain(p) for p in answer.notes]
        if rest or answer.more:
            parts.append(f"{wording.CRISIS_MORE}:")
            parts.append("\n".join(_hotline_plain(h) for h in rest))
        parts += [_fixed_plain(p) for p in answer.more]
    else:
        for group in answer.help:
            lines = [_hotline_plain(h) for h in group.services]
            parts.append("\n".join([_fixed_plain(group.intro), *lines] if group.intro else lines))
        parts += [_fixed_plain(p) for p in answer.notes + answer.more]
    if answer.suggestions:
        parts.append("\n".join([wording.SUGGESTIONS_LEAD, *(f"- {q}" for q in answer.suggestions)]))
    if answer.citations:
        if answer.quotes_lead:
            parts.append(answer.quotes_lead)
        parts.append("\n\n".join(f"“{squash(c.quote)}” [{c.n}]" for c in answer.citations))
        sources = [_source_line(c, escape=False) for c in answer.citations]
        parts.append("\n".join([wording.SOURCES_HEADING, *sources]))
    if answer.related:
        parts.append("\n".join([wording.RELATED_LEAD, *(f"- {q}" for q in answer.related)]))
    # A service with no number, text or link (the international "your local emergency number")
    # would be a line with nothing to call; the disclaimer says that in words.
    reachable = [h for h in answer.hotlines if h.phone or h.text or h.url]
    if reachable and not answer.help:
        lines = [_hotline_plain(h) for h in reachable[:4]]
        parts.append("\n".join([wording.CLI_HELP_HEADING, *lines]))
    parts.append(answer.disclaimer)
    return "\n\n".join(p for p in parts if p)


def _ask_buttons(lead: str, questions: Sequence[str], kind: str) -> str:
    """Questions as buttons that ask them (ui.js sends a button's value as the question)."""
    buttons = "".join(
        f'<button type="button" class="ask-btn" value="{esc(q)}">{esc(q)}</button>'
        for q in questions
    )
    return f'<div class="asks asks--{kind}"><p class="asks-lead">{esc(lead)}</p>{buttons}</div>'


def _group_html(group: HelpGroup, region: str, words: dict[str, str] | None) -> str:
    intro = f"<p>{fixed_html(group.intro)}</p>" if group.intro else ""
    if words is not None and all(h.kind == EMERGENCY for h in group.services):
        items = "".join(
            f'<li class="hotline hotline--emergency"><a class="hl-call" '
            f'href="{esc(tel_target(p))}">{esc(p)}</a> ({esc(r)})</li>'
            for p, r in _by_number(group.services, words).items()
        )
        return f'{intro}<ul class="hotlines">{items}</ul>'
    return intro + hotlines_html(group.services, region)


def html(answer: Answer) -> str:
    """One chat message: status label, the reply, quotes with citation cards, questions to ask
    next, the one-line disclaimer. One raw HTML block (no blank line), so Markdown leaves it be.
    """
    status = answer.status
    words = _words(answer)
    label = wording.UI_STATUS.get(status, "")
    out = [f'<div class="reply reply--{esc(status)}">']
    out.append(f'<p class="reply-question">{esc(answer.question)}</p>')
    if label:
        out.append(f'<p class="reply-status">{esc(label)}</p>')
    if _leads_with_emergency(answer):
        first = emergency_number(answer.hotlines)
        for line in _emergency_lines(answer):
            link = (
                f'<a class="hl-call" href="{esc(tel_target(first.phone))}">{esc(first.phone)}</a>'
                if first
                else ""
            )
            out.append(
                f'<p class="reply-emergency">{fixed_html(line).replace("{phone}", link)}</p>'
            )
    if answer.lead:
        out.append(f'<p class="reply-lead">{fixed_html(answer.lead)}</p>')
    more_services = ""
    if _leads_with_emergency(answer):
        shown, rest = _crisis_services(answer)
        out.append(hotlines_html(shown, answer.region, full=False))
        more_services = hotlines_html(rest, answer.region)
    else:
        out += [_group_html(g, answer.region, words) for g in answer.help]
    out += [f"<p>{fixed_html(n)}</p>" for n in answer.notes]
    more = "".join(f"<p>{fixed_html(m)}</p>" for m in answer.more)
    if _leads_with_emergency(answer) and (more or more_services):
        out.append(
            f'<details class="reply-more"><summary>{esc(wording.CRISIS_MORE)}</summary>'
            f"{more_services}{more}</details>"
        )
    else:
        out.append(more)
    if answer.suggestions:
        out.append(_ask_buttons(wording.SUGGESTIONS_LEAD, answer.suggestions, "suggestions"))
    if answer.citations:
        if answer.quotes_lead:
            out.append(f'<p class="reply-reading">{esc(answer.quotes_lead)}</p>')
        out += [
            f'<blockquote class="reply-quote">{esc(squash(c.quote))} '
            f'<span class="quote-n">[{esc(c.n)}]</span></blockquote>'
            for c in answer.citations
        ]
        heading = (
            wording.UI_SOURCES_HEADING if status != "no_answer" else wording.UI_RELATED_HEADING
        )
        out.append(
            f'<div class="cites"><p class="cites-heading">{esc(heading)}</p>'
            + "".join(citation_html(c) for c in answer.citations)
            + "</div>"
        )
    if answer.related:
        out.append(_ask_buttons(wording.RELATED_LEAD, answer.related, "related"))
    if answer.disclaimer:
        out.append(f'<p class="reply-disclaimer">{esc(answer.disclaimer)}</p>')
    out.append("</div>")
    return "".join(out)


def error_html() -> str:
    """The message shown when answering failed (never a trace)."""
    return (
        f'<div class="reply reply--error"><p class="reply-lead">{esc(wording.UI_ERROR)}</p></div>'
    )


# ---------------------------------------------------------------------------------------------
# Citations: cards, references (APA and MLA) and the source viewer.
# ---------------------------------------------------------------------------------------------

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def reference_apa(c: Citation, accessed: str) -> str:
    """APA-style reference: who. (date). Title. Retrieved <accessed>, from URL."""
    title = source_title(c.title, c.source)
    day = _iso_date(c.date)
    when = c.date or wording.UI_NO_DATE
    if day:
        when = f"{day.year}, {_MONTHS[day.month - 1]} {day.day}"
    url = safe_url(c.url)
    retrieved = f"Retrieved {accessed}, from {url}" if url else f"Retrieved {accessed}"
    head = f"{c.publisher}. ({when}). {title}." if c.publisher else f"{title}. ({when})."
    return f"{head} {retrieved}."


def reference_mla(c: Citation, accessed: str) -> str:
    """MLA-style reference: who. "Title." date, URL. Accessed <accessed>."""
    title = source_title(c.title, c.source)
    day = _iso_date(c.date)
    when = f"{day.day} {_MONTHS[day.month - 1][:3]}. {day.year}" if day else c.date
    tail = ", ".join(x for x in (when, safe_url(c.url)) if x)
    who = f"{c.publisher}. " if c.publisher else ""
    return f"{who}“{title}.” " + (f"{tail}. " if tail else "") + f"Accessed {accessed}."


def _reference_html(reference: Callable[[Citation, str], str], c: Citation, style: str) -> str:
    """A reference, escaped, with a slot for the access date: the reader's today, which the
    browser fills in (ui.js), so the server never needs to know it."""
    slot = f'<span class="accessed-{style}">{esc(wording.UI_ACCESSED_FALLBACK)}</span>'
    return esc(reference(c, "\x00")).replace("\x00", slot)


def highlight(passage: str, quote: str) -> str:
    """The passage, escaped, with the quote marked (found verbatim, or modulo white space)."""
    passage, quote = str(passage), str(quote).strip()
    start = passage.find(quote) if quote else -1
    end = start + len(quote)
    if start < 0 and quote:
        pattern = r"\s+".join(re.escape(w) for w in quote.split())
        match = re.search(pattern, passage)
        if match:
            start, end = match.span()
    if start < 0:
        return _text_html(passage)
    return (
        _text_html(passage[:start])
        + f"<mark>{_text_html(passage[start:end])}</mark>"
        + _text_html(passage[end:])
    )


def citation_html(c: Citation) -> str:
    """A card: title, publisher and date; opens to the passage, the references (APA and MLA),
    view in source, copy and the link.

    Gradio's sanitiser keeps `value` on buttons (not data-*), so the actions carry their data
    there, escaped like any other attribute.
    """
    title = source_title(c.title, c.source)
    meta = " · ".join(esc(x) for x in (c.publisher, c.date) if x)
    url = safe_url(c.url)
    link = (
        f'<a class="cite-btn" href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
        f"{esc(wording.UI_OPEN_ARTICLE)}</a>"
        if url
        else ""
    )
    where = json.dumps({"source": c.source, "start": c.start, "end": c.end})
    apa = _reference_html(reference_apa, c, "apa")
    mla = _reference_html(reference_mla, c, "mla")
    return (
        f'<details class="cite">'
        f'<summary><span class="cite-n">{esc(c.n)}</span>'
        f'<span class="cite-main"><span class="cite-title">{esc(title)}</span>'
        f"{f'<span class=cite-meta>{meta}</span>' if meta else ''}</span></summary>"
        f'<div class="cite-body">'
        f'<p class="cite-label">{esc(wording.UI_PASSAGE_LABEL)}</p>'
        f'<blockquote class="cite-passage">{highlight(c.passage, c.quote)}</blockquote>'
        f'<p class="cite-ref-label">{esc(wording.UI_REFERENCE_LABEL)}</p>'
        f'<p class="cite-ref cite-ref-apa"><span class="cite-style">APA</span> {apa}</p>'
        f'<p class="cite-ref cite-ref-mla"><span class="cite-style">MLA</span> {mla}</p>'
        f'<div class="cite-actions">'
        f'<button type="button" class="cite-btn cite-view" value="{esc(where)}">'
        f"{esc(wording.UI_VIEW_SOURCE)}</button>"
        f'<button type="button" class="cite-btn cite-copy" value="{esc(squash(c.quote))}">'
        f"{esc(wording.UI_COPY_CITATION)}</button>"
        f"{link}</div></div></details>"
    )


def document_html(doc: Document | None, start: int, end: int) -> str:
    """The indexed document, escaped, paragraph by paragraph. The paragraph that holds the quote
    is marked as the passage, with the quoted words highlighted inside it."""
    if doc is None:
        return f'<p class="source-missing">{esc(wording.UI_SOURCE_MISSING)}</p>'
    meta = " · ".join(esc(x) for x in (doc.publisher, doc.date) if x)
    url = safe_url(doc.url)
    paragraphs = []
    for part in doc.parts:
        if part.start <= start and end <= part.end and start < end:
            a, b = start - part.start, end - part.start
            body = (
                _text_html(part.text[:a])
                + f'<mark id="source-mark">{_text_html(part.text[a:b])}</mark>'
                + _text_html(part.text[b:])
            )
            paragraphs.append(f'<p class="source-passage" id="source-passage">{body}</p>')
        else:
            paragraphs.append(f"<p>{_text_html(part.text)}</p>")
    link = (
        f' · <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
        f"{esc(wording.UI_OPEN_ARTICLE)}</a>"
        if url
        else ""
    )
    title = source_title(doc.title, doc.name)
    return (
        f'<h2 class="source-title" id="source-title" tabindex="-1">'
        f"{esc(wording.UI_SOURCE_HEADING.format(title=title))}</h2>"
        f'<p class="source-meta">{meta}{link}</p>'
        f'<p class="source-note">{esc(wording.UI_SOURCE_NOTE)}</p>'
        f'<div class="source-text" tabindex="0" aria-labelledby="source-title">'
        f"{''.join(paragraphs)}</div>"
    )


# ---------------------------------------------------------------------------------------------
# The page around the answers: top bar, opening, help panel, the empty chat, export.
# ---------------------------------------------------------------------------------------------


def intro_html() -> str:
    """The page's opening: the screen readers' live region, the disclaimer (shown on phones,
    where the top bar has no room for it), the heading, what it can and cannot do, privacy."""
    return (
        '<div id="ui-live" class="sr-only" aria-live="polite"></div>'
        f'<p class="intro-banner">{esc(wording.UI_BANNER)}</p>'
        f"<h1>{esc(wording.UI_HEADING)}</h1>"
        f"<p>{fixed_html(wording.UI_CAN_CANNOT)}</p>"
        f"<p>{fixed_html(wording.UI_PRIVACY)}</p>"
    )


def region_choices(directory: Directory) -> list[tuple[str, str]]:
    """(label, code) pairs for the region selector, in the data file's order."""
    return [
        (
            wording.UI_REGION_ELSEWHERE if code == INTERNATIONAL else directory.region_name(code),
            code,
        )
        for code in directory.regions()
    ]


def region_html(directory: Directory, region: str) -> str:
    """The help panel's heading and a native <select> of regions (it never opens by itself on
    focus, and phones show their own picker); ui.js passes its value to the app."""
    options = "".join(
        f'<option value="{esc(code)}"{" selected" if code == region else ""}>{esc(label)}</option>'
        for label, code in region_choices(directory)
    )
    return (
        f'<h2 id="help-heading" tabindex="-1">{esc(wording.UI_HELP_HEADING)}</h2>'
        f'<label class="region-label" for="region-select">{esc(wording.UI_REGION_LABEL)}</label>'
        f'<p class="region-info" id="region-info">{esc(wording.UI_REGION_INFO)}</p>'
        f'<select id="region-select" aria-describedby="region-info">{options}</select>'
    )


def help_panel_html(directory: Directory, region: str | None) -> str:
    """The panel's list for a region, emergency number first, under a line naming the region."""
    code = directory.resolve(region)
    shown = (
        wording.UI_REGION_SHOWING_NONE
        if code == INTERNATIONAL
        else wording.UI_REGION_SHOWING.format(region=directory.region_name(code))
    )
    return (
        f'<p class="region-showing"><span class="region-name">{esc(shown)}</span> · '
        f'<button type="button" class="region-change" '
        f'aria-label="{esc(wording.UI_REGION_CHANGE_LABEL)}">'
        f"{esc(wording.UI_REGION_CHANGE)}</button></p>"
        f'<p class="hl-intro">{esc(wording.UI_HELP_INTRO)}</p>'
        + hotlines_html(directory.for_region(code), code, label=wording.UI_HELP_HEADING)
    )


def topbar_html(directory: Directory, region: str | None, exit_url: str) -> str:
    """The sticky bar: the skip link, the full disclaimer, the region's emergency number
    (tappable), "Get help" and quick exit. On phones it keeps to one row of buttons and the
    disclaimer leads the page instead."""
    code = directory.resolve(region)
    first = emergency_number(directory.emergency(code))
    call = (
        f'<a class="topbar-call" href="{esc(tel_target(first.phone))}" '
        f'aria-label="{esc(wording.UI_TOPBAR_CALL_LABEL.format(phone=first.phone))}">'
        f"{esc(wording.UI_TOPBAR_CALL.format(phone=first.phone))}</a>"
        if first
        else (
            f'<span class="topbar-call topbar-call--none">{esc(wording.UI_TOPBAR_NO_NUMBER)}</span>'
        )
    )
    return (
        f'<a class="skip-link" href="#question">{esc(wording.UI_SKIP_LINK)}</a>'
        f'<div class="topbar">'
        f'<p class="topbar-banner">{esc(wording.UI_BANNER)}</p>'
        f'<div class="topbar-actions">{call}'
        f'<a class="topbar-help" href="#help-heading">{esc(wording.UI_HELP_LINK)}</a>'
        f'<a class="quick-exit" id="quick-exit" href="{esc(exit_url)}" rel="noreferrer" '
        f'data-quick-exit title="{esc(wording.UI_QUICK_EXIT_LABEL)}" '
        f'aria-label="{esc(wording.UI_QUICK_EXIT_LABEL)}" aria-keyshortcuts="Escape Escape">'
        f"{esc(wording.UI_QUICK_EXIT)}</a></div></div>"
    )


def chat_start_html() -> str:
    """What the empty chat shows: what to ask, and the example questions as buttons."""
    groups = "".join(
        f'<div class="asks asks--examples"><p class="asks-lead">{esc(audience)}</p>'
        + "".join(
            f'<button type="button" class="ask-btn" value="{esc(q)}">{esc(q)}</button>'
            for q in questions
        )
        + "</div>"
        for audience, questions in wording.UI_EXAMPLES.items()
    )
    return f'<div class="chat-start"><p>{esc(wording.UI_CHAT_PLACEHOLDER)}</p>{groups}</div>'


def export_html() -> str:
    """Export the conversation: Markdown, or a printable page (both made by ui.js)."""
    return (
        f'<div class="export-actions">'
        f'<button type="button" class="cite-btn" id="export-md">{esc(wording.UI_EXPORT)}</button>'
        f'<button type="button" class="cite-btn" id="export-print">'
        f"{esc(wording.UI_EXPORT_PRINT)}</button></div>"
    )
