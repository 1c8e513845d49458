"""Peak memory of `python -m bot index` as the corpus grows (issue 20: the build's memory must
stay bounded whatever the corpus size).

    python -m benchmarks.index_memory                        # 10k and 30k passages, both modes
    python -m benchmarks.index_memory --sizes 2000,8000 --modes embedded --out /tmp/mem

Each size is a synthetic corpus (`benchmarks.scale.generate`, seed 0) indexed from scratch in a
fresh process, export of the query encoders included, as a person runs it; peak memory is that
process's high-water mark (VmHWM). Twice: with embedded Chroma, whose graph of vectors lives in
the build's process, and with a `chroma run` server, where it lives in the server's. The report
gives each mode's growth per 1,000 passages between the smallest and the largest size, and where
1.5 GB would be reached on that line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import (
    EXPORTS_HELP,
    ROOT,
    machine,
    machine_line,
    markdown_table,
    offline,
    run_cli,
    share_exports,
)
from benchmarks.load import start_chroma
from benchmarks.scale import generate, parse_sizes

LIMIT_MB = 1536.0  # issue 20
DEFAULT_SIZES = (10_000, 30_000)
MODES = ("embedded", "server")


def measure(passages: int, work: Path, mode: str, exports: Path | None = None) -> dict[str, Any]:
    """Index a fresh synthetic corpus of `passages` passages in a fresh process."""
    corpus, index = work / f"corpus-{passages}", work / f"index-{mode}-{passages}"
    if not corpus.exists():
        generate(corpus, passages)
    if exports is not None:
        share_exports(exports, index)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env |= {"BOT_CORPUS_DIR": str(corpus), "BOT_INDEX_DIR": str(index), "TQDM_DISABLE": "1"}
    server = None
    if mode == "server":
        server, url = start_chroma(work, env)
        env |= {"BOT_CHROMA_URL": url, "BOT_CHROMA_PREFIX": f"mem{passages}"}
    try:
        seconds, peak, _, err, rc = run_cli(["index", "--quiet"], env)
    finally:
        if server is not None:
            server.stop()
    if rc != 0:
        raise SystemExit(f"indexing {passages} passages failed ({rc}):\n{err}")
    meta = json.loads(next((index / "builds").glob("*/meta.json")).read_text())
    shutil.rmtree(index, ignore_errors=True)
    shutil.rmtree(work / "chroma", ignore_errors=True)
    return {
        "mode": mode,
        "passages": meta["passages"],
        "sentences": meta["units"],
        "seconds": round(seconds, 1),
        "peak_mb": peak,
    }


def growth(rows: list[dict[str, Any]]) -> tuple[float | None, float | None]:
    """MB per 1,000 passages between the smallest and largest size (None with one size only),
    and the passages at which the build would reach LIMIT_MB on that line (None when it does
    not grow)."""
    lo, hi = rows[0], rows[-1]
    if hi["passages"] == lo["passages"]:
        return None, None
    per_k = (hi["peak_mb"] - lo["peak_mb"]) / (hi["passages"] - lo["passages"]) * 1000
    if per_k <= 0:
        return round(per_k, 2), None
    return round(per_k, 2), round(hi["passages"] + (LIMIT_MB - hi["peak_mb"]) / per_k * 1000)


def write(out: Path, run: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "index-memory.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    table = markdown_table(
        ["Chroma", "passages", "sentences", "index s", "peak MB"],
        [
            [
                r["mode"],
                f"{r['passages']:,}",
                f"{r['sentences']:,}",
                f"{r['seconds']:.0f}",
                f"{r['peak_mb']:.0f}",
            ]
            for r in run["rows"]
        ],
    )
    growths = [
        f"- {mode}: one size only, so no growth figure (it needs two sizes)."
        if g["mb_per_1000"] is None
        else f"- {mode}: {g['mb_per_1000']} MB more per 1,000 passages; "
        + (
            f"on that line 1.5 GB is reached at about {g['reaches_limit_at']:,} passages."
            if g["reaches_limit_at"]
            else "it does not grow with the corpus."
        )
        for mode, g in run["growth"].items()
    ]
    lines = [
        "# Peak memory of a build as the corpus grows",
        "",
        machine_line(run["machine"]),
        "",
        f"Command: `{run['command']}`. Peak memory is the build process's own (VmHWM); with a",
        "Chroma server, the server's memory is not counted.",
        "",
        table,
        "",
        *growths,
        "",
        *[f"- {'met' if c['met'] else 'NOT MET'}: {c['check']}" for c in run["checks"]],
        "",
    ]
    (out / "index-memory.md").write_text("\n".join(lines), encoding="utf-8")


def _list(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=DEFAULT_SIZES, help="passages, a,b")
    parser.add_argument("--modes", default=",".join(MODES), help="embedded, server or both")
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for the report")
    parser.add_argument("--exports", type=Path, help=EXPORTS_HELP)
    args = parser.parse_args(argv)
    modes = _list(args.modes)
    if not modes or not set(modes) <= set(MODES):
        parser.error("modes are embedded and/or server")
    offline()
    work = Path(tempfile.mkdtemp(prefix="index-memory-"))
    rows = []
    try:
        for mode in modes:
            for n in args.sizes:
                print(f"indexing {n:,} passages ({mode})", file=sys.stderr, flush=True)
                rows.append(measure(n, work, mode, args.exports))
                print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    growths = {}
    for mode in modes:
        per_k, reach = growth([r for r in rows if r["mode"] == mode])
        growths[mode] = {"mb_per_1000": per_k, "reaches_limit_at": reach}
    checks = [
        (
            f"{r['mode']}, {r['passages']:,} passages: peak {r['peak_mb']:.0f} MB <= 1536 MB",
            r["peak_mb"] <= LIMIT_MB,
        )
        for r in rows
    ]
    run = {
        "machine": machine(),
        "command": " ".join(["python -m benchmarks.index_memory", *(argv or sys.argv[1:])]),
        "rows": rows,
        "growth": growths,
        "checks": [{"check": c, "met": ok} for c, ok in checks],
    }
    write(Path(args.out), run)
    for c, ok in checks:
        print(f"{'met' if ok else 'NOT MET'}: {c}")
    for mode, g in growths.items():
        print(f"{mode}: {g['mb_per_1000']} MB per 1,000 passages; 1.5 GB at", g["reaches_limit_at"])
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
