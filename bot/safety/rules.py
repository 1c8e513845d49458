"""The few safety rules, read from `bot/data/safety_rules.json`.

The trained classifier decides; these rules cover what it must never be left to miss (explicit
requests for child sexual abuse material or to recruit, sell or control people, and immediate
danger). Each rule carries the messages it must and must not match, and the tests are made from
them, so the file is its own specification.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.config import ROOT

RULES_PATH = ROOT / "bot" / "data" / "safety_rules.json"
MAX_RULES = 40
CLASSES = ("harmful", "crisis")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # "harmful" or "crisis"
    pattern: re.Pattern[str]
    unless: tuple[re.Pattern[str], ...]
    reason: str
    matches: tuple[str, ...]
    does_not_match: tuple[str, ...]

    def fires(self, text: str) -> bool:
        """On a normalised message (bot.safety.text.normalise)."""
        return bool(self.pattern.search(text)) and not any(u.search(text) for u in self.unless)


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]
    topic_order: tuple[str, ...]
    topic_patterns: dict[str, re.Pattern[str]]
    perpetrator: re.Pattern[str]

    def first(self, text: str) -> Rule | None:
        """The first rule that fires, requests to exploit before danger: a message that asks for
        tactics is refused even when it also describes someone at risk."""
        for kind in CLASSES:
            for rule in self.rules:
                if rule.kind == kind and rule.fires(text):
                    return rule
        return None

    def topics(self, text: str) -> tuple[str, ...]:
        """The situations a message describes, most urgent first; ("general",) if none."""
        found = [t for t in self.topic_order if self.topic_patterns[t].search(text)]
        return tuple(found) or ("general",)

    def worried_about_self(self, text: str) -> bool:
        """Someone worried about their own thoughts towards children: help them find help."""
        return bool(self.perpetrator.search(text))


@cache
def load_rules(path: Path = RULES_PATH) -> Rulebook:
    """Read and check the rules file; a malformed rule fails loudly at start-up."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    unless = {name: re.compile(p) for name, p in data.get("unless", {}).items()}
    rules = []
    for row in data["rules"]:
        if row["class"] not in CLASSES:
            raise ValueError(f"rule {row['name']}: class must be one of {CLASSES}")
        if len(row["matches"]) < 2 or len(row["does_not_match"]) < 2 or not row["reason"]:
            raise ValueError(f"rule {row['name']}: needs a reason and two examples each way")
        rules.append(
            Rule(
                row["name"],
                row["class"],
                re.compile(row["pattern"]),
                tuple(unless[u] for u in row.get("unless", [])),
                row["reason"],
                tuple(row["matches"]),
                tuple(row["does_not_match"]),
            )
        )
    if len(rules) > MAX_RULES:
        raise ValueError(f"{len(rules)} rules: at most {MAX_RULES}; let the classifier learn")
    topics = data["topics"]
    return Rulebook(
        tuple(rules),
        tuple(topics["order"]),
        {t: re.compile(topics["patterns"][t]) for t in topics["order"]},
        re.compile(topics["perpetrator"]),
    )
