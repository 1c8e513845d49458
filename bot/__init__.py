"""Cyber-trafficking assistant: answers only with cited quotes, keeps safety help in reach.

from bot import Bot
bot = Bot()                          # loads config, the models and the index once
bot.ask("How do traffickers use Instagram?", region="US").to_dict()

The package only re-exports; the pipeline runs one way through its modules: corpus -> index ->
retrieve -> answer -> presentation. Names load on first use, so `import bot.records` does not
load the models or the index.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.assistant import Bot
    from bot.config import Config
    from bot.records import Answer, Citation, Hotline, Passage, Source, Span

_HOMES = {
    "Bot": "bot.assistant",
    "Config": "bot.config",
    **{n: "bot.records" for n in ("Answer", "Citation", "Hotline", "Passage", "Source", "Span")},
}
__all__ = ["Answer", "Bot", "Citation", "Config", "Hotline", "Passage", "Source", "Span"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'bot' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
