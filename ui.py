"""The web app: Gradio wiring around the answers, with help always in reach.

    python ui.py [--host 127.0.0.1] [--port 7860]      (or BOT_HOST / BOT_PORT)

The app only wires: `Bot.ask()` answers (with the conversation's earlier questions), bot.present
draws every piece of HTML (escaping everything from the corpus or the person typing, so a
document holding `<script>` shows as text), and bot/ui_assets/ holds the look and the page's
behaviour. No retrieval or safety decision is taken here, and the answer's text is never read.

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
import json
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from bot import present, wording
from bot.console import quiet_libraries
from bot.hotlines import Directory, load_directory, load_region_guesses
from bot.present import md_escape, safe_url

ASSETS = Path(__file__).resolve().parent / "bot" / "ui_assets"
API_NAME = "ask"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
# Where quick exit goes: a neutral page that says nothing about this one.
DEFAULT_EXIT_URL = "https://www.google.com/"


# ---------------------------------------------------------------------------------------------
# The directory is read in ONE place, `hotline_directory()`, from bot.hotlines; every piece of
# HTML comes from bot.present.
# ---------------------------------------------------------------------------------------------


def hotline_directory() -> Directory:
    """The verified help services of bot/data/hotlines.json (a faulty file fails at start)."""
    return load_directory()


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


def head_html(exit_url: str, default_region: str) -> str:
    """The page shell's style and script (quick exit, asking by button, citations, export,
    region guess, focus), with the labels and the region table as data."""
    config = {
        "exitUrl": exit_url,
        "defaultRegion": default_region,
        "guessed": wording.UI_REGION_GUESSED,
        "regionGuess": load_region_guesses(),
        "copied": wording.UI_COPIED,
        "copyFailed": wording.UI_COPY_FAILED,
        "cleared": wording.UI_CLEARED,
        "exportTitle": wording.UI_EXPORT_TITLE,
        "exportQuestion": wording.UI_EXPORT_QUESTION,
        "exportReferences": wording.UI_EXPORT_REFERENCES,
        "exportEmpty": wording.UI_EXPORT_EMPTY,
        "exportNote": wording.UI_EXPORT_NOTE,
        "print": wording.UI_EXPORT_PRINT_NOW,
    }
    data = json.dumps(config).replace("<", "\\u003c")
    return (
        f"<style>\n{_asset('shell.css')}\n</style>\n"
        f"<script>window.CTB_UI = {data};</script>\n<script>\n{_asset('ui.js')}\n</script>"
    )


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

    def answer(question: str | None, region: str | None, history: list[str] | None) -> Any:
        """The Answer; a left-out question (None) is an empty one."""
        asked = [str(q) for q in history or []]
        return bot.ask(question or "", region=region or None, history=asked)

    def ask(question: str, region: str = "", history: list[str] | None = None) -> dict:
        """Answer a question with cited quotes; `history` is the person's earlier questions in
        this conversation, oldest first. Returns the contract JSON (see CONTRACT.md)."""
        try:
            if history is not None and not isinstance(history, list):
                raise TypeError("history must be a list of questions")
            return answer(question, region, history).to_dict()
        except Exception as exc:  # a message for the caller; no trace (it may hold paths)
            print(f"ui: answering failed ({type(exc).__name__})", file=sys.stderr)
            raise gr.Error(wording.UI_ERROR, print_exception=False) from exc

    def take_question(question: str, chat: list[dict]) -> tuple[str, list[dict], str]:
        question = (question or "").strip()
        if not question:
            return "", chat, ""
        return "", [*chat, {"role": "user", "content": md_escape(question)}], question

    def respond(
        question: str, chat: list[dict], region: str, asked: list[str]
    ) -> tuple[list[dict], list[str]]:
        if not question:
            return chat, asked
        try:
            content = present.html(answer(question, region, asked))
        except Exception as exc:  # never show a trace (it may hold paths) nor log the question
            print(f"ui: answering failed ({type(exc).__name__})", file=sys.stderr)
            content = present.error_html()
        return [*chat, {"role": "assistant", "content": content}], [*asked, question]

    def show_source(raw: str) -> tuple[Any, str]:
        request = parse_source_request(raw)
        doc = bot.document(request[0]) if request else None
        start, end = (request[1], request[2]) if request else (0, 0)
        return gr.Column(visible=True), present.document_html(doc, start, end)

    private: dict[str, Any] = {"api_visibility": "private"}
    with _Blocks(title=wording.UI_PAGE_TITLE, analytics_enabled=False) as app:
        topbar = gr.HTML(present.topbar_html(directory, default_region, exit_url), elem_id="topbar")
        gr.HTML(present.intro_html(), elem_id="intro")
        with gr.Row(equal_height=False, elem_id="main-row"):
            with gr.Column(scale=3, min_width=300, elem_id="chat-column"):
                chat = gr.Chatbot(
                    label=wording.UI_CHAT_LABEL,
                    show_label=False,
                    elem_id="chat",
                    height=560,
                    autoscroll=False,  # ui.js brings the start of each reply into view instead
                    buttons=[],
                    feedback_options=None,
                    latex_delimiters=[],
                    placeholder=present.chat_start_html(),
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
                        elem_id="question",
                        submit_btn=False,
                    )
                    send = gr.Button(
                        wording.UI_SEND, variant="primary", scale=1, min_width=80, elem_id="send"
                    )
                with gr.Row(elem_id="chat-actions"):
                    clear = gr.Button(
                        wording.UI_CLEAR, size="sm", variant="secondary", elem_id="clear"
                    )
                    gr.HTML(present.export_html(), elem_id="export")
                with gr.Column(visible=False, elem_id="source-panel") as source_panel:
                    source_html = gr.HTML(elem_id="source-view")
                    close_source = gr.Button(
                        wording.UI_SOURCE_CLOSE, size="sm", elem_id="source-close"
                    )
            with gr.Column(scale=2, min_width=260, elem_id="help-panel"):
                gr.HTML(present.region_html(directory, default_region), elem_id="region")
                hotlines = gr.HTML(
                    present.help_panel_html(directory, default_region), elem_id="hotlines"
                )
                gr.Markdown(wording.UI_QUICK_EXIT_HINT, elem_id="exit-hint")
        pending = gr.State("")
        asked = gr.State([])  # this conversation's questions, in this session only
        # Bridges from the page: ui.js writes the region or a "view in source" request here.
        region = gr.Textbox(default_region, visible="hidden", elem_id="region-code", label="region")
        source_request = gr.Textbox(visible="hidden", elem_id="source-request", label="source")
        source_go = gr.Button(visible="hidden", elem_id="source-go", value="source")

        gr.api(ask, api_name=API_NAME, concurrency_id="bot")

        for trigger in (question.submit, send.click):
            trigger(
                take_question,
                [question, chat],
                [question, chat, pending],
                queue=False,
                **private,
            ).then(None, js=_JS_ASKED, **private).then(
                respond,
                [pending, chat, region, asked],
                [chat, asked],
                concurrency_id="bot",
                show_progress="minimal",
                **private,
            ).then(None, js=_JS_ANSWERED, **private)

        def cleared() -> tuple[list, str, str, list, Any, str]:
            return [], "", "", [], gr.Column(visible=False), ""

        clear_outputs = [chat, question, pending, asked, source_panel, source_html]
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
            lambda code: (
                present.help_panel_html(directory, code),
                present.topbar_html(directory, code, exit_url),
            ),
            region,
            [hotlines, topbar],
            queue=False,
            **private,
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
        head=head_html(exit_url, hotline_directory().resolve(bot.config.region)),
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
    bot.check_related_in_background()  # questions to ask next, checked once per build
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
