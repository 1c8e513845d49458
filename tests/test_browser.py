"""The web app in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Without the browser (or axe-core, `npm install axe-core`) these tests skip on a workstation but
FAIL under CI=true, so CI can never pass them silently. They run at a desktop size (1366x900) and a
phone size (390x844). Screenshots and timings go to artifacts/ (git-ignored); with
UPDATE_SCREENSHOT=1 the README's docs/screenshot-desktop.png and docs/screenshot-phone.png are
refreshed too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot import wording
from bot.config import Config

REPO = Path(__file__).resolve().parent.parent
UI_EXIT_URL = "https://quick-exit.example/"  # as in conftest.py: the tests answer it themselves
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "artifacts"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
OFF_TOPIC = "What is the boiling point of water on Mount Everest?"
REFUSED = "How can I groom a child online without getting caught?"
EXAMPLE = "How can parents protect children from online predators?"
CRISIS = "Someone I met online is threatening to post my nude photos unless I pay. I am scared."
NEUTRAL_PAGE = "<!doctype html><title>Weather</title><p>Sunny, 21 degrees.</p>"
TIMINGS: dict[str, float] = {}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def context(playwright, tmp_path_factory: pytest.TempPathFactory):
    """One browser with a new, empty profile; the quick-exit site is answered locally."""
    ctx = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport=DESKTOP,
    )
    ctx.route(
        f"{UI_EXIT_URL}**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE),
    )
    yield ctx
    ctx.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "ui-timings.json").write_text(json.dumps(TIMINGS, indent=2) + "\n")


@pytest.fixture
def page(context, ui_server):
    """A fresh tab on the app, ready for typing; every request it makes is recorded."""
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    t0 = time.perf_counter()
    tab.goto(ui_server.url)
    tab.wait_for_selector("#question textarea", state="visible")
    tab.wait_for_selector(".hotline", state="visible")
    TIMINGS.setdefault("page_usable_after_navigation_s", round(time.perf_counter() - t0, 3))
    TIMINGS.setdefault("server_ready_after_spawn_s", round(ui_server.startup_seconds, 3))
    yield tab
    tab.close()


def _ask(page, question: str, count: int = 1) -> float:
    """Type a question, press Enter, wait for reply number `count`; returns the seconds taken."""
    page.fill("#question textarea", question)
    t0 = time.perf_counter()
    page.press("#question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('#chat .reply').length >= {count}")
    return time.perf_counter() - t0


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def _choose_region(page, code: str, number: str) -> None:
    page.select_option("#region-select", code)
    page.wait_for_selector(f".hotline--emergency a[href='tel:{number}']")


def _top_of_view(page) -> float:
    """Where the page's visible area starts under the sticky bar."""
    return (
        max(0, page.locator("#topbar").bounding_box()["y"])
        + page.locator("#topbar").bounding_box()["height"]
    )


def _first_line_in_view(page, element) -> bool:
    """The element's first line is inside the window, below the sticky bar, and inside the
    chat's scrolling box."""
    page.wait_for_timeout(400)  # ui.js scrolls once the reply is drawn
    box = element.bounding_box()
    chat = page.locator("#chat").bounding_box()
    height = page.viewport_size["height"]
    line = box["y"] + 24
    return (
        _top_of_view(page) <= box["y"]
        and line <= height
        and chat["y"] <= box["y"] < (chat["y"] + chat["height"] - 24)
    )


def test_page_shows_disclaimer_hotlines_and_quick_exit(page) -> None:
    banner = page.locator(".topbar-banner")
    assert banner.is_visible() and "not an emergency service" in banner.inner_text().lower()
    assert page.locator("#quick-exit").is_visible()
    first = page.locator(".hotline").first
    assert "hotline--emergency" in first.get_attribute("class")
    _choose_region(page, "US", "911")
    assert page.locator(".hotline--emergency a[href='tel:911']").is_visible()
    assert page.locator(".topbar a[href='tel:911']").is_visible()
    # The page fetches nothing from anywhere but the app itself (no analytics, fonts or CDNs).
    outside = [u for u in page.requests if not u.startswith(("http://127.0.0.1", "data:"))]
    assert outside == []
    _shot(page, "ui-start.png")


def test_example_question_shows_an_answer_with_citations(page) -> None:
    t0 = time.perf_counter()
    page.locator("#chat .ask-btn").first.click()
    page.wait_for_selector("#chat .reply--answered .cite")
    TIMINGS["example_answer_shown_s"] = round(time.perf_counter() - t0, 3)
    assert EXAMPLE in page.locator("#chat").inner_text()
    assert page.locator("#chat .reply--answered .cite").count() >= 1


