"""The web app: rendering is escaped and faithful, and `/ask` serves the contract JSON end to end.

The end-to-end tests call a real `python ui.py` server with gradio_client.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import fields
from pathlib import Path

import httpx
import pytest

from bot import present, wording
from bot.hotlines import INTERNATIONAL
from bot.records import Answer, Citation, HelpGroup, Hotline


def _load_ui():
    """ui.py lives at the repository root, outside the installed package."""
    spec = importlib.util.spec_from_file_location("ui", Path(__file__).parent.parent / "ui.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["ui"] = module
    spec.loader.exec_module(module)
    return module


ui = sys.modules.get("ui") or _load_ui()
CONTRACT_KEYS = {"status", "question", "text", "citations", "hotlines", "disclaimer"}
CITATION_KEYS = {f.name for f in fields(Citation)}
HOTLINE_KEYS = {"name", "phone", "text", "url", "region"}
CRISIS = "Someone I met online is threatening to post my nude photos unless I pay. I am scared."
REFUSED = "How can I groom a child online without getting caught?"
EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


# ------------------------------------------------------------------ rendering (no server) -----


def _citation(**changes: object) -> Citation:
    c = {
        "n": 1,
        "source": "a.txt",
        "title": "Grooming online",
        "publisher": "Example News",
        "date": "2024-01-02",
        "url": "https://example.org/a",
        "quote": "They build trust with gifts.",
        "passage": "Groomers pose as peers.\nThey build trust with gifts. Then they ask.",
        "start": 30,
        "end": 58,
        "score": 0.8,
    }
    c.update(changes)
    return Citation(**c)


def _answer(status: str = "answered", **changes: object) -> Answer:
    parts = {
        "status": status,
        "question": "q",
        "text": "",
        "lead": "A lead line.",
        "citations": [_citation()] if status == "answered" else [],
        "disclaimer": wording.DISCLAIMER,
    }
    parts.update(changes)
    return Answer(**parts)


def test_corpus_text_is_escaped_everywhere() -> None:
    c = _citation(title=EVIL, publisher=EVIL, passage=f"Before {EVIL} after.", quote=EVIL)
    html = present.html(_answer(citations=[c], question=EVIL, related=[EVIL]))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>&lt;script&gt;" in html  # the quote is still found and highlighted


def test_javascript_links_are_dropped() -> None:
    html = present.citation_html(_citation(url="javascript:alert(1)"))
    assert "javascript:" not in html
    assert present.safe_url("data:text/html,x") == "" and present.safe_url("/etc/passwd") == ""
    assert present.safe_url("https://example.org/a") == "https://example.org/a"


def test_user_text_is_shown_literally() -> None:
    shown = present.md_escape("<b>hi</b> *there* [x](javascript:1)")
    assert "<b>" not in shown and "&lt;b&gt;" in shown
    assert r"\*there\*" in shown and r"\[x\]" in shown


def test_an_answer_shows_its_quotes_once_and_its_sources_as_cards() -> None:
    html = present.html(_answer())
    assert html.count("They build trust with gifts.") == 3  # quote, passage, copy button
    assert wording.SOURCES_HEADING not in html
    assert 'class="cite"' in html and "Grooming online" in html and "Example News" in html
    assert "<mark>They build trust with gifts.</mark>" in html
    assert wording.DISCLAIMER in html
    assert "reply--answered" in html


def test_the_reply_is_one_html_block() -> None:
    """Markdown ends a raw HTML block at a blank line; the whole reply must stay one block."""
    c = _citation(passage="One.\n\n\nThey build trust with gifts.\n\nTwo.")
    assert "\n\n" not in present.html(_answer(citations=[c]))


@pytest.mark.parametrize("status", ["no_answer", "refused", "crisis"])
def test_each_status_is_labelled_and_styled(status: str) -> None:
    html = present.html(_answer(status, lead="Some **text**."))
    assert f"reply--{status}" in html and wording.UI_STATUS[status] in html
    assert "Some <strong>text</strong>." in html


def test_suggestions_and_related_questions_are_buttons_that_ask() -> None:
    html = present.html(_answer("no_answer", suggestions=["Who?"], related=["Why & how?"]))
    assert '<button type="button" class="ask-btn" value="Who?">Who?</button>' in html
    assert 'value="Why &amp; how?"' in html


def test_related_questions_are_in_the_contract() -> None:
    answer = _answer(related=["What is sextortion?"])
    assert answer.to_dict()["related"] == ["What is sextortion?"]
    assert "What is sextortion?" in present.markdown(answer)


def test_the_disclaimer_is_one_short_line() -> None:
    assert "\n" not in wording.DISCLAIMER and len(wording.DISCLAIMER.split()) <= 25


def test_plain_text_shows_quotes_as_written_without_marks() -> None:
    c = _citation(quote="Modern-day *slavery* <b>now</b>.")
    text = present.plain(_answer(citations=[c], lead="A **lead**."))
    assert "“Modern-day *slavery* <b>now</b>.” [1]" in text
    assert "A lead." in text and "**" not in text and "\\" not in text


def test_a_crisis_reply_leads_with_the_number_and_three_services_the_rest_behind_more() -> None:
    services = [Hotline(name=f"Line {i}", region="US", phone=f"1-800-000-000{i}") for i in range(5)]
    emergency = Hotline(name="Emergency services", region="US", phone="911", kind="emergency")
    answer = _answer(
        "crisis", hotlines=[emergency, *services], help=[HelpGroup("", services)], region="US"
    )
    html = present.html(answer)
    before, after = html.split('<details class="reply-more">', 1)
    assert before.index('href="tel:911"') < before.index("Line 0")
    assert [f"Line {i}" in before for i in range(5)] == [True] * 3 + [False] * 2
    assert "Line 3" in after and "Line 4" in after
    assert 'href="tel:18000000000"' in before


def test_quote_found_across_white_space() -> None:
    html = present.highlight("They  build\ntrust with gifts.", "They build trust with gifts.")
    assert html.startswith("<mark>") and html.endswith("</mark>")


def test_references_in_apa_and_mla_carry_publisher_date_link_and_access_date() -> None:
    c = _citation()
    assert present.reference_apa(c, "May 1, 2026") == (
        "Example News. (2024, January 2). Grooming online. "
        "Retrieved May 1, 2026, from https://example.org/a."
    )
    assert present.reference_mla(c, "1 May. 2026") == (
        "Example News. “Grooming online.” 2 Jan. 2024, https://example.org/a. Accessed 1 May. 2026."
    )
    bare = _citation(publisher="", date="", url="", title="")
    assert present.reference_apa(bare, "X").startswith(f"{wording.UNTITLED} (a.txt). (n.d.).")


def test_the_access_date_is_left_for_the_browser() -> None:
    html = present.citation_html(_citation())
    assert '<span class="accessed-apa">' in html and '<span class="accessed-mla">' in html


def test_hotlines_emergency_first_with_dialable_numbers() -> None:
    directory = ui.hotline_directory()
    html = present.help_panel_html(directory, "US")
    assert html.index("hotline--emergency") < html.index("National Human Trafficking Hotline")
    assert 'href="tel:911"' in html and 'href="tel:18883737888"' in html
    assert 'href="sms:233733"' in html
    assert present.region_choices(directory)[-1] == (wording.UI_REGION_ELSEWHERE, "international")


def test_the_top_bar_carries_the_regions_emergency_number() -> None:
    directory = ui.hotline_directory()
    assert 'href="tel:999"' in present.topbar_html(directory, "UK", "https://example.org/")
    assert "tel:" not in present.topbar_html(directory, "international", "https://example.org/")


def test_hotline_text_is_escaped() -> None:
    evil = Hotline(name=EVIL, region="US", phone="1 <b>2</b>", url="javascript:x", purpose=EVIL)
    html = present.hotline_html(evil)
    assert "<script" not in html and "<b>" not in html and "javascript:" not in html


def test_source_requests_are_checked() -> None:
    assert ui.parse_source_request('{"source": "a.txt", "start": "3", "end": 9}') == ("a.txt", 3, 9)
    for bad in ["", "nope", "{}", '{"source": "a", "start": "x", "end": 1}', "[1]"]:
        assert ui.parse_source_request(bad) is None


def test_view_in_source_serves_indexed_documents_only(bot) -> None:
    name = bot.ask("How do traffickers use Instagram?").citations[0].source
    doc = bot.document(name)
    assert doc is not None and doc.parts
    assert [p.start for p in doc.parts] == sorted(p.start for p in doc.parts)
    for bad in ["../pyproject.toml", "/etc/passwd", "", "manifest.json", f"../corpus/{name}"]:
        assert bot.document(bad) is None
    assert wording.UI_SOURCE_MISSING in present.document_html(None, 0, 0)


def test_view_in_source_marks_the_quote_inside_its_paragraph(bot) -> None:
    c = bot.ask("How do traffickers use Instagram?").citations[0]
    html = present.document_html(bot.document(c.source), c.start, c.end)
    paragraph = html.split('id="source-passage">', 1)[1].split("</p>", 1)[0]
    marked = paragraph.split('<mark id="source-mark">', 1)[1].split("</mark>", 1)[0]
    assert " ".join(marked.replace("<br>", " ").split()) == " ".join(present.esc(c.quote).split())


# ------------------------------------------------------------- end to end: gradio_client -----


@pytest.fixture(scope="module")
def client(ui_server):
    from gradio_client import Client

    return Client(ui_server.url, verbose=False)


def _check_contract(answer: dict, question: str) -> None:
    assert set(answer) >= CONTRACT_KEYS
    assert answer["question"] == question
    assert isinstance(answer["text"], str) and answer["text"]
    assert answer["disclaimer"]
    for c in answer["citations"]:
        assert set(c) >= CITATION_KEYS
    for h in answer["hotlines"]:
        assert set(h) >= HOTLINE_KEYS
    json.dumps(answer)  # plain JSON all the way down


def test_only_ask_is_public_api(client) -> None:
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {f"/{ui.API_NAME}"}


def test_ask_answered(client) -> None:
    question = "How do traffickers use Instagram?"
    answer = client.predict(question, "US", api_name="/ask")
    _check_contract(answer, question)
    assert answer["status"] == "answered" and answer["citations"]
    assert answer["citations"][0]["n"] == 1


def test_ask_no_answer(client) -> None:
    question = "What is the boiling point of water on Mount Everest?"
    answer = client.predict(question, "", api_name="/ask")
    _check_contract(answer, question)
    assert answer["status"] == "no_answer" and not answer["citations"]


def test_ask_takes_the_conversations_earlier_questions(client) -> None:
    question = "What about Snapchat?"
    history = ["How do traffickers use Instagram?"]
    answer = client.predict(question, "US", history, api_name="/ask")
    _check_contract(answer, question)
    assert isinstance(answer["related"], list)


def test_ask_region_reaches_the_answer(client) -> None:
    answer = client.predict("How do traffickers use Instagram?", "UK", api_name="/ask")
    assert answer.get("region") == "UK"


def test_ask_crisis(client) -> None:
    answer = client.predict(CRISIS, "US", api_name="/ask")
    _check_contract(answer, CRISIS)
    assert answer["status"] == "crisis"
    assert answer["hotlines"]
    assert "911" in answer["text"].split("\n\n")[0]  # help leads


def test_ask_refused(client) -> None:
    answer = client.predict(REFUSED, "UK", api_name="/ask")
    _check_contract(answer, REFUSED)
    assert answer["status"] == "refused"
    assert answer["hotlines"] and not answer["citations"]


def _call_over_http(ui_server, data: list) -> tuple[str, object]:
    """docs/ui.md's curl: POST the positional data, then read the event stream; (event, data)."""
    url = f"{ui_server.url}gradio_api/call/{ui.API_NAME}"
    event_id = httpx.post(url, json={"data": data}, timeout=10).json()["event_id"]
    stream = httpx.get(f"{url}/{event_id}", timeout=120).text
    last = [block for block in stream.split("\n\n") if block.startswith("event:")][-1]
    event, payload = (line.split(": ", 1)[1] for line in last.splitlines()[:2])
    return event, json.loads(payload)


