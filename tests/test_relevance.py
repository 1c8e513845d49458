"""The trained relevance: an adapted encoder and a judge that ranks and abstains.

Behaviour, not memory: the questions here were written for these tests and are in no training
or evaluation file. How well the judge does on questions nobody tuned for is measured on the
frozen split (`make test` gates on it) and recorded in docs/quality.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SEED_CORPUS, run_fresh, with_exports

from bot.adapter import is_current, trained_on
from bot.config import Config
from bot.judge import UNSEEN_FILE, Judge
from bot.training.data import Seen, near_duplicate
from bot.training.relevance import DATA_DIR, data_files
from bot.training.triage import data_files as triage_files
from bot.training.unseen import Fold, choose_offset

REPO = Path(__file__).resolve().parent.parent


def _quotes(answer) -> str:
    return " ".join(c.quote for c in answer.citations)


def test_a_paraphrase_sharing_no_word_with_the_evidence_is_found(bot):
    answer = bot.ask("Can crooks keep an eye on where someone is from far away using their mobile?")
    assert answer.status == "answered"
    assert "location-tracking" in _quotes(answer)


def test_a_practical_question_the_corpus_answers_in_other_words_is_answered(bot):
    answer = bot.ask("Whom should I contact if I suspect that someone is being sold for work?")
    assert answer.status == "answered"
    assert "report it right away" in _quotes(answer)


@pytest.mark.parametrize(
    "question",
    [
        "What is the maximum prison sentence for human trafficking in Germany?",
        "How many sextortion cases were reported in Canada in 2019?",
        "What's a good recipe for banana bread?",
    ],
)
def test_a_question_the_sources_do_not_answer_gets_no_answer(bot, question):
    assert bot.ask(question).status == "no_answer"


def test_the_judge_reranks_and_gives_a_confidence(bot):
    retrieval = bot.retriever.search(
        "how do traffickers use social media", bot.encoder.encode(["x"])[0]
    )
    assert retrieval.question_features is not None
    assert 0.0 <= retrieval.confidence <= 1.0


def test_the_stored_adapter_was_trained_on_the_training_files_as_they_are():
    assert is_current(DATA_DIR / "adapter", data_files()), (
        "the training data changed: run `python -m bot train relevance`"
    )


def test_the_stored_judge_was_trained_on_the_training_files_as_they_are():
    judge = Judge.load(DATA_DIR / "judge.json")
    assert judge.record["data_fingerprint"] == trained_on(DATA_DIR / "adapter")["data_fingerprint"]


def test_the_stored_unseen_threshold_was_calibrated_on_the_training_files_as_they_are():
    calibration = json.loads((DATA_DIR / UNSEEN_FILE).read_text(encoding="utf-8"))
    assert calibration["data_fingerprint"] == trained_on(DATA_DIR / "adapter")["data_fingerprint"]
    assert 0.0 < calibration["threshold"] < Judge.load(DATA_DIR / "judge.json").threshold


def test_every_corpus_article_is_known_to_the_judge_as_trained():
    from bot.corpus import file_digest

    seen = Judge.load(DATA_DIR / "judge.json").documents_seen
    assert all(file_digest(p) in seen for p in SEED_CORPUS.glob("*.txt")), (
        "a corpus file changed: run `python -m bot train relevance`, then `train unseen`"
    )


@pytest.fixture(scope="module")
def trained_and_added(tmp_path_factory, index_encoder, query_exports):
    """A corpus of one trained article and one file added after training, indexed."""
    from bot import Bot
    from bot.index import build

    corpus = tmp_path_factory.mktemp("added") / "corpus"
    corpus.mkdir()
    trained = sorted(SEED_CORPUS.glob("*.txt"))[0]
    (corpus / trained.name).write_text(trained.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "added.txt").write_text(ADDED_ARTICLE, encoding="utf-8")
    config = Config.load(corpus_dir=corpus, index_dir=corpus.parent / "index")
    build(with_exports(config, query_exports), encoder=index_encoder, progress=False)
    return Bot(config, progress=False)


ADDED_ARTICLE = (
    "Loan sharks and debt bondage\n\nSome recruiters lend workers the money for their visa and "
    "flight, then add interest each month so the debt can never be repaid. The worker is told "
    "the family at home will pay if they leave.\n"
)


def _judged(bot, question: str, threshold: float, unseen: float):
    judge = bot.retriever.judge
    bot.retriever.judge = replace(judge, threshold=threshold, unseen_threshold=unseen)
    try:
        return bot.retriever.search(question, bot.encoder.encode([question])[0])
    finally:
        bot.retriever.judge = judge


def test_a_quote_from_a_file_added_after_training_is_judged_by_the_unseen_threshold(
    trained_and_added,
):
    question = "How do recruiters trap workers with a debt they can never repay?"
    assert _judged(trained_and_added, question, threshold=1.0, unseen=0.0).answerable
    assert not _judged(trained_and_added, question, threshold=0.0, unseen=1.0).answerable


def test_a_quote_from_a_trained_document_is_judged_by_the_judges_own_threshold(
    trained_and_added,
):
    question = "Which platforms have become hunting grounds for traffickers?"
    assert _judged(trained_and_added, question, threshold=0.0, unseen=1.0).answerable
    assert not _judged(trained_and_added, question, threshold=1.0, unseen=0.0).answerable


def _top_file(bot, question: str, offset: float) -> str:
    judge = bot.retriever.judge
    bot.retriever.judge = replace(judge, unseen_offset=offset)
    try:
        found = bot.retriever.search(question, bot.encoder.encode([question])[0])
    finally:
        bot.retriever.judge = judge
    index = bot.retriever.index
    return index.passages[found.ranked[0].passage].source


def test_a_file_added_after_training_has_its_candidates_raised_by_the_offset(trained_and_added):
    question = "Which platforms have become hunting grounds for traffickers?"
    assert _top_file(trained_and_added, question, offset=0.0) != "added.txt"
    assert _top_file(trained_and_added, question, offset=100.0) == "added.txt"


def test_the_offset_is_the_smallest_that_keeps_both_kinds_of_evidence_in_the_top_three():
    # A left-out file's evidence scores 1.1 below three trained candidates; a trained file's
    # evidence 2.1 above three left-out ones: offsets from 1.25 to 2 keep both in the top three.
    left = [[(0.0, True, True)] + [(1.1, False, False)] * 3]
    trained = [[(0.0, False, True)] + [(-2.1, True, False)] * 3]
    fold = Fold("f.txt", [], [], [], 0.5, 0.0, left, trained)
    offset, figures = choose_offset([fold])
    assert offset == 1.25
    assert figures["left_out_hit3"][0] == 0.0 and figures["trained_hit3"][-1] == 0.0


def test_the_stored_adapter_is_compact():
    size = sum(p.stat().st_size for p in (DATA_DIR / "adapter").iterdir())
    assert size < 4 * 1024 * 1024


def test_a_question_typed_with_other_punctuation_nearly_repeats_it():
    typed = "which article talks about gaming chats"
    assert near_duplicate("Which article talks about gaming chats?", typed)


def test_a_question_with_a_word_added_nearly_repeats_it():
    assert near_duplicate(
        "How long does a platform take to answer a request for data from the police?",
        "how long does a platform take to answer a request for data from police",
    )


def test_a_short_message_with_another_word_is_another_message():
    assert not near_duplicate("and on tiktok?", "and on snapchat?")


def test_a_question_on_another_subject_is_no_repeat():
    assert not near_duplicate(
        "Which apps do traffickers use to find children?",
        "Which apps do police use to find traffickers?",
    )


def test_no_training_question_nearly_repeats_one_of_the_frozen_test_split():
    """Not even with other punctuation or a word changed (bot.training.data.near_duplicate):
    the relevance models' training questions, and the triage's, which decides whether a
    question is answered at all."""
    trained = Seen(data_files() + triage_files())
    frozen = [
        q["question"]
        for path in (REPO / "eval" / "heldout.jsonl", REPO / "eval" / "questions.jsonl")
        for q in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    ]
    assert frozen and [q for q in frozen if trained.repeats(q)] == []


def test_a_left_out_document_is_never_a_hard_negative():
    """Leave-one-document-out stands for a file added after training: its sentences must not
    teach the encoder anything, not even as negatives."""
    from bot.training.relevance import corpus_sentences, mine_hard_negatives

    config = Config.load()
    sentences = corpus_sentences(config)
    questions = ["How do traffickers lure people with fake job offers online?"]
    near = mine_hard_negatives(config, questions, sentences, [set()], 8)[0]
    # Leave out the document of the nearest sentence.
    owner = {i: name for name, spans in sentences.by_source.items() for _, _, i in spans}
    unseen = frozenset(i for i, name in owner.items() if name == owner[near[0]])
    kept = mine_hard_negatives(config, questions, sentences, [set()], 8, unseen)[0]
    assert not unseen & set(kept)


def _train_tiny(*args: str) -> subprocess.CompletedProcess:
    """`python -m bot train ... --epochs 1 --limit 60` in a fresh process, no BOT_* settings."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "train", *args, "--epochs", "1", "--limit", "60"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if not k.startswith("BOT_")},
    )


