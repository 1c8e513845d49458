"""Cleaning keeps the article and drops page furniture, without moving any offset."""

from __future__ import annotations

from pathlib import Path

from bot.clean import clean

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def kept_text(text: str) -> str:
    return "\n".join(text[s.start : s.end] for s in clean(text))


def read(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def test_unrelated_headline_teasers_are_dropped():
    kept = kept_text(read("000_46abedc0c0819343.txt"))
    assert "copy the EU AI Act" not in kept
    assert "Samsung" not in kept
    assert "Load More" not in kept


def test_article_body_is_kept():
    kept = kept_text(read("000_46abedc0c0819343.txt"))
    assert "This crackdown aims to dismantle the online infrastructure" in kept
    assert "The fight against the online sex trade is a complex and ongoing battle." in kept


def test_cookie_notice_is_dropped():
    text = read("003_d91ee1a5a5c2eb8c.txt")
    assert "We use cookies" in text
    assert "cookies" not in kept_text(text)


def test_comments_and_reading_time_are_dropped():
    kept = kept_text(read("001_75d53d9cf566b237.txt")).splitlines()
    assert "Comments" not in kept
    assert not any("min read" in line for line in kept)


def test_image_credit_lines_are_dropped():
    assert "Image Credits" not in kept_text(read("000_46abedc0c0819343.txt"))


def test_spans_point_into_the_original_text():
    text = read("003_d91ee1a5a5c2eb8c.txt")
    for span in clean(text):
        piece = text[span.start : span.end]
        assert piece == piece.strip() and piece


def test_a_related_articles_listing_in_any_page_is_dropped():
    page = (
        "A long paragraph of the article explains how recruiters approach teenagers online.\n"
        "Related\n"
        "World\nMarch 3, 2024 at 9:00 AM\nElection results are in\n"
        "The votes were counted overnight and the outcome surprised...\n"
        "Sport\nMarch 2, 2024 at 8:00 AM\nLocal team wins\n"
        "In a thrilling match the home side came back from two goals...\n"
    )
    kept = kept_text(page)
    assert "recruiters approach teenagers" in kept
    assert "Election" not in kept and "Local team" not in kept
