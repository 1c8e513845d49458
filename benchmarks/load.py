"""Load benchmark: many people asking at once through the web app, on loopback only.

Starts the real app (`python ui.py`) on 127.0.0.1, then `--clients` threads, each with its own
gradio_client, send `--questions` questions in all (cycled from eval/questions.jsonl) to the
`/ask` endpoint. Bounded in count and time (`--timeout`); it stops by itself. Runs once with the
embedded index and once with a real Chroma server (`chroma run` from the installed package).

    python -m benchmarks.load                      # 20 clients, 500 questions, both modes
    python -m benchmarks.load --clients 4 --questions 20 --modes embedded   # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    EXPORTS_HELP,
    ROOT,
    machine,
    machine_line,
    markdown_table,
    share_exports,
)

STATUSES = {"answered", "no_answer", "refused", "crisis"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} after {seconds:.0f} s")


class Process:
    """A child process stopped on exit, whatever happens."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log.open("w")
        self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def run_load(url: str, questions: list[str], clients: int, total: int, timeout: float) -> dict:
    from gradio_client import Client

    lock = threading.Lock()
    queue = [questions[i % len(questions)] for i in range(total)]
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + timeout

    def worker() -> None:
        client = Client(url, verbose=False)
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                question = queue.pop()
            t0 = time.perf_counter()
            try:
                answer = client.predict(question, "", api_name="/ask")
                if answer.get("status") not in STATUSES:
                    raise ValueError(f"bad status {answer.get('status')!r}")
            except Exception as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            with lock:
                latencies.append((time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + 5)
    wall = time.perf_counter() - t0
    latencies.sort()
    unanswered = total - len(latencies) - len(errors)
    return {
        "clients": clients,
        "questions": total,
        "answered": len(latencies),
        "errors": len(errors) + unanswered,
        "error_samples": errors[:5],
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
        "throughput_qps": round(len(latencies) / wall, 1),
        "wall_s": round(wall, 1),
    }


def start_chroma(work: Path, env: dict[str, str]) -> tuple[Process, str]:
    """A `chroma run` server (the installed package's) on loopback, data under `work`; its URL."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    args = [str(chroma), "run", "--path", str(work / "chroma"), "--host", "127.0.0.1"]
    server = Process([*args, "--port", str(port)], env, work / "chroma.log")
    wait_for_port(port, 30)
    return server, f"http://127.0.0.1:{port}"


def one_mode(mode: str, args: argparse.Namespace, questions: list[str], work: Path) -> dict:
    # A later mode's app starts without exporting the encoders again; the load is unchanged.
    for earlier in [args.exports] if args.exports else sorted(work.glob("index-*")):
        share_exports(earlier, work / f"index-{mode}")
    env = {**os.environ, "BOT_INDEX_DIR": str(work / f"index-{mode}"), "PYTHONUNBUFFERED": "1"}
    env["BOT_CORPUS_DIR"] = str(args.corpus)
    children = []
    try:
        if mode == "server":
            server, url = start_chroma(work, env)
            children.append(server)
            env["BOT_CHROMA_URL"] = url
        port = free_port()
        children.append(
            Process(
                [sys.executable, str(ROOT / "ui.py"), "--port", str(port)],
                env,
                work / f"ui-{mode}.log",
            )
        )
        wait_for_port(port, args.start_timeout)
        result = run_load(
            f"http://127.0.0.1:{port}/", questions, args.clients, args.questions, args.timeout
        )
        return {"mode": mode, **result}
    finally:
        for child in reversed(children):
            child.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds for the load")
    parser.add_argument("--start-timeout", type=float, default=180.0)
    parser.add_argument("--modes", default="embedded,server")
    parser.add_argument("--eval", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--out", type=Path, help="write load.md and load.json here")
    parser.add_argument("--exports", type=Path, help=EXPORTS_HELP)
    args = parser.parse_args(argv)
    questions = [json.loads(line)["question"] for line in args.eval.open() if line.strip()]
    m = machine()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bot-load-") as tmp:
        for mode in args.modes.split(","):
            results.append(one_mode(mode, args, questions, Path(tmp)))
            print(json.dumps(results[-1]), flush=True)
    table = markdown_table(
        ["index", "clients", "questions", "answered", "errors", "p50 ms", "p95 ms", "answers/s"],
        [
            [
                r["mode"],
                str(r["clients"]),
                str(r["questions"]),
                str(r["answered"]),
                str(r["errors"]),
                str(r["p50_ms"]),
                str(r["p95_ms"]),
                str(r["throughput_qps"]),
            ]
            for r in results
        ],
    )
    report = f"# Load: the web app under parallel clients\n\n{machine_line(m)}\n\n{table}\n"
    print(report)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "load.md").write_text(report)
        (args.out / "load.json").write_text(
            json.dumps({"machine": m, "results": results}, indent=2)
        )
    return 0 if all(r["errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
