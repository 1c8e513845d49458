"""The terminal shows the product's own messages, not its libraries' chatter.

`python -m bot` and `ui.py` call `quiet_libraries()` once, before the heavy libraries are
imported: huggingface_hub reads its progress-bar switch at import (it also drives transformers'
"Loading weights" bars), and llama-index's file readers call `logging.basicConfig(level=INFO)` at
import, which does nothing once the root logger has a handler. bm25s sets its own logger to DEBUG
at import, so the console handler itself keeps only warnings from libraries. The index's own
progress bar (plain tqdm, bot.index.write) is not a library's and stays.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

# Progress bars of huggingface_hub and transformers (model loading and saving, downloads).
LIBRARY_QUIET_ENV = {"HF_HUB_DISABLE_PROGRESS_BARS": "1"}


def quiet_libraries() -> None:
    """Libraries log warnings and errors only; the product's own messages (`bot.*`, INFO and up)
    print as plain lines; libraries' deprecation notices, meant for developers, are hidden."""
    for name, value in LIBRARY_QUIET_ENV.items():
        os.environ.setdefault(name, value)
    libraries = logging.StreamHandler(sys.stderr)
    libraries.setLevel(logging.WARNING)
    libraries.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[libraries])
    ours = logging.getLogger("bot")
    ours.setLevel(logging.INFO)
    ours.propagate = False
    product = logging.StreamHandler(sys.stderr)
    product.setFormatter(logging.Formatter("%(message)s"))
    ours.addHandler(product)
    warnings.filterwarnings("ignore", category=FutureWarning)
