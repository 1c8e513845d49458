"""Shared fixtures. Expensive things (the ONNX export, a sentence-transformers model) are made once
per session."""

from __future__ import annotations

import json
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
def query_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The query encoders (retrieval, follow-up and triage) exported once, for throw-away
    indexes, with the indexer's int8 form of the retrieval one; the merged models they were made
    from sit beside them. Merging, exporting and quantising take seconds each, so every fixture
    below reuses these."""
    from bot.embedding import export_index_model
    from bot.index.write import export_query_encoders

    index_dir = tmp_path_factory.mktemp("exports")
    config = Config.load(index_dir=index_dir)
    export_query_encoders(config)
    export_index_model(config)
    return index_dir / "encoder"


@pytest.fixture(scope="session")
def onnx_index_dir(query_exports: Path) -> Path:
    """An index_dir holding the query encoders' ONNX exports and the merged models."""
    return query_exports.parent


def with_exports(config: Config, exports: Path) -> Config:
    """`config`, its index folder given the session's exports and the merged models they were
    made from, hard-linked (a Bot then starts in a second; a build skips the merge)."""
    from benchmarks.common import share_exports

    share_exports(exports.parent, config.index_dir)
    return config


@pytest.fixture(scope="session")
def st_encoder(onnx_index_dir: Path):
    """The reference encoder (sentence-transformers in float32) of the retrieval model (base +
    adapter, merged when the export was made), loaded once."""
    from bot.adapter import model_path
    from bot.embedding import SentenceTransformerEncoder

    return SentenceTransformerEncoder(model_path(Config.load(index_dir=onnx_index_dir)))


@pytest.fixture(scope="session")
def index_encoder(onnx_index_dir: Path):
    """The indexer (the base model with the stored adapter merged in) in float32, loaded once.

    Float32 makes a text's vector independent of the batch it is embedded in, which tests of
    incremental builds compare exactly; bfloat16 indexing is tested on its own. The merged model
    is the exports' one, under a temporary folder: tests never touch the repo's index/.
    """
    from bot.adapter import model_path
    from bot.embedding import IndexEncoder

    config = Config.load(index_dir=onnx_index_dir)
    return IndexEncoder(model_path(config), config.batch_tokens, bf16=False)


@pytest.fixture(scope="session")
def query_encoder():
    """The encoder the safety classifier reads with (its adapter merged in), loaded once."""
    from bot.embedding import load_query_encoder

    return load_query_encoder(Config.load(), "triage")


REPO = Path(__file__).resolve().parent.parent
SEED_CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory, index_encoder, query_exports) -> Config:
    """The real corpus indexed once per session into a temporary folder (the repo's index/ is
    never touched by tests)."""
    from bot.index import build

    config = Config.load(corpus_dir=SEED_CORPUS, index_dir=tmp_path_factory.mktemp("session_index"))
    build(with_exports(config, query_exports), encoder=index_encoder, progress=False)
    return config


def run_fresh(script: str, config: Config, unset: tuple[str, ...] = ()) -> dict:
    """Run `script` in a fresh Python over `config`'s corpus and index; its last printed line,
    read as JSON. `unset`: variables the product must not rely on being set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_") and k not in unset}
    env |= {"BOT_INDEX_DIR": str(config.index_dir), "BOT_CORPUS_DIR": str(config.corpus_dir)}
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


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


# --- The web app (ui.py) as a real server: used by tests/test_ui.py and tests/test_browser.py ---

UI_EXIT_URL = "https://quick-exit.example/"  # the browser tests answer this address themselves


class UiServer:
    """A `python ui.py --port N` process; `startup_seconds` runs from spawn to the printed URL."""

    def __init__(self, config: Config, log_dir: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
        env.update(
            BOT_CORPUS_DIR=str(config.corpus_dir),
            BOT_INDEX_DIR=str(config.index_dir),
            BOT_EXIT_URL=UI_EXIT_URL,
            GRADIO_ANALYTICS_ENABLED="False",
            PYTHONUNBUFFERED="1",
        )
        self.port = _free_port()
        self.url = ""
        self.out = log_dir / "ui.out"
        self.err = log_dir / "ui.err"
        t0 = time.perf_counter()
        with self.out.open("w") as out, self.err.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(REPO / "ui.py"), "--port", str(self.port)],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=err,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and self.proc.poll() is None:
            text = self.out.read_text()
            if f"http://127.0.0.1:{self.port}/" in text:
                self.url = f"http://127.0.0.1:{self.port}/"
                break
            time.sleep(0.05)
        self.startup_seconds = time.perf_counter() - t0
        if not self.url:
            self.stop()
            pytest.fail(f"ui.py did not start:\n{self.out.read_text()}\n{self.err.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def ui_server(built_index: Config, tmp_path_factory: pytest.TempPathFactory):
    """The web app over the session index of the real corpus, started once."""
    server = UiServer(built_index, tmp_path_factory.mktemp("ui_server"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def start_ui():
    """Start another app server: `start_ui(config, folder)`; stop it with `.stop()`."""
    return UiServer
