"""Triage before retrieval: help people in danger first, refuse requests to exploit people.

- `classifier`: a fine-tuned all-MiniLM-L6-v2 (LoRA adapter plus a linear head, exported to ONNX
  at index time) gives each message the probabilities of ordinary question, request to exploit
  or evade (`harmful`) and person in danger (`crisis`); thresholds chosen on a validation split
  decide.
- `rules`: a short data file (`bot/data/safety_rules.json`) of what must never be missed, each
  rule with the messages it must and must not match.
- `language`: offline language detection, so a message in another language gets help in it.
- `triage` puts them together; `replies` chooses the services and the parts of the crisis,
  refusal and other-language replies.
"""

from bot.safety.replies import Reply, crisis_reply, help_for, language_reply, refusal_reply
from bot.safety.text import normalise
from bot.safety.triage import Kind, Safety, Triage

__all__ = [
    "Kind",
    "Reply",
    "Safety",
    "Triage",
    "crisis_reply",
    "help_for",
    "language_reply",
    "normalise",
    "refusal_reply",
]
