"""Bad input and faults: a clear message, and nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import with_exports

from bot import Bot
from bot.config import Config
from bot.index import IndexReader, build, current_build


@pytest.fixture
def indexed(tmp_path: Path, index_encoder, query_exports) -> Config:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Groomers pose as peers on gaming platforms. They ask children to keep chats secret.",
        encoding="utf-8",
    )
    config = with_exports(
        Config.load(corpus_dir=corpus, index_dir=tmp_path / "index"), query_exports
    )
    build(config, encoder=index_encoder, progress=False, export_encoder=False)
    return config


def test_a_duplicate_file_is_skipped_with_the_name_of_its_twin(indexed, index_encoder):
    original = (indexed.corpus_dir / "a.txt").read_bytes()
    (indexed.corpus_dir / "b.txt").write_bytes(original)
    report = build(indexed, encoder=index_encoder, progress=False, export_encoder=False)
    assert [(s.name, s.reason) for s in report.skipped] == [("b.txt", "same content as a.txt")]


def test_a_file_that_cannot_be_read_is_reported(indexed, index_encoder):
    (indexed.corpus_dir / "gone.txt").symlink_to(indexed.corpus_dir / "missing-target.txt")
    report = build(indexed, encoder=index_encoder, progress=False, export_encoder=False)
    assert [s.name for s in report.skipped] == ["gone.txt"]
    assert "could not be read" in report.skipped[0].reason


def test_a_damaged_index_is_rebuilt_on_start(indexed):
    chroma = current_build(indexed.index_dir) / "chroma"
    for path in chroma.rglob("*"):
        if path.is_file():
            path.write_bytes(b"this is not a database")
    bot = Bot(indexed, progress=False)
    assert bot.ask("Why do groomers ask for secrecy?").status == "answered"


def test_a_half_written_table_is_rebuilt_on_start(indexed):
    table = current_build(indexed.index_dir) / "table.json"
    table.write_text(table.read_text()[:100])
    bot = Bot(indexed, progress=False)
    assert bot.ask("Why do groomers ask for secrecy?").status == "answered"


def test_a_deleted_index_is_rebuilt_on_start(indexed):
    shutil.rmtree(indexed.index_dir)
    assert Bot(indexed, progress=False).ask("Where do groomers pose as peers?").citations


# Root ignores file modes; without these two capabilities it obeys them like anyone else.
_NO_DAC = "-dac_override,-dac_read_search"
_READ_ONLY_CHILD = """
import json, os, sys
from bot import Bot
from bot.index import IndexReader
bot = Bot(progress=False)
print(json.dumps({
    "writable": os.access(bot.config.index_dir, os.W_OK),
    "sources": sorted({p.source for p in IndexReader.open(bot.config).passages}),
    "status": bot.ask("Why do groomers ask for secrecy?").status,
}))
"""


def test_a_read_only_index_keeps_answering_from_the_last_good_build(indexed):
    (indexed.corpus_dir / "b.txt").write_text("Scam compounds hold people.", encoding="utf-8")
    command = [sys.executable, "-c", _READ_ONLY_CHILD]
    if os.geteuid() == 0:  # as in CI: a real read-only folder needs root's override dropped
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and util-linux setpriv is not installed")
        command = [setpriv, "--bounding-set", _NO_DAC, "--inh-caps", _NO_DAC, *command]
    env = {
        **os.environ,
        "BOT_CORPUS_DIR": str(indexed.corpus_dir),
        "BOT_INDEX_DIR": str(indexed.index_dir),
    }
    mode = indexed.index_dir.stat().st_mode
    os.chmod(indexed.index_dir, stat.S_IRUSR | stat.S_IXUSR)
    try:
        child = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    finally:
        os.chmod(indexed.index_dir, mode)
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result == {"writable": False, "sources": ["a.txt"], "status": "answered"}


def test_a_manifest_change_updates_titles_without_re_embedding(indexed, index_encoder):
    (indexed.corpus_dir / "manifest.json").write_text(
        '{"a.txt": {"title": "Grooming online", "publisher": "", "date": "", "url": ""}}',
        encoding="utf-8",
    )
    report = build(indexed, encoder=index_encoder, progress=False, export_encoder=False)
    assert report.embedded_files == [] and report.changed
    assert IndexReader.open(indexed).sources["a.txt"].title == "Grooming online"


def test_a_file_over_the_size_limit_is_skipped_with_the_reason(indexed, index_encoder):
    from bot.corpus import MAX_FILE_BYTES

    with (indexed.corpus_dir / "huge.txt").open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no real disk used
    report = build(indexed, encoder=index_encoder, progress=False, export_encoder=False)
    [(name, reason)] = [(s.name, s.reason) for s in report.skipped]
    assert name == "huge.txt" and reason.startswith("the file is larger than 50 MB, the limit")
