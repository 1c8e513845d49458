"""Reading training files: JSON Lines, each opening with an `_about` line that says who wrote the
file and how (skipped here, kept for people)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from bot.judge import Logistic


def data_files(folder: Path) -> list[Path]:
    """The training files of a folder, in name order (the fingerprint's order too)."""
    return sorted(Path(folder).glob("*.jsonl"))


def rows(paths: list[Path]) -> Iterator[tuple[str, dict[str, Any]]]:
    """("file:line", row) for every data line, so a bad line can be named when it fails."""
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                if "_about" not in row:
                    yield f"{path}:{number}", row


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float) -> Logistic:
    """A standardised, L2-regularised logistic regression (scikit-learn, at training only)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return Logistic(mean, scale, model.coef_[0].astype(np.float64), float(model.intercept_[0]))
