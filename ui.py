"""The web app: a calm chat that renders the answer layer's replies, with help always in reach.

    python ui.py [--host 127.0.0.1] [--port 7860]      (or BOT_HOST / BOT_PORT)

The app only RENDERS what `Bot.ask()` returns (the contract JSON of CONTRACT.md): no retrieval or
safety decision is taken here. Everything that comes from the corpus or from the person typing is
escaped before it reaches the page, so a document holding `<script>` shows as text.

Privacy: Gradio analytics, share links, run history and monitoring are off; the server binds
127.0.0.1 unless told otherwise; questions are never logged. The ask endpoint has a stable API
name, `/ask`, returning the contract JSON (see docs/ui.md).
"""

from __future__ import annotations

import os

# Before gradio is imported: it reads these at import time, and so does huggingface_hub, which it
# imports (its switch also silences transformers' progress bars; see bot.console).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("GRADIO_RUN_HISTORY", "False")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import argparse
import contextlib
import html
import json
import re
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gradio as gr

from bot import wording
from bot.answer import md_escape
from bot.console import quiet_libraries
from bot.documents import Document
from bot.hotlines import EMERGENCY, INTERNATIONAL, Directory, load_directory
from bot.records import Hotline

ASSETS = Path(__file__).resolve().parent / "bot" / "ui_assets"
API_NAME = "ask"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
# Where quick exit goes: a neutral page that says nothing about this one.
DEFAULT_EXIT_URL = "https://www.google.com/"

# ---------------------------------------------------------------------------------------------
# Escaping: every string from the corpus, the answer or the person goes through one of these
# (or, for Markdown, bot.answer.md_escape, which the replies use too).
# ---------------------------------------------------------------------------------------------


def esc(text: Any) -> str:
    """HTML-escape anything for an element's text or a quoted attribute."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: Any) -> str:
    """An http(s) link, or "" (no javascript:, data: or relative paths from a data file)."""
    url = str(url or "").strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def _one_line(html_text: str) -> str:
    """Markdown ends a raw HTML block at a blank line, so HTML put in a message has none."""
    return re.sub(r"\n\s*\n", "\n", html_text)


def _text_html(text: str) -> str:
    """Escaped text with its line breaks kept (for passages and documents)."""
    return "<br>".join(esc(line) for line in str(text).splitlines())


# ---------------------------------------------------------------------------------------------
# Rendering an answer (the contract dict) as one chat message.
# ---------------------------------------------------------------------------------------------


def citation_reference(c: dict[str, Any]) -> str:
    """A ready reference for students: author (date). Title. Link."""
    title = c.get("title") or f"{wording.UNTITLED} ({c.get('source', '')})"
    date = c.get("date") or wording.UI_NO_DATE
    head = f"{c['publisher']} ({date}). {title}." if c.get("publisher") else f"{title} ({date})."
    url = safe_url(c.get("url"))
    return f"{head} {url}" if url else head


def citation_copy_text(c: dict[str, Any]) -> str:
    """What "copy citation" puts on the clipboard: the quote, then its reference."""
    quote = " ".join(str(c.get("quote", "")).split())
    return f"“{quote}”\n{citation_reference(c)}"


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


def render_citation(c: dict[str, Any]) -> str:
    """A card: title, publisher and date; opens to the passage, view-in-source, copy, link.

    Gradio's sanitiser keeps `value` on buttons (not data-*), so the actions carry their data
    there, escaped like any other attribute.
    """
    title = c.get("title") or f"{wording.UNTITLED} ({c.get('source', '')})"
    meta = " · ".join(esc(x) for x in (c.get("publisher"), c.get("date")) if x)
    url = safe_url(c.get("url"))
    link = (
        f'<a class="cite-btn" href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
        f"{esc(wording.UI_OPEN_ARTICLE)}</a>"
        if url
        else ""
    )
    where = json.dumps({"source": c.get("source"), "start": c.get("start"), "end": c.get("end")})
    passage = highlight(c.get("passage", ""), c.get("quote", ""))
    return (
        f'<details class="cite">'
        f'<summary><span class="cite-n">{esc(c.get("n", ""))}</span>'
        f'<span class="cite-main"><span class="cite-title">{esc(title)}</span>'
        f"{f'<span class=cite-meta>{meta}</span>' if meta else ''}</span></summary>"
        f'<div class="cite-body">'
        f'<p class="cite-label">{esc(wording.UI_PASSAGE_LABEL)}</p>'
        f'<blockquote class="cite-passage">{passage}</blockquote>'
        f'<p class="cite-ref"><span class="cite-ref-label">{esc(wording.UI_REFERENCE_LABEL)}'
        f"</span> {esc(citation_reference(c))}</p>"
        f'<div class="cite-actions">'
        f'<button type="button" class="cite-btn cite-view" value="{esc(where)}">'
        f"{esc(wording.UI_VIEW_SOURCE)}</button>"
        f'<button type="button" class="cite-btn cite-copy" value="{esc(citation_copy_text(c))}">'
        f"{esc(wording.UI_COPY_CITATION)}</button>"
        f"{link}</div></div></details>"
    )


def _answer_body(answer: dict[str, Any]) -> str:
    """The reply's Markdown; for answers with cards, the plain source list is left to the cards."""
    text = str(answer.get("text", ""))
    if answer.get("citations"):
        cut = text.rfind(f"\n\n{wording.SOURCES_HEADING}")
        if cut > 0:
            text = text[:cut]
    return text


