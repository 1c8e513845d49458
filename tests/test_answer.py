"""Answers follow CONTRACT.md: verbatim cited quotes, or an honest no_answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

QUESTIONS = [
    "How do traffickers use social media to recruit victims?",
    "What is sextortion?",
    "How do traffickers use the dark web?",
    "What can parents do to protect their children online?",
    "Why is online trafficking hard for police to stop?",
    "What did the COVID-19 pandemic change?",
    "Which groups are most vulnerable to cyber traffickers?",
    "How do traffickers control victims they never meet?",
    "What laws exist against human trafficking?",
    "What should social media companies do?",
    "How are fake job offers used?",
    "What is the Palermo Protocol?",
]
OFF_TOPIC = [
    "Who won the 2018 football world cup?",
    "What is a good recipe for banana bread?",
    "How do I change a flat tyre on a bicycle?",
    "What is the capital of Australia?",
]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def answers(bot):
    return [bot.ask(q) for q in QUESTIONS]


def test_a_relevant_question_is_answered_with_citations(answers):
    assert all(a.status == "answered" and a.citations for a in answers)


def test_the_json_has_every_contract_field(answers):
    data = answers[0].to_dict()
    assert {"status", "question", "text", "citations", "hotlines", "disclaimer"} <= set(data)
    citation_fields = {
        "n",
        "source",
        "title",
        "publisher",
        "date",
        "url",
        "quote",
        "passage",
        "start",
        "end",
        "score",
    }
    assert all(citation_fields <= set(c) for c in data["citations"])
    assert [c["n"] for c in data["citations"]] == list(range(1, len(data["citations"]) + 1))


def test_every_quote_and_passage_is_verbatim_from_its_source_file(answers):
    for answer in answers:
        for c in answer.citations:
            source = squash((CORPUS / c.source).read_text(encoding="utf-8"))
            assert squash(c.quote) in source
            assert squash(c.passage) in source


def test_start_and_end_point_at_the_quote_in_the_file(answers):
    for answer in answers:
        for c in answer.citations:
            text = (CORPUS / c.source).read_text(encoding="utf-8")
            assert text[c.start : c.end] == c.quote


def test_quotes_respect_the_size_limits(answers):
    for answer in answers:
        for c in answer.citations:
            assert len(c.quote) <= 600 and len(c.passage) <= 1500
            assert len(re.findall(r"[a-z)\"”’][.!?](?:\s|$)", c.quote)) <= 3


def test_three_citations_bring_three_different_passages(answers):
    for answer in answers:
        passages = [(c.source, c.passage) for c in answer.citations]
        assert len(set(passages)) == len(passages)


def test_the_reply_text_is_lead_line_block_quotes_and_sources(answers):
    from bot import wording

    text = answers[0].text
    assert text.startswith(wording.ANSWER_LEAD)
    assert "> " in text and "[1]" in text and wording.SOURCES_HEADING in text


def test_every_answer_carries_the_disclaimer(answers, bot):
    from bot import wording

    assert all(a.disclaimer == wording.DISCLAIMER for a in answers)
    assert bot.ask("What is the capital of Australia?").disclaimer == wording.DISCLAIMER


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_an_off_topic_question_gets_no_answer_and_suggestions(bot, question):
    answer = bot.ask(question)
    assert answer.status == "no_answer"
    assert answer.citations == [] and answer.suggestions


def test_a_question_about_a_number_the_sources_lack_is_not_answered(bot):
    assert bot.ask("How many people were trafficked online in 1987?").status == "no_answer"


def test_a_question_asking_for_a_figure_no_quote_gives_is_not_answered(bot):
    answer = bot.ask("What percentage of grooming cases start on gaming platforms?")
    assert answer.status == "no_answer"


def test_a_question_asking_for_a_figure_the_sources_give_is_answered(bot):
    answer = bot.ask("How many teenagers use social media several times a day?")
    assert answer.status == "answered"
    assert any(re.search(r"\d", c.quote) for c in answer.citations[:3])


def test_an_empty_question_gets_a_friendly_no_answer(bot):
    answer = bot.ask("   ")
    assert answer.status == "no_answer" and "type a question" in answer.text


def test_a_very_long_question_is_answered_on_a_trimmed_version_with_a_note(bot):
    answer = bot.ask("How do traffickers use social media? " * 5000)
    assert "very long" in answer.text
    assert answer.status in {"answered", "no_answer"}


def test_the_trimming_note_shows_in_the_app_and_the_cli_too(bot):
    from bot.present import html, plain

    answer = bot.ask("How do traffickers use social media? " * 5000)
    assert "very long" in html(answer) and "very long" in plain(answer)


def test_related_questions_are_part_of_the_markdown_text(bot):
    bot.check_related()
    answer = bot.ask("How do traffickers use social media to recruit?")
    assert answer.related and all(q in answer.text for q in answer.related)


def test_quotes_cannot_inject_markdown_links_or_html():
    from bot.present import md_escape

    escaped = md_escape("[click](http://evil) <script>alert(1)</script> ![img](x)")
    assert "](" not in escaped.replace("\\](", "") and "<script>" not in escaped


def test_quotes_cannot_add_headings_emphasis_or_lists():
    from bot.present import md_escape

    escaped = md_escape("# Title\n1. item\n- item\n_big_")
    assert escaped == "\\# Title\n1\\. item\n\\- item\n\\_big\\_"


def test_escaping_leaves_ordinary_punctuation_readable():
    from bot.present import md_escape

    assert md_escape("Modern-day slavery (2019): 40.3 million people!") == (
        "Modern-day slavery (2019): 40.3 million people!"
    )
