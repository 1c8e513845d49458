"""Running a question set through the bot: every question asked once and timed, then scored."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from bot.evaluation.scoring import score
from bot.evaluation.sources import SourceTexts

WARM_UP = "How do traffickers use social media?"


def ask_all(
    bot: Any,
    items: Sequence[dict[str, Any]],
    region: str | None = None,
) -> tuple[list[dict[str, Any]], list[float]]:
    """Ask every question once (after one untimed warm-up); answers and latencies in ms.

    An exception is recorded as status "error" rather than stopping the run, so one bad question
    shows up among the misses with its message.
    """
    bot.ask(WARM_UP)
    answers, latencies = [], []
    for item in items:
        t0 = time.perf_counter()
        try:
            answer = bot.ask(item["question"], region=region).to_dict()
        except Exception as exc:  # reported per question; see docstring
            answer = {
                "status": "error",
                "question": item["question"],
                "citations": [],
                "error": f"{type(exc).__name__}: {exc}",
            }
        latencies.append((time.perf_counter() - t0) * 1000)
        answers.append(answer)
    return answers, latencies


def evaluate(
    bot: Any, items: Sequence[dict[str, Any]], region: str | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Ask and score: the report and the answers (for `--answers`)."""
    answers, latencies = ask_all(bot, items, region)
    report = score(items, answers, SourceTexts(bot.config.corpus_dir), latencies)
    return report, answers