def render_answer(answer: dict[str, Any]) -> str:
    """One assistant message: status label, the reply, citation cards, the disclaimer."""
    status = str(answer.get("status", "no_answer"))
    label = wording.UI_STATUS.get(status, "")
    cards = ""
    if answer.get("citations"):
        heading = (
            wording.UI_SOURCES_HEADING if status != "no_answer" else wording.UI_RELATED_HEADING
        )
        cards = _one_line(
            f'<div class="cites"><p class="cites-heading">{esc(heading)}</p>'
            + "".join(render_citation(c) for c in answer["citations"])
            + "</div>"
        )
    disclaimer = answer.get("disclaimer") or ""
    parts = [
        f'<div class="reply reply--{esc(status)}">',
        f'<p class="reply-status">{esc(label)}</p>' if label else "",
        _answer_body(answer),
        cards,
        f'<p class="reply-disclaimer">{esc(disclaimer)}</p>' if disclaimer else "",
        "</div>",
    ]
    return "\n\n".join(p for p in parts if p)


# ---------------------------------------------------------------------------------------------
# The hotline panel. The directory is read in ONE place, `hotline_directory()`, from bot.hotlines.
# ---------------------------------------------------------------------------------------------


def hotline_directory() -> Directory:
    """The verified help services of bot/data/hotlines.json (a faulty file fails at start)."""
    return load_directory()


def region_choices(directory: Directory) -> list[tuple[str, str]]:
    """(label, code) pairs for the region selector, in the data file's order."""
    return [
        (
            wording.UI_REGION_ELSEWHERE if code == INTERNATIONAL else directory.region_name(code),
            code,
        )
        for code in directory.regions()
    ]


def _tel(phone: str) -> str:
    """A dialable tel: target from a display number ("1-888-373-7888 (TTY 711)" -> 18883737888)."""
    main = phone.split("(")[0]
    digits = re.sub(r"[^\d+]", "", main)
    return f"tel:{digits}" if digits else ""


def render_hotline(h: Hotline, directory: Directory | None = None, region: str = "") -> str:
    """One service: name, the ways to reach it (call, text, web), hours, what it is for."""
    emergency = h.kind == EMERGENCY
    ways = []
    if h.phone:
        call = esc(wording.UI_HOTLINE_CALL.format(phone=h.phone))
        tel = _tel(h.phone)
        ways.append(f'<a class="hl-call" href="{esc(tel)}">{call}</a>' if tel else call)
    elif emergency and not h.purpose:
        ways.append(f'<span class="hl-call">{esc(wording.UI_HOTLINE_LOCAL_EMERGENCY)}</span>')
    if h.text:
        ways.append(f'<span class="hl-text">{esc(h.text)}</span>')
    url = safe_url(h.url)
    if url:
        host = urlsplit(url).netloc.removeprefix("www.")
        ways.append(
            f'<a class="hl-web" href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
            f"{esc(host)}</a>"
        )
    if h.hours:
        ways.append(f'<span class="hl-hours">{esc(h.hours)}</span>')
    where = ""
    if directory is not None and not emergency and h.region not in (region, INTERNATIONAL):
        where = f' <span class="hl-region">({esc(directory.region_name(h.region))})</span>'
    purpose = f'<div class="hl-purpose">{esc(h.purpose)}</div>' if h.purpose else ""
    ways_html = f'<div class="hl-ways">{" · ".join(ways)}</div>' if ways else ""
    kind = " hotline--emergency" if emergency else ""
    return (
        f'<li class="hotline{kind}"><div class="hl-name">{esc(h.name)}{where}</div>'
        f"{ways_html}{purpose}</li>"
    )


