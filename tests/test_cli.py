"""The command line, as scripts use it (CONTRACT.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.config import Config
from tests.conftest import with_exports

REPO = Path(__file__).resolve().parent.parent


def _env(config, extra_env=None):
    """The environment a person's shell gives the CLI: no switch a benchmark set in this test
    process (TQDM_DISABLE) is passed on."""
    return {
        **{k: v for k, v in os.environ.items() if k != "TQDM_DISABLE"},
        "BOT_INDEX_DIR": str(config.index_dir),
        "BOT_CORPUS_DIR": str(config.corpus_dir),
        **(extra_env or {}),
    }


def run(args, config, stdin="", extra_env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_env(config, extra_env),
        timeout=300,
    )


def test_ask_prints_an_answer_for_a_person(built_index):
    out = run(["ask", "How do traffickers use social media?"], built_index)
    assert out.returncode == 0
    assert "[1]" in out.stdout and "not an emergency service" in out.stdout


def test_ask_prints_no_help_line_without_a_way_to_reach_it(built_index):
    out = run(
        ["ask", "How do traffickers use social media?"],
        built_index,
        extra_env={"BOT_REGION": "international"},
    )
    help_lines = out.stdout.split("Help is available:\n")[1].split("\n\n")[0].splitlines()
    assert help_lines and all(line.split(": ", 1)[1].strip() for line in help_lines)


def test_ask_json_prints_one_contract_object(built_index):
    out = run(["ask", "--json", "What is sextortion?"], built_index)
    data = json.loads(out.stdout)
    assert data["status"] == "answered" and data["citations"]


def test_ask_json_without_a_question_reads_json_lines_from_stdin(built_index):
    out = run(
        ["ask", "--json"], built_index, stdin="What is sextortion?\n\nWho won the world cup?\n"
    )
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [x["status"] for x in lines] == ["answered", "no_answer"]


def test_an_empty_question_is_a_usage_error(built_index):
    out = run(["ask", "  "], built_index)
    assert out.returncode == 2 and "Please type a question" in out.stderr


def test_blank_standard_input_is_a_usage_error(built_index):
    out = run(["ask"], built_index, stdin="\n  \n")
    assert out.returncode == 2 and "Please type a question" in out.stderr and not out.stdout


def test_a_reader_that_stops_early_ends_ask_quietly(built_index):
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "What is sextortion?"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=_env(built_index),
    )
    proc.stdout.close()  # as `| head -1` does once it has its line
    stderr = proc.stderr.read()
    assert proc.wait(timeout=300) == 141 and "Error" not in stderr


def test_a_missing_corpus_folder_is_a_clear_error(built_index, tmp_path):
    out = run(["ask", "hi"], built_index, extra_env={"BOT_CORPUS_DIR": str(tmp_path / "nope")})
    assert out.returncode == 3
    assert "does not exist" in out.stderr and "Traceback" not in out.stderr


def test_help_lists_the_commands(built_index):
    out = run(["--help"], built_index)
    assert out.returncode == 0 and "index" in out.stdout and "ask" in out.stdout


def test_index_prints_a_summary(built_index):
    out = run(["index", "--quiet"], built_index)
    assert out.returncode == 0 and "up to date" in out.stdout


def test_an_unreachable_chroma_server_is_a_clear_error(built_index, tmp_path, query_exports):
    port_with_nothing = "http://127.0.0.1:9"  # discard port: nothing listens there
    with_exports(Config.load(index_dir=tmp_path / "i"), query_exports)
    out = run(
        ["ask", "What is sextortion?"],
        built_index,
        extra_env={"BOT_CHROMA_URL": port_with_nothing, "BOT_INDEX_DIR": str(tmp_path / "i")},
    )
    assert out.returncode == 3
    assert "Cannot reach the Chroma server" in out.stderr and "Traceback" not in out.stderr


def test_indexing_shows_the_products_messages_not_its_libraries(tmp_path, query_exports):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Online grooming\n\nGroomers often pose as peers on gaming platforms.\n", encoding="utf-8"
    )
    config = with_exports(
        Config.load(corpus_dir=corpus, index_dir=tmp_path / "index"), query_exports
    )
    out = run(["index"], config)
    assert out.returncode == 0 and "Indexing" in out.stderr  # the index's own progress bar
    for noise in ("DEBUG", "INFO", "HTTP Request", "Loading weights", "FutureWarning"):
        assert noise not in out.stderr, noise
