"""The benchmarks: the synthetic corpus is reproducible; compare, scale, start-up run end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.scale import generate
from bot.config import Config
from tests.conftest import with_exports

REPO = Path(__file__).resolve().parent.parent


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _run(module: str, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def test_generator_writes_the_same_bytes_for_the_same_seed(tmp_path: Path):
    generate(tmp_path / "a", 25, seed=7)
    generate(tmp_path / "b", 25, seed=7)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_generator_writes_other_text_for_another_seed(tmp_path: Path):
    generate(tmp_path / "a", 25, seed=7)
    generate(tmp_path / "b", 25, seed=8)
    assert _files(tmp_path / "a") != _files(tmp_path / "b")


def test_a_smaller_synthetic_corpus_is_the_start_of_a_larger_one(tmp_path: Path):
    generate(tmp_path / "small", 20, seed=1)
    generate(tmp_path / "large", 40, seed=1)
    small, large = _files(tmp_path / "small"), _files(tmp_path / "large")
    assert small == {name: large[name] for name in small}


def test_scale_benchmark_indexes_every_generated_passage(tmp_path: Path, query_exports):
    exports = str(query_exports.parent)
    _run("scale", "--sizes", "30", "--queries", "3", "--out", str(tmp_path), "--exports", exports)
    run = json.loads((tmp_path / "scale.json").read_text())
    assert [r["passages"] for r in run["results"]] == [30]
    assert (tmp_path / "scale.md").read_text().startswith("# Scale benchmark")
    assert (tmp_path / "scale.png").stat().st_size > 0


def test_index_memory_benchmark_reports_peak_memory_and_its_growth(tmp_path: Path, query_exports):
    exports = str(query_exports.parent)
    args = ("--sizes", "20,40", "--modes", "embedded", "--out", str(tmp_path), "--exports", exports)
    _run("index_memory", *args)
    run = json.loads((tmp_path / "index-memory.json").read_text())
    assert [(r["mode"], r["passages"]) for r in run["rows"]] == [("embedded", 20), ("embedded", 40)]
    assert all(r["peak_mb"] > 0 for r in run["rows"])
    assert "embedded" in run["growth"]
    assert "# Peak memory of a build" in (tmp_path / "index-memory.md").read_text()


def test_index_memory_growth_is_not_claimed_from_one_size():
    from benchmarks.index_memory import growth

    one = [{"mode": "embedded", "passages": 100, "peak_mb": 900.0}]
    two = [*one, {"mode": "embedded", "passages": 1100, "peak_mb": 910.0}]
    assert growth(one) == (None, None)
    assert growth(two) == (10.0, 63_700)


@pytest.fixture
def tiny_benchmark(tmp_path: Path) -> tuple[Path, Path]:
    """One real article and three questions about it (two answerable, one out of scope)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "002_3e9b233354bf1ff8.txt", corpus)
    questions = tmp_path / "questions.jsonl"
    rows = [
        {
            "id": "a",
            "kind": "answerable",
            "audience": "staff",
            "source": "002_3e9b233354bf1ff8.txt",
            "question": "Why is old-fashioned police work not enough any more?",
            "evidence": ["Traditional investigative techniques may prove inadequate"],
        },
        {
            "id": "b",
            "kind": "answerable",
            "audience": "student",
            "source": "002_3e9b233354bf1ff8.txt",
            "question": "How do traffickers coordinate transport?",
            "evidence": ["coordinate transportation, and advertise their victims"],
        },
        {"id": "c", "kind": "out_of_scope", "audience": "other", "question": "banana bread recipe"},
    ]
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return corpus, questions


def test_compare_benchmark_reports_every_system_against_the_starter(
    tmp_path, tiny_benchmark, query_exports
):
    corpus, questions = tiny_benchmark
    out = tmp_path / "docs"
    _run(
        "compare",
        "--corpus",
        str(corpus),
        "--questions",
        str(questions),
        "--out",
        str(out),
        "--rounds",
        "1",
        "--exports",
        str(query_exports.parent),
    )
    run = json.loads((out / "benchmark.json").read_text())
    assert set(run["results"]) == {"product", "starter", "starter-128", "bm25", "hybrid"}
    assert run["ratios"]["starter"]["mrr"] in (1.0, None)
    assert all(r["cold_s"] > 0 and r["peak_mb"] > 0 for r in run["results"].values())
    assert "Ratios against the llama-index starter" in (out / "benchmark.md").read_text()
    assert (out / "benchmark.png").stat().st_size > 0


def test_startup_benchmark_times_the_cli_and_the_page_in_chromium(
    tmp_path: Path, built_index: Config, query_exports: Path
):
    out, index = tmp_path / "docs", tmp_path / "index"
    # A copy of the session's index: the benchmark finds it built, as its figures assume.
    shutil.copytree(built_index.index_dir, index, ignore=shutil.ignore_patterns("encoder", "model"))
    with_exports(Config.load(index_dir=index), query_exports)
    _run("startup", "--runs", "1", "--index", str(index), "--out", str(out))
    results = json.loads((out / "startup.json").read_text())["results"]
    assert results["ask_s"]["median"] > 0
    assert results["page_s"]["median"] > 0, "the page was not measured (Chromium or Playwright?)"
    assert "`make run` to a usable page" in (out / "startup.md").read_text()