def render_hotlines(directory: Directory, region: str | None) -> str:
    """The panel's list for a region: emergency number first, then the region's services."""
    code = directory.resolve(region)
    items = "".join(render_hotline(h, directory, code) for h in directory.for_region(code))
    return (
        f'<p class="hl-intro">{esc(wording.UI_HELP_INTRO)}</p>'
        f'<ul class="hotlines" aria-label="{esc(wording.UI_HELP_HEADING)}">{items}</ul>'
    )


# ---------------------------------------------------------------------------------------------
# "View in source": the cleaned document with the quote highlighted (bot.documents).
# ---------------------------------------------------------------------------------------------


def render_document(doc: Document | None, start: int, end: int) -> str:
    """The indexed document, escaped, paragraph by paragraph, with the quote marked."""
    if doc is None:
        return f'<p class="source-missing">{esc(wording.UI_SOURCE_MISSING)}</p>'
    title = doc.title or f"{wording.UNTITLED} ({doc.name})"
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
        else:
            body = _text_html(part.text)
        paragraphs.append(f"<p>{body}</p>")
    link = (
        f' · <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
        f"{esc(wording.UI_OPEN_ARTICLE)}</a>"
        if url
        else ""
    )
    return (
        f'<h2 class="source-title" id="source-title" tabindex="-1">'
        f"{esc(wording.UI_SOURCE_HEADING.format(title=title))}</h2>"
        f'<p class="source-meta">{meta}{link}</p>'
        f'<p class="source-note">{esc(wording.UI_SOURCE_NOTE)}</p>'
        f'<div class="source-text" tabindex="0" aria-labelledby="source-title">'
        f"{''.join(paragraphs)}</div>"
    )


def parse_source_request(raw: str) -> tuple[str, int, int] | None:
    """The browser's {"source", "start", "end"} request, checked; None when malformed."""
    try:
        data = json.loads(raw)
        return str(data["source"]), int(data["start"]), int(data["end"])
    except (ValueError, TypeError, KeyError):
        return None


# ---------------------------------------------------------------------------------------------
# The app.
# ---------------------------------------------------------------------------------------------


def _asset(name: str) -> str:
    """A file of bot/ui_assets/ (CSS and JS live beside the code, not in strings)."""
    return (ASSETS / name).read_text(encoding="utf-8")


def theme() -> gr.themes.Base:
    """Calm teal on white, readable contrast (primary buttons use the 700 shade)."""
    return gr.themes.Default(primary_hue="teal", neutral_hue="slate", radius_size="md").set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
        body_text_color_subdued="*neutral_600",
        input_placeholder_color="*neutral_500",
    )


def head_html(exit_url: str) -> str:
    """The page shell's style and script (quick exit, citation actions, focus), with the exit
    address and labels as data."""
    config = {
        "exitUrl": exit_url,
        "copied": wording.UI_COPIED,
        "copyFailed": wording.UI_COPY_FAILED,
        "cleared": wording.UI_CLEARED,
    }
    data = json.dumps(config).replace("<", "\\u003c")
    return (
        f"<style>\n{_asset('shell.css')}\n</style>\n"
        f"<script>window.CTB_UI = {data};</script>\n<script>\n{_asset('ui.js')}\n</script>"
    )


