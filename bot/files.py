"""Files written so that a reader never sees half of one: made beside the target, then renamed
into place (a rename within one folder is atomic)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def write_beside(target: Path, write: Callable[[Path], T]) -> T:
    """Run `write(tmp)` on a new file beside `target`, then rename it into place, so `write` can
    also check what it wrote before anyone reads it. A failed write or rename leaves nothing
    behind; a killed process leaves a hidden temp file that `remove_abandoned` clears."""
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


def remove_abandoned(folder: Path, suffix: str, older_than: float = 3600.0) -> None:
    """Remove temp files that `write_beside` left for targets ending in `suffix` when its process
    was killed. Only old ones: a younger file may belong to a writer still at work."""
    now = time.time()
    for path in folder.glob(f".*{suffix}.tmp"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > older_than:
                path.unlink()
