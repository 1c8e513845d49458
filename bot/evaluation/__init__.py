"""`python -m bot eval`: how well the bot answers an evaluation set, and why it misses.

One module per job: `scoring` (CONTRACT.md's rule and the figures, pure functions), `questions`
(reading and checking the eval file), `sources` (the verbatim check against the corpus files),
`runner` (asking the bot), `report` (the table for people) and `cli` (the command). Only what
other modules use is exported here.
"""

from bot.evaluation.cli import add_eval_parser, run_eval
from bot.evaluation.questions import EvalFileError, load_questions
from bot.evaluation.runner import evaluate
from bot.evaluation.scoring import covers, hit_rank, percentile, score
from bot.evaluation.sources import SourceTexts

__all__ = [
    "EvalFileError",
    "SourceTexts",
    "add_eval_parser",
    "covers",
    "evaluate",
    "hit_rank",
    "load_questions",
    "percentile",
    "run_eval",
    "score",
]
