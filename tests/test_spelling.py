"""Misspelt words are searched as the corpus spells them (bot.spelling)."""

from __future__ import annotations

from bot import wording
from bot.config import Config
from bot.index import IndexReader
from bot.spelling import Speller

CORPUS_WORDS = {"traffickers": 5, "recruit": 3, "hiding": 2, "offer": 2, "grooming": 4}


def test_a_misspelt_word_of_the_corpus_is_read_as_the_corpus_spells_it():
    assert Speller(CORPUS_WORDS).correct("How do trafickers work?") == "How do traffickers work?"


def test_a_long_word_two_edits_away_is_corrected():
    assert Speller(CORPUS_WORDS).correct("what is groomming") == "what is grooming"
    assert Speller(CORPUS_WORDS).correct("trafikers online") == "traffickers online"


def test_an_english_word_the_corpus_does_not_use_is_left_alone():
    """One edit from "hiding", but a word of its own: correcting it would change the question."""
    assert Speller(CORPUS_WORDS).correct("Are they hiring?") == "Are they hiring?"


def test_a_name_no_corpus_word_is_near_is_left_alone():
    assert Speller(CORPUS_WORDS).correct("Is Roblox safe?") == "Is Roblox safe?"


def test_a_short_word_is_left_alone():
    """Four letters have too many neighbours: "ofer" could be "offer" or "over"."""
    assert Speller(CORPUS_WORDS).correct("a job ofer") == "a job ofer"


def test_a_build_stores_the_words_of_its_texts(built_index: Config):
    words = IndexReader.open(built_index).words
    assert words["trafficking"] > 1


def test_an_answer_says_how_a_corrected_question_was_searched(bot):
    answer = bot.ask("How do trafickers use social media to recrut victims?")
    assert answer.status == "answered"
    assert any("traffickers" in note for note in answer.notes)


def test_an_answer_to_a_question_spelt_right_has_no_such_note(bot):
    answer = bot.ask("How do traffickers use social media to recruit victims?")
    searched_as = wording.SPELLING_NOTE.split("{")[0]
    assert not any(note.startswith(searched_as) for note in answer.notes)
