"""The load benchmark runs end to end, small (full figures: `python -m benchmarks.load`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_parallel_clients_get_answers_without_errors_in_both_modes(tmp_path, query_exports):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.load",
            "--clients",
            "3",
            "--questions",
            "9",
            "--timeout",
            "120",
            "--out",
            str(tmp_path),
            "--exports",
            str(query_exports.parent),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    results = json.loads((tmp_path / "load.json").read_text())["results"]
    assert [r["mode"] for r in results] == ["embedded", "server"]
    assert all(r["answered"] == 9 and r["errors"] == 0 for r in results)
