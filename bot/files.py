"""Files written so that a reader never sees half of one: made beside the target, then renamed
into place (a rename within one folder is atomic)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def write_beside(target: Path, write: Callable[[Path], T]) -> T:
    """Run `write(tmp)` on a new file beside `target`, then rename it into place, so `write` can
    also check what it wrote before anyone reads it. A failed write or rename leaves nothing
    behind; a killed process leaves a hidden `.<stem>.…<suffix>.tmp` file its owner may clear."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f"{target.suffix}.tmp", dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the index is shared like its files
        result = write(tmp)
        os.replace(tmp, target)
        return result
    finally:
        tmp.unlink(missing_ok=True)
