"""A corpus a staff member might really drop in: the articles plus six bad files, one of them a
36 MB text of one paragraph repeated. Index time and peak memory of `python -m bot index`, the
skip report, how fast `python -m bot ask` answers while that build runs, and what is quoted after.

    python -m benchmarks.large_corpus                 # docs/large-corpus.md, .json
    python -m benchmarks.large_corpus --out /tmp/large

Each command runs in a fresh process, as a person runs it; peak memory is the process's own
high-water mark (VmHWM), which it prints as it exits. `ask` is started every few seconds for as
long as the build runs, so every phase of the build (start-up, reading, embedding, writing) is
met.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    MEASURED_CLI,
    ROOT,
    machine,
    machine_line,
    markdown_table,
    offline,
    run_cli,
)

BIG_MB = 36
TARGETS = {"index_s": 180.0, "peak_mb": 1536.0, "ask_s": 2.5}  # issue 20
ASK_EVERY_S = 4.0
IDLE_ASKS = 5
SCRIPT_MARK = "SCRIPT-ONLY-TEXT"
REPEATED = (
    "Recruiters offer well-paid work abroad, pay for the flights and arrange the papers. On "
    "arrival the passport is taken and the worker is told to repay a debt that keeps growing. "
    "Families hear that all is well while every message and call is watched.\n\n"
)
QUESTIONS = [
    "How do traffickers use social media to recruit victims?",
    "What are the warning signs of a fake job offer?",
    "How can parents protect children online?",
    "What is sextortion?",
    "How do traffickers use the dark web?",
]


def bad_files(corpus: Path) -> dict[str, str]:
    """Write the six files of issue 20 into `corpus`; returns name -> what it is."""
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "random.bin.txt").write_bytes(os.urandom(20 * 1024))
    (corpus / "broken-utf8.txt").write_bytes(
        b"Traffickers recruit online.\n" + b"\xff\xfe\xc3\x28 broken bytes\n"
    )
    (corpus / "page.html").write_text(
        f"<html><head><script>var a = '{SCRIPT_MARK} head';</script></head><body>"
        f"<h1>Online safety</h1><script>alert('{SCRIPT_MARK} body')</script>"
        "<p>Traffickers often contact young people who seem lonely or short of money.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    first = sorted(p for p in corpus.glob("*.txt") if p.stat().st_size > 1000)[0]
    shutil.copy(first, corpus / "zz-duplicate.txt")
    with (corpus / "big-report.txt").open("w", encoding="utf-8") as f:
        for _ in range(BIG_MB * 1024 * 1024 // len(REPEATED)):
            f.write(REPEATED)
    return {
        "empty.txt": "empty file",
        "random.bin.txt": "20 KB of random bytes",
        "broken-utf8.txt": "broken UTF-8",
        "page.html": "HTML with scripts",
        "zz-duplicate.txt": f"a copy of {first.name}",
        "big-report.txt": f"{BIG_MB} MB, one paragraph repeated",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for the report")
    args = parser.parse_args(argv)
    offline()
    work = Path(tempfile.mkdtemp(prefix="large-corpus-"))
    corpus, index = work / "corpus", work / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env |= {"BOT_CORPUS_DIR": str(corpus), "BOT_INDEX_DIR": str(index), "TQDM_DISABLE": "1"}
    try:
        print("building the index of the articles alone (the previous index)", file=sys.stderr)
        run_cli(["index", "--quiet"], env)
        # The baseline, same run: a cold ask with no build beside it (before the bad files).
        idle = [run_cli(["ask", "--json", QUESTIONS[0]], env)[0] for _ in range(IDLE_ASKS)]
        files = bad_files(corpus)

        print("indexing the corpus with the six bad files", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        building = subprocess.Popen(
            [sys.executable, "-c", MEASURED_CLI, "index", "--quiet"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        during: list[dict[str, Any]] = []  # one every few seconds, for as long as the build runs
        while building.poll() is None:
            time.sleep(ASK_EVERY_S)
            started = time.perf_counter() - t0
            seconds, _, ask_out, ask_err, ask_rc = run_cli(["ask", "--json", QUESTIONS[0]], env)
            during.append(
                {
                    "at_s": round(started, 1),
                    "seconds": round(seconds, 2),
                    "status": json.loads(ask_out)["status"] if ask_rc == 0 else f"exit {ask_rc}",
                    "build_running": building.poll() is None,
                    "stderr": ask_err.strip(),
                }
            )
        out, err = building.communicate(timeout=1800)
        index_s = time.perf_counter() - t0
        err_lines = err.strip().splitlines()
        index_mb = float(err_lines[-1])

        quoted, statuses = [], []
        for q in QUESTIONS:
            _, _, answer_out, _, _ = run_cli(["ask", "--json", q], env)
            answer = json.loads(answer_out)
            statuses.append(answer["status"])
            quoted += [(c["source"], c["quote"]) for c in answer["citations"]]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    bad_quoted = [
        (s, q)
        for s, q in quoted
        if SCRIPT_MARK in q or s in ("random.bin.txt", "broken-utf8.txt", "empty.txt")
    ]
    result: dict[str, Any] = {
        "machine": machine(),
        "files": files,
        "index_s": round(index_s, 1),
        "index_peak_mb": index_mb,
        "index_rc": building.returncode,
        "summary": out.strip(),
        "skip_lines": [line for line in err_lines if line.startswith("skipped ")],
        "asks_during_build": during,
        "ask_median_s": round(statistics.median(a["seconds"] for a in during), 2)
        if during
        else None,
        "ask_max_s": max((a["seconds"] for a in during), default=None),
        "idle_asks_s": [round(x, 2) for x in idle],
        "idle_ask_median_s": round(statistics.median(idle), 2),
        "after_statuses": statuses,
        "quotes_after": len(quoted),
        "quotes_from_big_report": sum(s == "big-report.txt" for s, _ in quoted),
        "bad_quotes": bad_quoted,
    }
    checks = [
        (f"indexed in {index_s:.0f} s <= 180 s", index_s <= TARGETS["index_s"]),
        (f"peak memory {index_mb:.0f} MB <= 1536 MB", index_mb <= TARGETS["peak_mb"]),
        (
            f"ask while the build ran: median {result['ask_median_s']:.2f} s <= 2.5 s over "
            f"{len(during)} asks (slowest {result['ask_max_s']:.2f} s), each answered",
            bool(during)
            and result["ask_median_s"] <= TARGETS["ask_s"]
            and all(a["status"] in ("answered", "no_answer") for a in during),
        ),
        (
            "the skip report names the empty, binary and undecodable files",
            all(
                any(line.startswith(f"skipped {n}:") for line in result["skip_lines"])
                for n in ("empty.txt", "random.bin.txt", "broken-utf8.txt")
            ),
        ),
        ("nothing from a script or the binary file is quoted", not bad_quoted),
    ]
    result["checks"] = [{"check": c, "met": ok} for c, ok in checks]
    write(Path(args.out), result)
    for c, ok in checks:
        print(f"{'met' if ok else 'NOT MET'}: {c}")
    return 0 if all(ok for _, ok in checks) else 1


def write(out: Path, r: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "large-corpus.json").write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    rows = [[name, what] for name, what in r["files"].items()]
    lines = [
        "# A large, messy corpus",
        "",
        f"Run on {machine_line(r['machine'])}.",
        "",
        "The five articles of `corpus/` were indexed, then these six files were added and "
        "`python -m bot index` was run in a fresh process (command: "
        "`python -m benchmarks.large_corpus`):",
        "",
        markdown_table(["file", "what it is"], rows),
        "",
        markdown_table(
            ["figure", "value"],
            [
                [
                    "index time (fresh process, model load and export check included)",
                    f"{r['index_s']} s",
                ],
                ["peak memory of that process (VmHWM)", f"{r['index_peak_mb']:.0f} MB"],
                [
                    "`python -m bot ask` while that build ran, spawn to exit",
                    f"median {r['ask_median_s']} s, slowest {r['ask_max_s']} s",
                ],
                [
                    f"the same with no build running ({IDLE_ASKS} asks before it, same run)",
                    f"median {r['idle_ask_median_s']} s "
                    f"(during the build: {r['ask_median_s'] / r['idle_ask_median_s']:.2f}x)",
                ],
                ["quotes after the build (5 questions)", str(r["quotes_after"])],
                ["of them from the repeated report", str(r["quotes_from_big_report"])],
                ["quotes from a script, the binary or the broken file", str(len(r["bad_quotes"]))],
            ],
        ),
        "",
        f"`python -m bot ask` was started every {ASK_EVERY_S:.0f} s while the build ran:",
        "",
        markdown_table(
            ["started at", "spawn to exit", "status", "build still running at its end"],
            [
                [f"{a['at_s']} s", f"{a['seconds']} s", a["status"], str(a["build_running"])]
                for a in r["asks_during_build"]
            ],
        ),
        "",
        "What each said on stderr:",
        "",
        "```",
        r["asks_during_build"][0]["stderr"] if r["asks_during_build"] else "(no ask ran)",
        "```",
        "",
        "The build's report (skipped files are also printed the moment they are found):",
        "",
        "```",
        r["summary"],
        "```",
        "",
        "Checks (issue 20):",
        "",
        *[f"- {'met' if c['met'] else 'NOT MET'}: {c['check']}" for c in r["checks"]],
        "",
    ]
    (out / "large-corpus.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
