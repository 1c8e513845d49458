"""Triage before retrieval: help people in danger first, refuse requests to exploit people.

No language model is available, so triage combines three signals:

1. Rules over a normalised message (`text`): first-person cue phrases (being controlled,
   threatened, blackmailed, held, watched, a taken passport, debts, self-harm), worried
   third-person cues ("my daughter is being blackmailed") (`danger`), and first-person intent to
   recruit, groom, sell or control people or to evade police, detection or moderation
   (`exploitation`), over shared words and frames (`vocabulary`). Negations and hypotheticals
   ("I am not in danger", "what if someone took my passport") switch a cue off; fiction or
   research framing never unlocks tactics.
2. Cosine similarity to small sets of intent examples (`bot/data/intents.json`), embedded once,
   which catches phrasings the rules miss, but only where the message is personal (crisis) or
   asks how *to do* something (refused), so questions about how traffickers operate stay
   answered (`triage`).
3. A linear intent model over the same embedding (`model`), trained on every labelled example
   (`bot/data/triage_examples.jsonl`); it refuses a how-to request that neither of the above
   caught only when it is confident (`triage.INTENT_REFUSE_MIN`).

`replies` chooses the hotlines for the situation and region and writes the crisis and refusal
replies.
"""

from bot.safety.replies import crisis_text, help_for, refusal_text
from bot.safety.text import normalise
from bot.safety.triage import Kind, Safety, Triage, decide

__all__ = [
    "Kind",
    "Safety",
    "Triage",
    "crisis_text",
    "decide",
    "help_for",
    "normalise",
    "refusal_text",
]