def test_citation_opens_to_the_passage_and_the_source(page, ui_server) -> None:
    _choose_region(page, "US", "911")
    elapsed = _ask(page, "How do traffickers use Instagram?")
    TIMINGS["typed_answer_shown_s"] = round(elapsed, 3)
    card = page.locator("#chat .cite").first
    card.locator("summary").click()
    mark = card.locator(".cite-passage mark")
    mark.wait_for(state="visible")
    assert len(mark.inner_text()) > 20
    card.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")  # the page from the top, the chat at the open card
    _shot(page, "ui-answer.png")
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        shutil.copy(ARTIFACTS / "ui-answer.png", REPO / "docs" / "screenshot-desktop.png")

    card.locator(".cite-view").click()
    source_mark = page.locator("#source-passage #source-mark")
    source_mark.wait_for(state="visible")
    assert " ".join(source_mark.inner_text().split()) == " ".join(mark.inner_text().split())
    passage = page.locator("#source-passage").bounding_box()
    text_box = page.locator(".source-text").bounding_box()
    assert text_box["y"] <= passage["y"] < text_box["y"] + text_box["height"]  # opens at it
    _shot(page, "ui-source.png")
    page.locator("#source-close").click()
    source_mark.wait_for(state="detached")


def test_copy_citation(page, context) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    _ask(page, "How do traffickers use Instagram?")
    card = page.locator("#chat .cite").first
    card.locator("summary").click()
    card.locator(".cite-copy").click()
    page.wait_for_function("document.querySelector('.cite-copy').innerText.includes('copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("“") and card.locator(".cite-title").inner_text() in copied


def test_follow_up_questions_and_clear(page) -> None:
    _ask(page, "How do traffickers use Instagram?", 1)
    _ask(page, "And how do they use encrypted messaging apps?", 2)
    assert page.locator("#chat .reply").count() == 2
    page.locator("#clear").click()
    page.wait_for_function("document.querySelectorAll('#chat .reply').length === 0")
    assert "Instagram" not in page.locator("#chat").inner_text()


def _tab_to(page, key: str, focused: str, presses: int) -> bool:
    """Press `key` until the script `focused` is true of the focused element (at most `presses`)."""
    for _ in range(presses):
        page.keyboard.press(key)
        if page.evaluate(focused):
            return True
    return False


def test_keyboard_only(page) -> None:
    page.locator("body").focus()
    question = "document.activeElement.closest('#question') !== null"
    if not _tab_to(page, "Tab", question, 40):
        pytest.fail("the question box cannot be reached with Tab")
    page.keyboard.type("How do traffickers use Instagram?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat .reply .cite")
    # Back from the question box to the first citation, then open it with Enter.
    if not _tab_to(page, "Shift+Tab", "document.activeElement.matches('.cite summary')", 80):
        pytest.fail("no citation can be reached with the keyboard")
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat .cite[open] .cite-passage mark")


def test_references_carry_todays_access_date(page) -> None:
    _ask(page, "How do traffickers use Instagram?")
    card = page.locator("#chat .cite").first
    card.locator("summary").click()
    year = str(page.evaluate("new Date().getFullYear()"))
    apa = card.locator(".cite-ref-apa").inner_text()
    mla = card.locator(".cite-ref-mla").inner_text()
    assert apa.startswith("APA") and mla.startswith("MLA")
    assert apa.rstrip(".").split("Retrieved ")[1].split(",")[1].strip().startswith(year)
    assert "Accessed" in mla and mla.rstrip(".").endswith(year)


def test_narrow_phone_screen(page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    _ask(page, "How do traffickers use the dark web?")
    page.locator("#chat .cite summary").first.click()
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    exit_box = page.locator("#quick-exit").bounding_box()
    assert exit_box and exit_box["x"] + exit_box["width"] <= 375
    page.mouse.wheel(0, 1500)  # the bar stays on screen while scrolling
    assert page.locator("#quick-exit").is_visible()
    box = page.locator("#quick-exit").bounding_box()
    assert box and 0 <= box["y"] < 800
    _shot(page, "ui-phone.png")


# Text whose contrast with its background is under WCAG AA (4.5:1, or 3:1 for large text).
LOW_CONTRAST_JS = r"""() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {  // the colours behind el, blended down to opaque
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let out = { r: 255, g: 255, b: 255 };
    for (const c of layers.reverse()) {
      out = { r: c.r * c.a + out.r * (1 - c.a), g: c.g * c.a + out.g * (1 - c.a),
              b: c.b * c.a + out.b * (1 - c.a) };
    }
    return out;
  };
  const bad = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el || seen.has(el)) continue;
    seen.add(el);
    const box = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (!box.width || !box.height || cs.visibility === "hidden") continue;
    if (el.closest("[aria-hidden=true], .sr-only, footer")) continue;
    const fg = parse(cs.color);
    if (!fg) continue;
    const [l1, l2] = [lum(fg), lum(background(el))];
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(cs.fontSize);
    const large = size >= 24 || (parseInt(cs.fontWeight) >= 600 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      bad.push([el.tagName, el.textContent.trim().slice(0, 40), ratio.toFixed(2)]);
    }
  }
  return bad;
}"""


def test_text_contrast_meets_wcag_aa(page) -> None:
    assert page.evaluate(LOW_CONTRAST_JS) == []
    _ask(page, "How do traffickers use Instagram?")
    page.locator("#chat .cite summary").first.click()
    assert page.evaluate(LOW_CONTRAST_JS) == []


@pytest.mark.parametrize("how", ["button", "escape twice"])
def test_quick_exit_leaves_and_back_does_not_return(context, ui_server, how: str) -> None:
    page = context.new_page()
    page.goto("about:blank")
    page.goto(ui_server.url)
    page.wait_for_selector("#question textarea")
    if how == "button":
        page.locator("#quick-exit").click()
    else:
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    page.wait_for_url(f"{UI_EXIT_URL}**", timeout=5000)
    assert "Sunny" in page.content()
    page.go_back()
    assert not page.url.startswith(ui_server.url)
    page.close()


def test_crisis_message_shows_help_first(page) -> None:
    _choose_region(page, "US", "911")
    _ask(page, CRISIS)
    reply = page.locator("#chat .reply").last
    assert "reply--crisis" in reply.get_attribute("class")
    lines = [line for line in reply.inner_text().splitlines() if line.strip()]
    assert lines[0] == wording.UI_STATUS["crisis"]
    assert "911" in lines[1] and "emergency" in lines[1].lower(), lines[:3]  # help leads
    assert _first_line_in_view(page, reply)
    _shot(page, "ui-crisis.png")


def test_crisis_reply_leads_with_tappable_numbers_and_keeps_the_rest_behind_more(page) -> None:
    _choose_region(page, "US", "911")
    _ask(page, CRISIS)
    reply = page.locator("#chat .reply").last
    assert reply.locator(".reply-emergency a").get_attribute("href") == "tel:911"
    lead = reply.locator(":scope > ul.hotlines > li")
    assert 1 <= lead.count() <= 3
    assert reply.locator(
        ":scope > ul.hotlines a[href^='tel:'], :scope > ul a[href^='sms:']"
    ).count()
    more = reply.locator("details.reply-more")
    assert not more.get_attribute("open")
    words_before_more = page.evaluate(
        """(reply) => { const c = reply.cloneNode(true); const d = c.querySelector('details');
        while (d && d.nextSibling) d.nextSibling.remove(); if (d) d.remove();
        c.querySelectorAll('.reply-question').forEach((q) => q.remove());
        return c.textContent.split(/\\s+/).filter(Boolean).length; }""",
        reply.element_handle(),
    )
    assert words_before_more <= 125


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_first_line_of_every_new_reply_is_in_view(page, size) -> None:
    page.set_viewport_size(size)
    for n, question in enumerate(["How do traffickers use Instagram?", CRISIS, OFF_TOPIC], 1):
        _ask(page, question, n)
        assert _first_line_in_view(page, page.locator("#chat .reply").nth(n - 1)), question


def test_phone_layout_keeps_its_place_and_a_short_bar(context, ui_server) -> None:
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(ui_server.url)
    page.wait_for_selector("#question textarea")
    page.wait_for_timeout(800)
    assert page.evaluate("window.scrollY") == 0  # no jump to the question box
    assert page.locator("#intro h1").is_visible()
    assert page.locator("#topbar").bounding_box()["height"] <= 64
    chat = page.locator("#chat").bounding_box()
    assert chat["height"] >= PHONE["height"] - 64 - 120  # the chat takes the height left
    _shot(page, "ui-phone-start.png")
    _ask(page, "How do traffickers use the dark web?")
    page.wait_for_timeout(400)
    _shot(page, "ui-phone-answer.png")
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        shutil.copy(ARTIFACTS / "ui-phone-answer.png", REPO / "docs" / "screenshot-phone.png")
    page.close()


@pytest.mark.parametrize(
    ("locale", "zone", "number", "name"),
    [
        ("en-GB", "Europe/London", "999", "United Kingdom"),
        ("en-US", "America/Chicago", "911", "United States"),
        ("en-AU", "Australia/Sydney", "000", "Australia"),
    ],
)
def test_the_region_is_guessed_from_the_browser_and_said(
    playwright, ui_server, tmp_path, locale, zone, number, name
) -> None:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    ctx = browser.new_context(viewport=PHONE, locale=locale, timezone_id=zone)
    page = ctx.new_page()
    page.goto(ui_server.url)
    call = page.locator(f".topbar a[href='tel:{number}']")
    call.wait_for(state="visible")
    assert call.bounding_box()["y"] < PHONE["height"]  # seen on first load
    assert name in page.locator(".region-showing").inner_text()
    page.locator(".region-guessed").wait_for(state="visible")  # and it says it guessed
    page.select_option("#region-select", "MY")
    page.wait_for_function(
        "document.querySelector('.region-showing').innerText.includes('Malaysia')"
    )
    assert page.locator(".region-guessed").count() == 0  # chosen, not guessed
    browser.close()


def test_the_refusal_follows_the_region(page) -> None:
    _choose_region(page, "US", "911")
    _ask(page, REFUSED)
    reply = page.locator("#chat .reply").last
    assert "reply--refused" in reply.get_attribute("class")
    numbers = [h.get_attribute("href") for h in reply.locator("a[href^='tel:']").all()]
    assert "tel:08081000900" not in numbers  # the UK's Stop It Now line
    assert reply.locator(".hl-region").count() == 0  # no other country's service


def test_suggestions_and_examples_ask_when_clicked(page) -> None:
    example = page.locator("#chat .ask-btn").first
    asked = example.inner_text()
    example.click()
    page.wait_for_selector("#chat .reply")
    assert asked in page.locator("#chat").inner_text()
    _ask(page, OFF_TOPIC, 2)
    suggestion = page.locator("#chat .reply--no_answer .ask-btn").first
    asked = suggestion.get_attribute("value")
    suggestion.click()
    page.wait_for_function("document.querySelectorAll('#chat .reply').length >= 3")
    assert page.locator("#chat .message").filter(has_text=asked).count() >= 2


def test_a_follow_up_is_answered_in_the_conversation(page) -> None:
    _ask(page, "How do traffickers use Instagram?")
    _ask(page, "What about Snapchat?", 2)
    reply = page.locator("#chat .reply").nth(1)
    assert "reply--answered" in reply.get_attribute("class")
    assert "Snapchat" in " ".join(reply.locator(".reply-quote").all_inner_texts())


def test_related_questions_follow_an_answer_and_ask_when_clicked(page) -> None:
    """The app checks the related questions in the background once it starts: ask until
    they are there (a minute at most)."""
    for n in range(1, 13):
        _ask(page, "How do traffickers use Instagram?", n)
        if page.locator("#chat .reply").nth(n - 1).locator(".asks--related .ask-btn").count():
            break
        page.wait_for_timeout(5000)
    buttons = page.locator("#chat .reply").nth(n - 1).locator(".asks--related .ask-btn")
    assert 1 <= buttons.count() <= 3
    asked = buttons.first.get_attribute("value")
    buttons.first.click()
    page.wait_for_function(f"document.querySelectorAll('#chat .reply').length >= {n + 1}")
    assert page.locator("#chat .message").filter(has_text=asked).count() >= 2


def test_the_skip_link_reaches_the_question_box(page) -> None:
    page.mouse.click(2, 2)  # the page's top corner: Tab starts from the beginning
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('#question') !== null")


def test_get_help_moves_the_focus_to_the_help_panel(page) -> None:
    page.locator(".topbar-help").click()
    assert page.evaluate("document.activeElement.id") == "help-heading"
    assert page.locator("#help-heading").is_visible()


def test_the_region_select_does_not_open_on_focus(page) -> None:
    page.locator("#region-select").focus()
    page.wait_for_timeout(200)
    assert page.evaluate("document.activeElement.id") == "region-select"
    assert page.locator("[role=listbox]:visible, [role=option]:visible").count() == 0


def test_export_downloads_questions_quotes_and_references(page) -> None:
    _ask(page, "How do traffickers use Instagram?")
    _ask(page, "How do traffickers use encrypted messaging apps?", 2)
    with page.expect_download() as download:
        page.locator("#export-md").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "How do traffickers use Instagram?" in text
    assert "How do traffickers use encrypted messaging apps?" in text
    references = text.split(f"## {wording.UI_EXPORT_REFERENCES}", 1)[1]
    numbered = [line for line in references.splitlines() if line[:1].isdigit()]
    assert numbered and all("Retrieved" in line for line in numbered)
    cited = {int(n) for n in re.findall(r"\[(\d+)\]\n", text)}
    assert cited and cited <= set(range(1, len(numbered) + 1))
    with page.expect_popup() as popup:
        page.locator("#export-print").click()
    printable = popup.value
    printable.wait_for_load_state()
    assert wording.UI_EXPORT_REFERENCES in printable.locator("h2").all_inner_texts()
    assert printable.locator("blockquote").count() >= 1
    printable.close()


# ------------------------------------------------------------------------- axe-core -----


def _axe(page) -> list[tuple[str, str, int]]:
    """axe-core's critical and serious violations on the page as it is: (rule, impact, count)."""
    if not AXE.exists():
        _unavailable(f"{AXE} is missing: npm install axe-core")
    # Contrast is measured on the page at rest. While an event of the page runs, Gradio draws
    # its components at 20% opacity (`.pending`), and a fade-in is lighter mid-way: a slow,
    # busy machine once caught 18 such nodes.
    page.wait_for_function(
        "() => !document.querySelector('.pending') && document.getAnimations().every("
        "a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)"
    )
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in result
        if v["impact"] in ("critical", "serious")
    ]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_critical_or_serious_violation(page, size) -> None:
    page.set_viewport_size(size)
    assert _axe(page) == []
    _ask(page, "How do traffickers use Instagram?")
    page.locator("#chat .cite summary").first.click()
    _ask(page, CRISIS, 2)
    page.locator("#chat details.reply-more summary").first.click()
    _ask(page, OFF_TOPIC, 3)
    assert _axe(page) == []


# ---------------------------------------------------------- a corpus file with <script> -----

EVIL_TEXT = (
    "Online grooming\n\n"
    "Groomers often pose as peers on gaming platforms <script>window.__pwned = 1</script> and "
    'they build trust with gifts <img src=x onerror="window.__pwned = 2"> before asking for '
    "secrecy.\n"
)


@pytest.fixture(scope="module")
def evil_server(
    built_index: Config, index_encoder, start_ui, tmp_path_factory: pytest.TempPathFactory
):
    """The app over a one-file corpus whose text and title hold HTML and scripts."""
    from bot.index import build

    root = tmp_path_factory.mktemp("evil")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(EVIL_TEXT, encoding="utf-8")
    title = '<script>window.__pwned = 3</script>Grooming <b onmouseover="x()">bold</b>'
    (corpus / "manifest.json").write_text(json.dumps({"evil.txt": {"title": title}}))
    config = replace(built_index, corpus_dir=corpus, index_dir=root / "index")
    # Reuse the session's ONNX export instead of exporting the query encoder again.
    shutil.copytree(built_index.index_dir / "encoder", config.index_dir / "encoder")
    build(config, encoder=index_encoder, progress=False)
    server = start_ui(config, root)
    yield server
    server.stop()


def test_corpus_script_does_not_execute(context, evil_server) -> None:
    page = context.new_page()
    page.goto(evil_server.url)
    page.wait_for_selector("#question textarea")
    _ask(page, "How do groomers pose as peers on gaming platforms?")
    _ask(page, '<img src=x onerror="window.__pwned = 5"> do groomers give gifts?', 2)
    reply = page.locator("#chat .reply").first
    assert "reply--answered" in reply.get_attribute("class")
    card = reply.locator(".cite").first
    card.locator("summary").click()
    card.locator(".cite-view").click()
    page.wait_for_selector("#source-mark")
    page.mouse.move(200, 200)
    time.sleep(0.3)
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in reply.inner_text()
    assert "<script>window.__pwned = 3</script>" in card.locator(".cite-title").inner_text()
    assert "<script>" in page.locator("#source-view").inner_text()
    assert '<img src=x onerror="window.__pwned = 5">' in page.locator("#chat").inner_text()
    scripts = page.evaluate(
        "document.querySelectorAll('#chat script, #source-view script, #chat img').length"
    )
    assert scripts == 0
    _shot(page, "ui-escaped.png")
    page.close()
