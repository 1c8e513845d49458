"""Start-up as a person meets it, with the index built: fresh processes, median of several runs.

- `python -m bot ask "…"`: from spawning the command to its exit with the answer printed;
- the README's run command (`make run`): from spawning it to a usable page in headless Chromium
  (Debian's /usr/bin/chromium driven by Playwright, started beforehand, as a person's browser
  is): the question box and the hotlines shown.

    python -m benchmarks.startup                    # 5 runs each; docs/startup.md, .json
    python -m benchmarks.startup --runs 1 --out /tmp/startup --index /tmp/index
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, machine, machine_line, markdown_table, timed_run
from benchmarks.load import free_port

QUESTION = "How do traffickers use social media to recruit victims?"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
TARGETS = {"ask_s": 2.5, "page_s": 8.0}  # issue 7


def time_ask(env: dict[str, str]) -> float:
    elapsed, out = timed_run([sys.executable, "-m", "bot", "ask", QUESTION], env, timeout=120)
    if out.returncode != 0 or "[1]" not in out.stdout:  # a quote, cited
        raise RuntimeError(f"bot ask failed: {out.stdout}{out.stderr}")
    return elapsed


def time_page(page: Any, env: dict[str, str], timeout: float) -> float:
    """Spawn `make run` and poll the page until the question box and hotlines are shown."""
    from playwright.sync_api import Error as PlaywrightError

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env={**env, "BOT_PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # make's child (the app) is stopped with it
    )
    try:
        while True:
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError(f"no usable page at {url} after {timeout:.0f} s")
            if proc.poll() is not None:
                raise RuntimeError(f"`make run` exited with {proc.returncode}")
            try:
                page.goto(url, timeout=2000)
                page.wait_for_selector("#question textarea", state="visible", timeout=10000)
                page.wait_for_selector(".hotline", state="visible", timeout=10000)
                return time.perf_counter() - t0
            except PlaywrightError:  # not listening yet, or not rendered yet
                time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def measure_pages(runs: int, env: dict[str, str], timeout: float) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            times = []
            for _ in range(runs):
                page = browser.new_page()
                times.append(time_page(page, env, timeout))
                page.close()
            return times
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--index", type=Path, help="index folder (default: the configured one)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per page start")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if args.index:
        env["BOT_INDEX_DIR"] = str(args.index)
    # The index is built first, untimed: both figures are "with the index built".
    subprocess.run([sys.executable, "-m", "bot", "index"], cwd=ROOT, env=env, check=True)

    ask = [time_ask(env) for _ in range(args.runs)]
    page: list[float] = []
    page_note = ""
    if not CHROMIUM.exists():
        page_note = f"{CHROMIUM} is missing"
    else:
        try:
            page = measure_pages(args.runs, env, args.timeout)
        except ImportError:
            page_note = "Playwright is not installed"

    rows = {"ask_s": ask, "page_s": page}
    results = {
        k: {
            "runs": [round(t, 2) for t in v],
            "median": round(statistics.median(v), 2) if v else None,
            "target": TARGETS[k],
            "met": bool(v) and statistics.median(v) <= TARGETS[k],
        }
        for k, v in rows.items()
    }
    m = machine()
    labels = {
        "ask_s": '`python -m bot ask "…"` to its printed answer',
        "page_s": "`make run` to a usable page (question box and hotlines shown)",
    }
    table = markdown_table(
        ["what", "median s", "runs s", "target s", "met"],
        [
            [
                labels[k],
                "n/a" if r["median"] is None else f"{r['median']:.2f}",
                ", ".join(f"{t:.2f}" for t in r["runs"]) or page_note,
                f"≤ {r['target']}",
                "yes" if r["met"] else "no",
            ]
            for k, r in results.items()
        ],
    )
    report = (
        "# Start-up: command line and web app, index built\n\n"
        f"Run on {machine_line(m)}.\n\nCommand: `python -m benchmarks.startup --runs {args.runs}`"
        f"\n\n{table}\n\nEach run is a fresh process. The browser is started before the timer "
        "(a person's browser is already open); the page is polled from the moment the command "
        "is spawned.\n"
    )
    print(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "startup.md").write_text(report)
    (args.out / "startup.json").write_text(
        json.dumps({"machine": m, "results": results}, indent=2) + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