def test_the_training_command_runs_end_to_end_on_a_tiny_set(tmp_path):
    out = _train_tiny("relevance", "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr[-2000:]
    assert trained_on(tmp_path / "adapter")["data_fingerprint"]
    judge = Judge.load(tmp_path / "judge.json")
    assert 0.0 < judge.threshold < 1.0


def test_the_unseen_calibration_runs_end_to_end_on_a_tiny_set(tmp_path):
    left_out = sorted(p.name for p in SEED_CORPUS.glob("*.txt"))[0]
    out = _train_tiny("unseen", "--documents", left_out, "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr[-2000:]
    calibration = json.loads((tmp_path / UNSEEN_FILE).read_text(encoding="utf-8"))
    assert 0.0 < calibration["threshold"] < 1.0
    assert list(calibration["folds"]) == [left_out]


def test_answers_and_follow_ups_import_neither_torch_nor_sentence_transformers(
    built_index: Config,
) -> None:
    script = (
        "import json, sys\n"
        "from bot import Bot\n"
        "bot = Bot(progress=False)\n"
        "first = 'How do traffickers use social media?'\n"
        "answer = bot.ask(first)\n"
        "follow_up = bot.ask('what about gaming apps?', history=[first])\n"
        "heavy = ('torch', 'transformers', 'sentence_transformers', 'peft', 'sklearn')\n"
        "print(json.dumps({'status': [answer.status, follow_up.status],\n"
        "                  'loaded': [m for m in heavy if m in sys.modules]}))\n"
    )
    expected = {"status": ["answered", "answered"], "loaded": []}
    assert run_fresh(script, built_index) == expected


def test_the_judge_learns_from_questions_spelt_as_the_product_searches_them(built_index):
    """Training and answering read the same text: a misspelt word is corrected in both."""
    from bot.index import IndexReader
    from bot.training.relevance import Example, as_searched

    asked = [Example("how do trafickers use social media", "answerable")]
    assert as_searched(IndexReader.open(built_index), asked) == [
        "how do traffickers use social media"
    ]
