"""Shared fixtures. Expensive things (the ONNX export, a sentence-transformers model) are made once
per session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from bot.config import Config


@pytest.fixture(scope="session")
def onnx_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary index_dir holding the query encoder's ONNX export (takes seconds: once)."""
    from bot.embedding import export_query_model

    index_dir = tmp_path_factory.mktemp("onnx_index")
    assert export_query_model(Config.load(index_dir=index_dir)) is not None
    return index_dir


@pytest.fixture(scope="session")
def st_encoder():
    """The reference encoder (sentence-transformers), loaded once."""
    from bot.embedding import load_index_encoder

    return load_index_encoder(Config.load())


REPO = Path(__file__).resolve().parent.parent
SEED_CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, st_encoder) -> Config:
    """The real corpus indexed once per session into a temporary folder (the repo's index/ is
    never touched by tests)."""
    from bot.store import build

    config = Config.load(corpus_dir=SEED_CORPUS, index_dir=tmp_path_factory.mktemp("session_index"))
    build(config, encoder=st_encoder, progress=False)
    return config


@pytest.fixture(scope="session")
def bot(built_index: Config):
    """One Bot over the real corpus, shared by every read-only test."""
    from bot import Bot

    return Bot(built_index, progress=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A real Chroma server on loopback: the one CI started (BOT_TEST_CHROMA_URL), or our own
    `chroma run` from the installed package."""
    url = os.environ.get("BOT_TEST_CHROMA_URL")
    if url:
        yield url
        return
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path_factory.mktemp("chroma_server")),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 30 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(params=["embedded", "server"])
def small_corpus(request: pytest.FixtureRequest, tmp_path: Path) -> Config:
    """A tiny corpus of its own (two short articles) with an empty index folder, per test; the
    vectors in an embedded Chroma folder or on a real Chroma server."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Online grooming\n\nGroomers often pose as peers on gaming platforms. They build trust "
        "with gifts and attention before asking for secrecy.\n",
        encoding="utf-8",
    )
    (corpus / "b.md").write_text(
        "# Job scams\n\nFake job offers on social media lure people abroad. Once there, their "
        "passports are taken and they are forced to work in scam compounds.\n",
        encoding="utf-8",
    )
    server = {}
    if request.param == "server":
        server = {
            "chroma_url": request.getfixturevalue("chroma_server"),
            "chroma_prefix": f"t{uuid.uuid4().hex[:8]}",
        }
    return Config.load(corpus_dir=corpus, index_dir=tmp_path / "index", **server)