def _topbar(exit_url: str) -> str:
    """Disclaimer banner, "get help" and quick exit: one sticky bar, always on screen."""
    return (
        f'<div class="topbar">'
        f'<p class="topbar-banner">{esc(wording.UI_BANNER)}</p>'
        f'<a class="topbar-help" href="#help-panel">{esc(wording.UI_HELP_LINK)}</a>'
        f'<a class="quick-exit" id="quick-exit" href="{esc(exit_url)}" rel="noreferrer" '
        f'data-quick-exit title="{esc(wording.UI_QUICK_EXIT_LABEL)}" '
        f'aria-label="{esc(wording.UI_QUICK_EXIT_LABEL)}" aria-keyshortcuts="Escape Escape">'
        f"{esc(wording.UI_QUICK_EXIT)}</a>"
        f'<div id="ui-live" class="sr-only" aria-live="polite"></div></div>'
    )


def _examples() -> list[dict[str, str]]:
    """The example questions as Chatbot examples (shown while the conversation is empty)."""
    return [
        {"text": q, "display_text": f"{audience} · {q}"}
        for audience, questions in wording.UI_EXAMPLES.items()
        for q in questions
    ]


class _Blocks(gr.Blocks):
    """Gradio's positional HTTP API (`/gradio_api/call/ask` with `{"data": [...]}`, docs/ui.md)
    rejects a request that leaves out an optional parameter, with `{"error": null}` and a trace on
    the server. Here a left-out parameter takes its default (an empty region: the configured
    one), as gradio_client and the named `/gradio_api/call/v2/ask` already do."""

    async def preprocess_data(
        self, block_fn: Any, inputs: list[Any], *args: Any, **kwargs: Any
    ) -> list[Any]:
        defaults = [block.value for block in block_fn.inputs[len(inputs) :]]
        return await super().preprocess_data(block_fn, [*inputs, *defaults], *args, **kwargs)


_JS_ASKED = "() => { window.CTBUI && window.CTBUI.asked(); }"
_JS_ANSWERED = "() => { window.CTBUI && window.CTBUI.answered(); }"