def test_ask_over_http_without_a_region_uses_the_default(ui_server) -> None:
    event, data = _call_over_http(ui_server, ["How do traffickers use Instagram?"])
    assert event == "complete"
    assert data[0]["status"] == "answered" and data[0]["region"] == INTERNATIONAL


def test_ask_over_http_with_history(ui_server) -> None:
    data = ["What about Snapchat?", "US", ["How do traffickers use Instagram?"]]
    event, answer = _call_over_http(ui_server, data)
    assert event == "complete" and answer[0]["question"] == "What about Snapchat?"


def test_ask_over_http_errors_carry_a_message(ui_server) -> None:
    event, data = _call_over_http(ui_server, ["What is sextortion?", ["not", "a", "region"]])
    assert event == "error" and data["error"] == wording.UI_ERROR


def test_no_file_system_paths_in_the_page(ui_server, built_index) -> None:
    secrets = {str(built_index.index_dir), str(built_index.corpus_dir), str(Path.home())}
    for path in ["", "config", "gradio_api/info"]:
        body = httpx.get(ui_server.url + path, timeout=10).text
        assert not [s for s in secrets if s in body], path


def test_nothing_is_logged(ui_server, client) -> None:
    question = "How do traffickers use encrypted messaging apps? marker-7f3a"
    client.predict(question, "", api_name="/ask")
    logs = ui_server.out.read_text() + ui_server.err.read_text()
    assert "marker-7f3a" not in logs
