"""The eval command: CONTRACT.md's scoring rule, its report and exit codes; our question set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import Config
from bot.evaluation import (
    EvalFileError,
    SourceTexts,
    covers,
    load_questions,
    score,
)
from bot.evaluation.fresh import main as fresh_main
from bot.evaluation.fresh import unseen
from bot.training.data import Seen

REPO = Path(__file__).resolve().parent.parent
SEX_TRAFFICKING = "001_75d53d9cf566b237.txt"
CRACKDOWN = "000_46abedc0c0819343.txt"
DEFINITION = (
    "Sex trafficking is a form of modern-day slavery that involves the exploitation of people "
    "for sexual purposes."
)
# A headline from the list of unrelated teasers that cleaning removes: never quotable.
TEASER = "US lowers tariff on Malaysian goods to 19% from 25%"


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _answerable(qid: str, question: str, source: str, evidence: str) -> dict:
    return {
        "id": qid,
        "kind": "answerable",
        "audience": "student",
        "question": question,
        "source": source,
        "evidence": [evidence],
    }


def _oos(qid: str, question: str) -> dict:
    return {"id": qid, "kind": "out_of_scope", "audience": "other", "question": question}


def _answered(*quotes: str, source: str = SEX_TRAFFICKING) -> dict:
    cits = [{"n": i, "source": source, "quote": q} for i, q in enumerate(quotes, 1)]
    return {"status": "answered", "citations": cits, "hotlines": []}


@pytest.fixture
def tiny_set(tmp_path: Path) -> Path:
    """A hit, a miss (evidence only in text that cleaning drops) and an abstention."""
    return _write_jsonl(
        tmp_path / "tiny.jsonl",
        [
            _answerable("hit", "What is sex trafficking?", SEX_TRAFFICKING, DEFINITION),
            _answerable("miss", "What is sex trafficking?", CRACKDOWN, TEASER),
            _oos("abstain", "what's a good recipe for banana bread"),
        ],
    )


def _eval(built_index: Config, *args: str) -> int:
    return main(
        [
            "eval",
            *args,
            "--corpus",
            str(built_index.corpus_dir),
            "--index",
            str(built_index.index_dir),
        ]
    )


# -- the scoring rule, on hand-made answers --------------------------------------------------------


def test_covers_needs_four_fifths_of_the_evidence_words_ignoring_case_and_punctuation():
    evidence = "one two three four five"
    assert covers("ONE, two; three: four!", evidence)
    assert not covers("one two three", evidence)


def test_evidence_in_the_second_quote_is_a_hit_at_3_with_half_reciprocal_rank():
    items = [_answerable("q", "What is sex trafficking?", SEX_TRAFFICKING, DEFINITION)]
    answers = [_answered("Something else entirely.", DEFINITION)]
    summary = score(items, answers, SourceTexts(REPO / "corpus"))["summary"]
    assert (summary["hit1"], summary["hit3"], summary["mrr"]) == (0.0, 1.0, 0.5)


def test_evidence_only_in_the_fourth_quote_is_a_miss():
    items = [_answerable("q", "What is sex trafficking?", SEX_TRAFFICKING, DEFINITION)]
    answers = [_answered("a.", "b.", "c.", DEFINITION)]
    report = score(items, answers, SourceTexts(REPO / "corpus"))
    assert report["summary"]["hit3"] == 0.0
    assert [m["id"] for m in report["misses"]] == ["q"]


def test_a_miss_shows_the_status_and_first_quote():
    items = [_answerable("q", "What is sex trafficking?", SEX_TRAFFICKING, DEFINITION)]
    report = score(items, [_answered("Unrelated words.")], SourceTexts(REPO / "corpus"))
    miss = report["misses"][0]
    assert (miss["status"], miss["first_quote"], miss["first_source"]) == (
        "answered",
        "Unrelated words.",
        SEX_TRAFFICKING,
    )


def test_no_answer_to_an_out_of_scope_question_counts_as_abstention():
    items = [_oos("a", "banana bread?"), _oos("b", "world cup?")]
    answers = [{"status": "no_answer", "citations": []}, _answered(DEFINITION)]
    report = score(items, answers, SourceTexts(REPO / "corpus"))
    assert report["summary"]["oos_abstain"] == 0.5
    assert [m["id"] for m in report["misses"]] == ["b"]


def test_a_quote_absent_from_the_file_it_cites_is_not_verbatim():
    items = [_oos("a", "x"), _oos("b", "y")]
    answers = [
        _answered("Sex  trafficking is a form\nof modern-day slavery"),
        _answered("Sex trafficking is a form of modern-day slavery", source=CRACKDOWN),
    ]
    report = score(items, answers, SourceTexts(REPO / "corpus"))
    assert report["summary"]["verbatim"] == 0.5


def test_an_eval_line_with_an_unknown_kind_is_rejected_with_its_line_number(tmp_path: Path):
    path = _write_jsonl(tmp_path / "bad.jsonl", [_oos("a", "x"), {**_oos("b", "y"), "kind": "odd"}])
    with pytest.raises(EvalFileError, match=r"bad\.jsonl:2"):
        load_questions(path)


# -- the command, with the real bot ----------------------------------------------------------------


def test_eval_json_scores_a_hit_a_miss_and_an_abstention(built_index, tiny_set, capsys):
    assert _eval(built_index, str(tiny_set), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["hit3"] == 0.5
    assert report["summary"]["oos_abstain"] == 1.0
    assert [m["id"] for m in report["misses"]] == ["miss"]


def test_eval_exits_1_when_a_threshold_is_not_met(built_index, tiny_set, capsys):
    assert _eval(built_index, str(tiny_set), "--min-hit3", "0.9") == 1
    assert "threshold hit3 >= 0.900: 0.500 NOT MET" in capsys.readouterr().out


def test_eval_exits_0_when_every_threshold_is_met(built_index, tiny_set):
    assert _eval(built_index, str(tiny_set), "--min-hit3", "0.5", "--min-abstain", "1") == 0


@pytest.fixture
def tiny_conversation(tmp_path: Path) -> Path:
    """One conversation: a question, then an out-of-scope follow-up that must get no quotes."""
    first = "What is sex trafficking?"
    turns = [
        {**_answerable("", first, SEX_TRAFFICKING, DEFINITION), "full": first},
        {"question": "and a good banana bread recipe?", "kind": "out_of_scope"},
    ]
    return _write_jsonl(tmp_path / "talk.jsonl", [{"id": "c1", "turns": turns}])


def test_a_conversation_set_is_gated_on_its_in_context_figures(
    built_index, tiny_conversation, capsys
):
    assert _eval(built_index, str(tiny_conversation), "--min-abstain", "1") == 0
    assert "threshold oos_abstain >= 1.000: 1.000 met" in capsys.readouterr().out


def test_a_conversation_gate_without_turns_to_measure_fails(built_index, tiny_conversation):
    # No answerable or "more" later turn: follow-up hit@3 cannot be measured, so it cannot pass.
    assert _eval(built_index, str(tiny_conversation), "--min-follow-up-hit3", "0.1") == 1


def test_a_more_turn_whose_evidence_was_quoted_just_before_is_counted(
    built_index, tmp_path: Path, capsys
):
    first = "What is sex trafficking?"
    turns = [
        {**_answerable("", first, SEX_TRAFFICKING, DEFINITION), "full": first},
        {"question": "tell me more", "full": first, "kind": "more", "evidence": [DEFINITION]},
    ]
    talk = _write_jsonl(tmp_path / "talk.jsonl", [{"id": "c1", "turns": turns}])
    _eval(built_index, str(talk))
    assert "whose evidence the answer before had already quoted: 1" in capsys.readouterr().out


def test_eval_exits_2_on_a_malformed_eval_file(built_index, tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "kind": "answerable", "question": "no evidence"}\n')
    assert _eval(built_index, str(bad)) == 2


def test_eval_table_lists_each_miss_with_the_evidence_expected(built_index, tiny_set, capsys):
    _eval(built_index, str(tiny_set))
    out = capsys.readouterr().out
    assert "Misses (1):" in out
    assert f"expected [{CRACKDOWN}]: {TEASER}" in out


# -- our question set ------------------------------------------------------------------------------


def test_every_evidence_string_of_our_questions_is_verbatim_in_its_files():
    items = load_questions(REPO / "eval" / "questions.jsonl")
    for item in items:
        if item["kind"] == "answerable":
            texts = [
                (REPO / "corpus" / f).read_text(encoding="utf-8")
                for f in [item["source"], *item.get("also", [])]
            ]
            for evidence in item["evidence"]:
                assert any(evidence in t for t in texts), (item["id"], evidence)


def test_our_questions_cover_every_kind():
    kinds = [i["kind"] for i in load_questions(REPO / "eval" / "questions.jsonl")]
    assert kinds.count("answerable") >= 40
    assert min(kinds.count(k) for k in ("out_of_scope", "harmful", "crisis")) >= 8


# -- fresh sets: what they share with our files is dropped before they are scored ------------------


def _seen(tmp_path: Path, *rows: dict) -> Seen:
    path = tmp_path / "ours.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return Seen([path])


def _talk(*said: str) -> dict:
    return {"turns": [{"question": s} for s in said]}


def test_a_fresh_question_typed_like_one_of_ours_is_dropped(tmp_path: Path) -> None:
    seen = _seen(tmp_path, {"question": "Which article talks about gaming chats?"})
    rows = [{"question": "which article talks about gaming chats"}, {"question": "Frogs?"}]
    assert unseen(rows, seen) == [{"question": "Frogs?"}]


def test_a_fresh_follow_up_after_the_same_question_as_ours_is_dropped(tmp_path: Path) -> None:
    seen = _seen(tmp_path, _talk("Which apps do traffickers use?", "what about snapchat"))
    assert unseen([_talk("which apps do traffickers use", "What about Snapchat?")], seen) == []


def test_a_generic_follow_up_after_another_question_is_kept(tmp_path: Path) -> None:
    seen = _seen(tmp_path, _talk("Which apps do traffickers use?", "why?"))
    fresh = [_talk("How do traffickers control victims online?", "why?")]
    assert unseen(fresh, seen) == fresh


def test_preparing_a_fresh_set_writes_what_our_files_do_not_hold(tmp_path: Path, capsys) -> None:
    ours = load_questions(REPO / "eval" / "questions.jsonl")[0]["question"]
    new, out = tmp_path / "new.jsonl", tmp_path / "out.jsonl"
    rows = [{"question": ours.lower().rstrip("?")}, {"question": "Is a frog a mammal, really?"}]
    new.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert fresh_main([str(new), str(out)]) == 0
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert kept == rows[1:] and "1 of 2 kept" in capsys.readouterr().out