def build_app(bot: Any, exit_url: str = DEFAULT_EXIT_URL) -> gr.Blocks:
    """The Blocks app over one Bot. Only `/ask` is public API; the page's events are private."""
    directory = hotline_directory()
    default_region = directory.resolve(bot.config.region)

    def answer(question: str | None, region: str | None) -> dict:
        """The contract JSON; a left-out question (None) is an empty one."""
        return bot.ask(question or "", region=region or None).to_dict()

    def ask(question: str, region: str = "") -> dict:
        """Answer a question with cited quotes; returns the contract JSON (see CONTRACT.md)."""
        try:
            return answer(question, region)
        except Exception as exc:  # a message for the caller; no trace (it may hold paths)
            print(f"ui: answering failed ({type(exc).__name__})", file=sys.stderr)
            raise gr.Error(wording.UI_ERROR, print_exception=False) from exc

    def take_question(question: str, history: list[dict]) -> tuple[str, list[dict], str]:
        question = (question or "").strip()
        if not question:
            return "", history, ""
        return "", [*history, {"role": "user", "content": md_escape(question)}], question

    def take_example(history: list[dict], event: gr.SelectData) -> tuple[str, list[dict], str]:
        value = event.value if isinstance(event.value, dict) else {}
        return take_question(str(value.get("text", "")), history)

    def respond(question: str, history: list[dict], region: str) -> list[dict]:
        if not question:
            return history
        try:
            content = render_answer(answer(question, region))
        except Exception as exc:  # never show a trace (it may hold paths) nor log the question
            print(f"ui: answering failed ({type(exc).__name__})", file=sys.stderr)
            content = f'<div class="reply reply--error">\n\n{esc(wording.UI_ERROR)}\n\n</div>'
        return [*history, {"role": "assistant", "content": content}]

    def show_source(raw: str) -> tuple[Any, str]:
        request = parse_source_request(raw)
        doc = bot.document(request[0]) if request else None
        start, end = (request[1], request[2]) if request else (0, 0)
        return gr.Column(visible=True), render_document(doc, start, end)

    private: dict[str, Any] = {"api_visibility": "private"}
    with _Blocks(title=wording.UI_PAGE_TITLE, analytics_enabled=False) as app:
        gr.HTML(_topbar(exit_url), elem_id="topbar")
        gr.Markdown(
            f"# {wording.UI_HEADING}\n\n{wording.UI_CAN_CANNOT}\n\n{wording.UI_PRIVACY}",
            elem_id="intro",
        )
        with gr.Row(equal_height=False, elem_id="main-row"):
            with gr.Column(scale=3, min_width=300, elem_id="chat-column"):
                chat = gr.Chatbot(
                    label=wording.UI_CHAT_LABEL,
                    show_label=False,
                    elem_id="chat",
                    height=520,
                    autoscroll=False,  # ui.js scrolls to the start of each reply instead
                    buttons=[],
                    feedback_options=None,
                    latex_delimiters=[],
                    placeholder=esc(wording.UI_CHAT_PLACEHOLDER),
                    examples=_examples(),
                    layout="bubble",
                    group_consecutive_messages=False,
                    allow_tags=False,
                )
                with gr.Row(equal_height=True, elem_id="ask-row"):
                    question = gr.Textbox(
                        label=wording.UI_INPUT_LABEL,
                        placeholder=wording.UI_INPUT_PLACEHOLDER,
                        lines=1,
                        max_lines=4,
                        scale=4,
                        min_width=200,
                        autofocus=True,
                        elem_id="question",
                        submit_btn=False,
                    )
                    send = gr.Button(
                        wording.UI_SEND, variant="primary", scale=1, min_width=80, elem_id="send"
                    )
                clear = gr.Button(wording.UI_CLEAR, size="sm", variant="secondary", elem_id="clear")
                with gr.Column(visible=False, elem_id="source-panel") as source_panel:
                    source_html = gr.HTML(elem_id="source-view")
                    close_source = gr.Button(
                        wording.UI_SOURCE_CLOSE, size="sm", elem_id="source-close"
                    )
                with gr.Accordion(wording.UI_EXAMPLES_HEADING, open=False, elem_id="examples"):
                    example_buttons = []
                    for audience, questions in wording.UI_EXAMPLES.items():
                        gr.Markdown(f"**{audience}**", elem_classes="example-audience")
                        example_buttons += [
                            gr.Button(q, size="sm", elem_classes="example-question")
                            for q in questions
                        ]
            with gr.Column(scale=2, min_width=260, elem_id="help-panel"):
                gr.Markdown(f"## {wording.UI_HELP_HEADING}", elem_id="help-heading")
                region = gr.Dropdown(
                    choices=region_choices(directory),
                    value=default_region,
                    label=wording.UI_REGION_LABEL,
                    info=wording.UI_REGION_INFO,
                    filterable=False,
                    elem_id="region",
                )
                hotlines = gr.HTML(render_hotlines(directory, default_region), elem_id="hotlines")
                gr.Markdown(wording.UI_QUICK_EXIT_HINT, elem_id="exit-hint")
        pending = gr.State("")
        # The bridge for "view in source": ui.js writes the request here and presses the button.
        source_request = gr.Textbox(visible="hidden", elem_id="source-request", label="source")
        source_go = gr.Button(visible="hidden", elem_id="source-go", value="source")

        gr.api(ask, api_name=API_NAME, concurrency_id="bot")

        def then_answer(event: Any) -> None:
            event.then(None, js=_JS_ASKED, **private).then(
                respond,
                [pending, chat, region],
                [chat],
                concurrency_id="bot",
                show_progress="minimal",
                **private,
            ).then(None, js=_JS_ANSWERED, **private)

        for trigger in (question.submit, send.click):
            then_answer(
                trigger(
                    take_question,
                    [question, chat],
                    [question, chat, pending],
                    queue=False,
                    **private,
                )
            )
        for button in example_buttons:
            then_answer(
                button.click(
                    take_question,
                    [button, chat],
                    [question, chat, pending],
                    queue=False,
                    **private,
                )
            )
        then_answer(
            chat.example_select(
                take_example, [chat], [question, chat, pending], queue=False, **private
            )
        )

        def cleared() -> tuple[list, str, str, Any, str]:
            return [], "", "", gr.Column(visible=False), ""

        clear_outputs = [chat, question, pending, source_panel, source_html]
        clear.click(
            cleared,
            None,
            clear_outputs,
            queue=False,
            js="() => { window.CTBUI && window.CTBUI.cleared(); return []; }",
            **private,
        )
        chat.clear(cleared, None, clear_outputs, queue=False, **private)
        region.change(
            lambda code: render_hotlines(directory, code), region, hotlines, queue=False, **private
        )
        source_go.click(
            show_source, source_request, [source_panel, source_html], queue=False, **private
        ).then(None, js="() => { window.CTBUI && window.CTBUI.sourceShown(); }", **private)
        close_source.click(
            lambda: (gr.Column(visible=False), ""),
            None,
            [source_panel, source_html],
            queue=False,
            js="() => { window.CTBUI && window.CTBUI.sourceClosed(); return []; }",
            **private,
        )
    return app


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """--host, --port and --exit-url, defaulting to BOT_HOST, BOT_PORT and BOT_EXIT_URL."""
    parser = argparse.ArgumentParser(description="Start the web app (builds the index if needed).")
    parser.add_argument(
        "--host",
        default=os.environ.get("BOT_HOST", DEFAULT_HOST),
        help=f"address to listen on (BOT_HOST; default {DEFAULT_HOST}: this computer only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BOT_PORT", DEFAULT_PORT)),
        help=f"port (BOT_PORT; default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--exit-url",
        default=os.environ.get("BOT_EXIT_URL", DEFAULT_EXIT_URL),
        help=f"the neutral page quick exit opens (BOT_EXIT_URL; default {DEFAULT_EXIT_URL})",
    )
    args = parser.parse_args(argv)
    if not safe_url(args.exit_url):
        parser.error(f"--exit-url must be an http(s) address, not {args.exit_url!r}")
    return args


