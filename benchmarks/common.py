"""What the benchmarks share: offline switches, the machine description, timing helpers.

Every figure is printed with the date and the machine it came from, because numbers from another
machine (or another day's code) say little about this one.
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def offline() -> None:
    """No hub downloads and no telemetry, set before chromadb or Hugging Face are imported."""
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "TOKENIZERS_PARALLELISM": "false",
        "TQDM_DISABLE": "1",
    }.items():
        os.environ.setdefault(key, value)


def machine() -> dict[str, Any]:
    """Date, cores, memory, CPU and library versions of this run."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    versions = {}
    for dist in ("torch", "sentence-transformers", "chromadb", "llama-index-core", "bm25s"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "-"
    try:
        load = round(os.getloadavg()[0], 2)
    except OSError:
        load = None
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "load": load,
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpu": cpu,
        "cores": usable,
        "memory_gb": memory_gb,
        "python": sys.version.split()[0],
        "versions": versions,
    }


def machine_line(m: dict[str, Any]) -> str:
    """One line for reports and chart footers."""
    libs = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    load = f" · 1-min load {m['load']} (this run included)" if m.get("load") is not None else ""
    return (
        f"{m['date']} · {m['cores']} CPU cores ({m['cpu']}) · {m['memory_gb']} GB RAM{load} · "
        f"{m['os']} · Python {m['python']} · {libs}"
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    Linux: VmHWM from /proc/self/status. Not ru_maxrss: Linux carries ru_maxrss across execve,
    so a subprocess spawned by a big parent would report the parent's size.
    Elsewhere: ru_maxrss (KiB on Linux/BSD, bytes on macOS).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024**2 if sys.platform == "darwin" else 1024), 1)


def timed_run(
    command: list[str], env: dict[str, str], timeout: float
) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command from the repository root; its wall time, spawn to exit, and its output."""
    t0 = time.perf_counter()
    out = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    return time.perf_counter() - t0, out


EXPORTS_HELP = (
    "an index folder whose query encoders and merged models to reuse (hard links), so builds "
    "leave out the one-off export (the tests use it)"
)


def share_exports(source: Path, index_dir: Path) -> None:
    """Give a fresh index folder the query encoders and merged models already made in `source`
    (hard links): its build then skips the one-off merge and ONNX export; answers are the same."""
    for part in ("encoder", "model"):
        if (source / part).is_dir():
            shutil.copytree(
                source / part, index_dir / part, copy_function=os.link, dirs_exist_ok=True
            )


# A process that runs the CLI, then prints its own peak memory (MB) as its last stderr line.
MEASURED_CLI = (
    "import sys; from bot.__main__ import main; from benchmarks.common import peak_rss_mb\n"
    "rc = main(sys.argv[1:]); print(peak_rss_mb(), file=sys.stderr); sys.exit(rc)"
)


def run_cli(args: list[str], env: dict[str, str]) -> tuple[float, float, str, str, int]:
    """Seconds, peak MB, stdout, stderr and exit code of one `python -m bot ...` process."""
    seconds, out = timed_run([sys.executable, "-c", MEASURED_CLI, *args], env, timeout=3600)
    lines = out.stderr.strip().splitlines()
    return seconds, float(lines[-1]), out.stdout, "\n".join(lines[:-1]), out.returncode


def dir_size_mb(path: Path, skip: tuple[str, ...] = ()) -> float:
    """Bytes of all files under `path` (top-level entries named in `skip` left out), in MB."""
    total = 0
    for child in Path(path).iterdir():
        if child.name in skip:
            continue
        if child.is_file():
            total += child.stat().st_size
        else:
            total += sum(p.stat().st_size for p in child.rglob("*") if p.is_file())
    return round(total / 1024**2, 2)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)