def launch(
    bot: Any, host: str, port: int, exit_url: str = DEFAULT_EXIT_URL
) -> tuple[gr.Blocks, str]:
    """Start the server without blocking; returns the app and its local URL."""
    if not safe_url(exit_url):
        raise ValueError(f"--exit-url must be an http(s) address, not {exit_url!r}")
    app = build_app(bot, exit_url)
    # Bot.ask is thread safe (read-only index, ONNX session, locked caches): several at once.
    app.queue(default_concurrency_limit=bot.config.concurrency)
    _, url, _ = app.launch(
        server_name=host,
        server_port=port,
        share=False,
        quiet=True,
        show_error=False,
        prevent_thread_lock=True,
        footer_links=["api"],
        run_history=False,
        enable_monitoring=False,
        mcp_server=False,
        ssr_mode=False,
        pwa=False,
        theme=theme(),
        css=_asset("ui.css"),
        head=head_html(exit_url),
    )
    return app, url


def _preload() -> None:
    """Gradio switches matplotlib's backend (importing it, when installed) around every event,
    which costs about half a second the first time: pay that at start, in the background,
    rather than on the first question."""
    with contextlib.suppress(Exception):
        from gradio.utils import MatplotlibBackendMananger  # sic: Gradio's spelling

        with MatplotlibBackendMananger():
            pass


def main(argv: Sequence[str] | None = None) -> int:
    """Load (or build) the index, start the server, print the URL, serve until Ctrl+C."""
    args = parse_args(argv)
    t0 = time.perf_counter()
    print(wording.UI_STARTING, file=sys.stderr, flush=True)
    threading.Thread(target=_preload, daemon=True).start()
    from bot import Bot

    bot = Bot()
    bot.refresh_in_background()  # the corpus changed: answer from the live build meanwhile
    try:
        app, url = launch(bot, args.host, args.port, args.exit_url)
    except OSError:
        print(wording.UI_PORT_BUSY.format(host=args.host, port=args.port), file=sys.stderr)
        return 1
    print(wording.UI_READY.format(url=url), flush=True)
    print(f"(started in {time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
    app.block_thread()  # returns on Ctrl+C, after closing the server
    return 0


if __name__ == "__main__":
    quiet_libraries()
    sys.exit(main())
